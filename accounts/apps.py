from django.apps import AppConfig
from django.db.backends.signals import connection_created


def _sqlite_search_functions(sender, connection, **kwargs):
    """SQLite has no unaccent or regexp_replace: the search keys PostgreSQL computes in SQL
    (migration 0011) are registered from the same Python functions (accounts.search)."""
    if connection.vendor != "sqlite":
        return
    from . import search

    connection.connection.create_function("search_fold", 1, search.fold, deterministic=True)
    connection.connection.create_function("search_number_key", 1, search.number_key, deterministic=True)


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"

    def ready(self):
        connection_created.connect(_sqlite_search_functions, dispatch_uid="accounts.search_functions")
