"""Index-backed account search (issue 16) and keyset-friendly list indexes.

PostgreSQL only (SQLite registers the same key functions in Python, accounts.apps): pg_trgm and
unaccent, two IMMUTABLE key functions usable in indexes, and expression indexes on exactly the
expressions accounts/search.py queries, so no writer (imports, COPY, seed, services) has to
maintain a normalised column.
"""

from django.db import migrations, models

from accounts.pg import postgres_only

CREATE = r"""
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
-- unaccent() is only STABLE (its dictionary could change); bound to the C function with a fixed
-- dictionary it is IMMUTABLE, may be used in an index, and is inlined (no SQL-function call per row).
CREATE OR REPLACE FUNCTION search_unaccent(regdictionary, text) RETURNS text
    LANGUAGE c IMMUTABLE PARALLEL SAFE STRICT AS '$libdir/unaccent', 'unaccent_dict';
CREATE OR REPLACE FUNCTION search_fold(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT lower(public.search_unaccent(regdictionary 'public.unaccent', $1)) $$;
CREATE OR REPLACE FUNCTION search_number_key(text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT upper(regexp_replace($1, '[^0-9A-Za-z]+', '', 'g')) $$;

CREATE INDEX accounts_account_number_key
    ON accounts_account ((search_number_key(creditor_account_number)) COLLATE "C", id);
CREATE INDEX accounts_debtor_name_key
    ON accounts_debtor ((search_fold(last_name)) COLLATE "C", (search_fold(first_name)) COLLATE "C", id);
CREATE INDEX accounts_debtor_business_key
    ON accounts_debtor ((search_fold(business_name)) COLLATE "C", id) WHERE business_name <> '';
CREATE INDEX accounts_debtor_name_trgm
    ON accounts_debtor USING gin ((search_fold(first_name || ' ' || last_name || ' ' || business_name)) gin_trgm_ops);
CREATE INDEX accounts_email_address_lower ON accounts_email (lower(address));
"""
DROP = """
DROP INDEX IF EXISTS accounts_email_address_lower;
DROP INDEX IF EXISTS accounts_debtor_name_trgm;
DROP INDEX IF EXISTS accounts_debtor_business_key;
DROP INDEX IF EXISTS accounts_debtor_name_key;
DROP INDEX IF EXISTS accounts_account_number_key;
DROP FUNCTION IF EXISTS search_number_key(text);
DROP FUNCTION IF EXISTS search_fold(text);
DROP FUNCTION IF EXISTS search_unaccent(regdictionary, text);
"""


class Migration(migrations.Migration):
    dependencies = [("accounts", "0010_auditevent_moved_from_compliance")]
    operations = [
        postgres_only(CREATE, DROP),
        migrations.AddIndex("account", models.Index(fields=["status", "id"], name="account_status_keyset")),
        migrations.AddIndex("account", models.Index(fields=["creditor", "id"], name="account_creditor_keyset")),
        migrations.AddIndex("account", models.Index(fields=["debt_type", "id"], name="account_debt_type_keyset")),
    ]
