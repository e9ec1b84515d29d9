"""The application's PostgreSQL role cannot rewrite history (issue 14, item 3).

The suite itself connects as the superuser; this test alone creates the application role on the test
database (accounts.db_roles, as ``manage.py db_app_role`` does in production), connects as it and
proves every bypass of the append-only guarantee is refused.
"""

import uuid

import psycopg2
import pytest
from django.core.management import call_command
from django.db import connection

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="database roles are PostgreSQL's")

APPEND_ONLY = ("accounts_ledgerentry", "compliance_contactattempt", "compliance_auditevent")


def _connect(settings_dict, **overrides):
    params = {"dbname": settings_dict["NAME"], "user": settings_dict["USER"], "host": settings_dict["HOST"] or None,
              "port": settings_dict["PORT"] or None, "password": settings_dict["PASSWORD"] or None, **overrides}
    conn = psycopg2.connect(**params)
    conn.autocommit = True
    return conn


@pytest.fixture
def app_conn(django_db_setup, django_db_blocker, capsys):
    role = f"app_{uuid.uuid4().hex[:12]}"
    settings_dict = connection.settings_dict
    with django_db_blocker.unblock():
        call_command("db_app_role", "--role", role, "--create")  # committed: the other connection sees it
        summary = capsys.readouterr().out.strip().splitlines()[-1]
    admin = _connect(settings_dict)
    conn = _connect(settings_dict, user=role, password=None)
    try:
        yield conn, summary
    finally:
        conn.close()
        with admin.cursor() as cur:
            cur.execute(f'DROP OWNED BY "{role}"')
            cur.execute(f'DROP ROLE "{role}"')
        admin.close()


def _refused(conn, statement: str) -> str:
    with conn.cursor() as cur:
        with pytest.raises(psycopg2.Error) as info:
            cur.execute(statement)
    return str(info.value)


def test_the_application_role_cannot_truncate_alter_or_disable_triggers(app_conn):
    conn, summary = app_conn
    assert all(table in summary for table in APPEND_ONLY)
    for table in APPEND_ONLY:
        assert "permission denied" in _refused(conn, f"TRUNCATE {table}")
        assert "must be owner" in _refused(conn, f"ALTER TABLE {table} DISABLE TRIGGER ALL")
        assert "must be owner" in _refused(conn, f"ALTER TABLE {table} ADD COLUMN x int")
        assert "must be owner" in _refused(conn, f"DROP TABLE {table}")
    assert "permission denied" in _refused(conn, "SET session_replication_role = replica")
    assert "permission denied" in _refused(conn, "CREATE TABLE public.sneaky (id int)")


def test_the_application_role_may_only_read_and_append_to_the_logs(app_conn):
    conn, _ = app_conn
    for table in APPEND_ONLY:
        assert "permission denied" in _refused(conn, f"UPDATE {table} SET id = id")
        assert "permission denied" in _refused(conn, f"DELETE FROM {table}")
    with conn.cursor() as cur:
        for table in APPEND_ONLY:
            cur.execute("SELECT has_table_privilege(%s, 'SELECT'), has_table_privilege(%s, 'INSERT')", [table, table])
            assert cur.fetchone() == (True, True), table
        # a queued attempt's delivery outcome is the one column set it may update (the trigger checks the move)
        cur.execute("UPDATE compliance_contactattempt SET status = status, sent_at = sent_at WHERE false")
        # ordinary tables take the usual row privileges, and temporary staging tables work
        cur.execute("UPDATE accounts_account SET status = status WHERE false")
        cur.execute("CREATE TEMP TABLE staging_probe (id int)")
    assert "permission denied" in _refused(conn, "UPDATE compliance_contactattempt SET notes = '' WHERE false")
