"""A scratch PostgreSQL database with N open accounts for the worklist benchmarks, seeded by SQL.

Creditors, debtors (one address, one phone each), accounts in every bucket and status, some contact
history, promises and plans, a team with one queue over everything, and collectors with API tokens.
Seeding a million accounts this way takes about a minute; ``ensure`` reuses a database already
seeded with the same N.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parents[1]
SERVER = "postgres://postgres@127.0.0.1:5432"
DB = "collections_worklist_bench"  # + the account count: a 1M and a small database can live side by side
URL = f"{SERVER}/{DB}"


def use(n: int) -> None:
    """Point DB/URL at the database for ``n`` accounts."""
    global DB, URL
    # WORKLIST_BENCH_DB: a database of one's own when several worktrees bench on one server
    DB = os.environ.get("WORKLIST_BENCH_DB") or f"collections_worklist_bench_{n}"
    URL = f"{SERVER}/{DB}"

SEED_SQL = """
INSERT INTO accounts_creditor (code, name, kind, allocation_order, settlement_authority_pct, is_active, created_at)
SELECT 'BC' || g, 'Bench creditor ' || g, 'bank', '["fees","interest","principal"]', 20, true, now()
FROM generate_series(1, 5) g;

INSERT INTO accounts_debtor (debtor_type, first_name, last_name, business_name, ssn_last4, preferred_language,
                             stated_time_zone, created_at)
SELECT 'consumer', 'First' || g, 'Last' || g, '', '', CASE WHEN g % 7 = 0 THEN 'es' ELSE 'en' END, '', now()
FROM generate_series(1, {n}) g;

INSERT INTO accounts_address (line1, line2, city, state, zip, is_primary, status, time_zone, debtor_id)
SELECT g || ' Main St', '', 'Atlanta', (ARRAY['GA','NY','TX','CA','AZ','WA','FL','IL'])[1 + g % 8], '30303', true,
       'active', 'America/New_York', d.id
FROM (SELECT id, row_number() OVER (ORDER BY id) AS g FROM accounts_debtor) d;

INSERT INTO accounts_phone (number, phone_type, status, is_workplace, tcpa_consent, tcpa_consent_source, time_zones,
                            debtor_id)
SELECT '+1404' || lpad((5000000 + d.g)::text, 7, '0'), 'cell', 'active', false, false, '', '["America/New_York"]',
       d.id
FROM (SELECT id, row_number() OVER (ORDER BY id) AS g FROM accounts_debtor) d;

INSERT INTO accounts_account (creditor_account_number, debt_type, original_creditor, itemization_date,
    itemization_balance, date_of_first_delinquency, last_payment_date, status, current_balance, placed_at,
    updated_at, creditor_id, debtor_id)
SELECT 'B' || lpad(d.g::text, 8, '0'),
       (ARRAY['credit_card','consumer_loan','auto_loan','medical','utility','commercial'])[1 + d.g % 6], '',
       current_date - 400, 0, current_date - (d.g * 7919 % 900)::int,
       CASE WHEN d.g % 3 = 0 THEN current_date - 1200 END,
       (ARRAY['new','active','active','active','promise','plan','active','active'])[1 + d.g % 8],
       round(((d.g * 104729) % 2500000) / 100.0 + 25, 2), now(), now(),
       (SELECT min(id) FROM accounts_creditor WHERE code LIKE 'BC%') + d.g % 5, d.id
FROM (SELECT id, row_number() OVER (ORDER BY id) AS g FROM accounts_debtor) d;
"""

CONTACTS_SQL = """
INSERT INTO compliance_contactattempt (channel, "to", direction, outcome, notes, debt_ids, idempotency_key,
    requested_at, status, decision, context, content, error, account_id, debtor_id)
SELECT 'call', '+14045550000', 'outbound', CASE WHEN a.id % 3 = 0 THEN 'conversation' ELSE 'no_answer' END, '',
       '[]', 'bench-' || a.id, now() - ((a.id % 40) || ' days')::interval, 'allowed', '{"decision":"allow"}', '{}',
       '{}', '', a.id, a.debtor_id
FROM accounts_account a WHERE a.id % 4 = 0;

INSERT INTO payments_promise (amount, due_date, method, status, amount_paid, pickup_place, outside_guardrails,
    override_reason, created_at, judged_on, account_id)
SELECT 50, current_date - (a.id % 80)::int, 'ach', CASE WHEN a.id % 2 = 0 THEN 'broken' ELSE 'kept' END, 0, '',
       '[]', '', now(), current_date - (a.id % 80)::int, a.id
FROM accounts_account a WHERE a.id % 10 = 0;
"""


def manage(*args, env=None):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True,
                          capture_output=True, text=True)


def bench_env(**extra) -> dict:
    return {**os.environ, "DATABASE_URL": URL, "DEBUG": "1", **extra}


def ensure(n: int) -> None:
    """Create and seed the bench database unless it already holds exactly ``n`` accounts."""
    use(n)
    admin = psycopg2.connect(f"{SERVER}/postgres")
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB])
        exists = cur.fetchone() is not None
    if exists:
        have = None
        conn = psycopg2.connect(URL)
        try:
            with conn.cursor() as cur:
                cur.execute("SELECT count(*) FROM accounts_account")
                have = cur.fetchone()[0]
        except psycopg2.Error:
            pass
        finally:
            conn.close()  # before migrating: an open transaction's lock would block the migration's DDL
        if have == n:
            admin.close()
            manage("migrate", "--noinput", env=bench_env())
            return
        with admin.cursor() as cur:
            cur.execute(f"DROP DATABASE {DB}")
    with admin.cursor() as cur:
        cur.execute(f"CREATE DATABASE {DB}")
    admin.close()
    manage("migrate", "--noinput", env=bench_env())
    with psycopg2.connect(URL) as conn, conn.cursor() as cur:
        cur.execute(SEED_SQL.replace("{n}", str(int(n))))
        cur.execute(CONTACTS_SQL)
    conn = psycopg2.connect(URL)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("VACUUM ANALYZE")
    conn.close()
