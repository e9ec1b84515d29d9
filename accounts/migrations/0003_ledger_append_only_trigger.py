"""PostgreSQL refuses UPDATE and DELETE on the ledger, whatever code path tries it."""

from django.db import migrations

from accounts.pg import postgres_only

CREATE = """
CREATE OR REPLACE FUNCTION ledger_entry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'accounts_ledgerentry is append-only: post a reversal instead of % ', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER ledger_entry_append_only BEFORE UPDATE OR DELETE ON accounts_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION ledger_entry_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS ledger_entry_append_only ON accounts_ledgerentry;
DROP FUNCTION IF EXISTS ledger_entry_append_only();
"""


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_initial")]
    operations = [postgres_only(CREATE, DROP)]
