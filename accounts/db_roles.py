"""Least privilege in PostgreSQL: the application's role owns nothing and cannot rewrite history.

Two roles (README "Database roles"):
- the **owner** role owns the database objects and runs the migrations (``MIGRATION_DATABASE_URL``);
- the **application** role (``DATABASE_URL``) gets only row privileges: SELECT/INSERT/UPDATE/DELETE on
  ordinary tables, and only SELECT and INSERT on the append-only tables (every ``AppendOnlyModel``:
  the ledger, the contact log, the audit log), plus UPDATE of the columns an append-only model names
  in ``append_only_updatable`` (a queued contact attempt's delivery outcome; the trigger still allows
  only that one move). It never gets TRUNCATE, REFERENCES or TRIGGER, owns no table (so no ALTER
  TABLE, no DISABLE TRIGGER) and is no superuser (so no ``session_replication_role``).

``app_role_grant`` is run by the owner after each migration (``manage.py db_app_role``), as new
tables need their grants.
"""

from __future__ import annotations

from django.apps import apps
from psycopg2 import sql

from .models.append_only import AppendOnlyModel


def append_only_tables() -> dict[str, tuple[str, ...]]:
    """db table -> the columns the application may still UPDATE (usually none)."""
    return {model._meta.db_table: tuple(model._meta.get_field(f).column
                                        for f in getattr(model, "append_only_updatable", ()))
            for model in apps.get_models() if issubclass(model, AppendOnlyModel)}


def app_role_create(cursor, *, role: str, password: str | None = None) -> bool:
    """Create the application role if missing (needs CREATEROLE). Returns whether it was created."""
    cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
    if cursor.fetchone():
        return False
    cursor.execute(sql.SQL("CREATE ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS"
                           " PASSWORD %s").format(sql.Identifier(role)), [password])
    return True


def app_role_grant(cursor, *, role: str, schema: str = "public") -> dict:
    """Grant the application role exactly what it needs on every table and sequence of ``schema``."""
    ident = sql.Identifier(role)
    cursor.execute("SELECT current_database()")
    database = cursor.fetchone()[0]
    cursor.execute(sql.SQL("GRANT CONNECT, TEMPORARY ON DATABASE {} TO {}").format(sql.Identifier(database), ident))
    cursor.execute(sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(sql.Identifier(schema), ident))
    cursor.execute(sql.SQL("REVOKE CREATE ON SCHEMA {} FROM {}").format(sql.Identifier(schema), ident))
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s ORDER BY tablename", [schema])
    tables = [row[0] for row in cursor.fetchall()]
    guarded = append_only_tables()
    for table in tables:
        target = sql.SQL("{}.{}").format(sql.Identifier(schema), sql.Identifier(table))
        cursor.execute(sql.SQL("REVOKE ALL ON TABLE {} FROM {}").format(target, ident))
        if table in guarded:
            cursor.execute(sql.SQL("GRANT SELECT, INSERT ON TABLE {} TO {}").format(target, ident))
            if guarded[table]:
                cursor.execute(sql.SQL("GRANT UPDATE ({}) ON TABLE {} TO {}").format(
                    sql.SQL(", ").join(map(sql.Identifier, guarded[table])), target, ident))
        else:
            cursor.execute(sql.SQL("GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE {} TO {}").format(target, ident))
    cursor.execute(sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {} TO {}").format(
        sql.Identifier(schema), ident))
    return {"role": role, "tables": len(tables), "append_only": sorted(t for t in guarded if t in tables)}
