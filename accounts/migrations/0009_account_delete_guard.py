"""Accounts with ledger entries cannot be deleted (the ledger's account reference has no per-row FK)."""

from django.db import migrations

from accounts.pg import postgres_only

CREATE = """
CREATE OR REPLACE FUNCTION account_delete_guard() RETURNS trigger AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM accounts_ledgerentry WHERE account_id = OLD.id) THEN
        RAISE EXCEPTION 'account % has ledger entries: close it, never delete it', OLD.id;
    END IF;
    RETURN OLD;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER account_delete_guard BEFORE DELETE ON accounts_account
    FOR EACH ROW EXECUTE FUNCTION account_delete_guard();
"""
DROP = """
DROP TRIGGER IF EXISTS account_delete_guard ON accounts_account;
DROP FUNCTION IF EXISTS account_delete_guard();
"""


class Migration(migrations.Migration):
    dependencies = [("accounts", "0008_ledger_account_without_fk_check")]
    operations = [postgres_only(CREATE, DROP)]
