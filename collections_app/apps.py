from django.apps import AppConfig


class CollectionsAppConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "collections_app"
    verbose_name = "Collections"

    def ready(self):
        # Library hooks, not control flow: django-axes and django.contrib.auth announce lockouts and logins
        # only by signal. Both receivers record, neither decides.
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in

        from . import checks  # noqa: F401 (registers the deploy checks)
        from .auth import on_locked_out, on_logged_in

        user_locked_out.connect(on_locked_out, dispatch_uid="collections_app.audit_lockout")
        user_logged_in.connect(on_logged_in, dispatch_uid="collections_app.session_last_seen")
