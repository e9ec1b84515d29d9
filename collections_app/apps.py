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

        from django.db.models.signals import post_migrate, pre_migrate

        pre_migrate.connect(_sqlite_triggers_off, sender=self, dispatch_uid="collections_app.sqlite_triggers_off")
        post_migrate.connect(_sqlite_triggers_on, sender=self, dispatch_uid="collections_app.sqlite_triggers_on")


def _sqlite_triggers_off(sender, using="default", **kwargs):
    """SQLite only: migrations run without the dashboard's summary triggers (see summaries.uninstall_sqlite)."""
    from django.db import connections

    conn = connections[using]
    if conn.vendor == "sqlite":
        from .dashboards import summaries

        summaries.uninstall_sqlite(conn)


def _sqlite_triggers_on(sender, using="default", plan=None, **kwargs):
    """SQLite only: after a migrate run, the summary triggers again, and the summaries recomputed if any
    migration ran (rows written while the triggers were off are counted)."""
    from django.db import connections

    conn = connections[using]
    if conn.vendor != "sqlite" or "collections_app_dashaging" not in conn.introspection.table_names():
        return
    from .dashboards import summaries

    summaries.install(conn)
    if plan:
        summaries.rebuild("sqlite")
