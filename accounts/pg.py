"""PostgreSQL-only database objects (triggers) in migrations; SQLite, the embedded default, skips them."""

from django.db import migrations


def postgres_only(sql: str, reverse_sql: str) -> migrations.RunPython:
    """A migration operation that runs `sql` (and `reverse_sql` backwards) on PostgreSQL only."""

    def run(text):
        def apply(apps, schema_editor):
            if schema_editor.connection.vendor == "postgresql":
                schema_editor.execute(text, params=None)  # params=None: '%' in PL/pgSQL is literal
        return apply

    return migrations.RunPython(run(sql), run(reverse_sql))
