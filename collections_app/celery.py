import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "collections_app.settings")

app = Celery("collections_app")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(related_name="nightly")  # collections_app.nightly: the night's orchestrating task


@app.on_after_configure.connect
def _ensure_filesystem_broker_folders(sender, **kwargs):
    """kombu's filesystem transport does not create its folders."""
    options = sender.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "control_folder", "processed_folder"):
        if options.get(key):
            os.makedirs(options[key], exist_ok=True)
    backend = sender.conf.result_backend or ""
    if backend.startswith("file://"):
        os.makedirs(backend[len("file://"):], exist_ok=True)
