"""The night at scale: run_nightly's steps at N accounts, each timed beside its SQL floor, in one run.

    .venv/bin/python bench/night_bench.py [--accounts 1000000]

Builds a scratch database (collections_night_bench) by SQL: N accounts with one ledger entry each;
interest terms on 30% (consumer loans, one day to accrue); open promises on 5% (due dates spread
around the bench day, a third paid in full, a sixth in part); active payment plans on 10% (12
monthly installments each, started 0-11 months ago, some paid); approved settlements on 1%.
Then, for each step, in one run:
  floor -> the fewest statements the database needs for the same change (no status table checks,
           no account follow-up, no stamping), run inside a transaction that is ROLLED BACK;
  ours  -> the step as `run_nightly` runs it (committed).
Then the whole night again (the rerun, which must change nothing) and verify_balances.
Prints a table and one JSON line.
"""

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SERVER = "postgres://postgres@127.0.0.1:5432"
DB = os.environ.get("NIGHT_BENCH_DB", "collections_night_bench")  # a database of its own per worktree
TODAY = date(2026, 6, 15)

FLOORS = {
    "promises": ["""UPDATE payments_promise SET status = CASE WHEN amount_paid >= amount THEN 'kept'
                    WHEN amount_paid > 0 THEN 'partial' ELSE 'broken' END
                    WHERE status = 'open' AND due_date < %(today)s"""],
    "plans": ["""UPDATE payments_installment i SET status = 'missed' FROM payments_paymentplan p
                 WHERE i.plan_id = p.id AND p.status = 'active' AND i.status = 'scheduled'
                   AND i.due_date + p.grace_days < %(today)s"""],
    "settlements": ["""UPDATE payments_settlement SET status = 'expired'
                       WHERE status IN ('approved', 'awaiting_approval') AND expires_on < %(today)s"""],
    "interest": ["""WITH ins AS (INSERT INTO accounts_ledgerentry (account_id, creditor_id, kind, amount, posted_date,
                        reference, memo, source, fingerprint, created_at)
                     SELECT a.id, a.creditor_id, 'interest',
                            round(a.current_balance * t.annual_rate / 100 / 365, 2), %(today)s,
                            'FLOOR-' || a.id, '', 'system', '', now()
                       FROM payments_interestterms t JOIN accounts_account a ON a.id = t.account_id
                      WHERE t.accrued_through < %(today)s - 1 RETURNING account_id, amount)
                    UPDATE accounts_account a SET current_balance = a.current_balance + ins.amount
                      FROM ins WHERE a.id = ins.account_id"""],
    "reminders": ["""INSERT INTO payments_reminder (account_id, kind, promise_id, installment_id, due_date,
                        idempotency_key, status, channel, detail, created_on, updated_at)
                     SELECT p.account_id, 'promise_due', p.id, NULL, p.due_date, 'f:p:' || p.id, 'queued', '', '',
                            %(today)s, now()
                       FROM payments_promise p WHERE p.status = 'open' AND p.due_date BETWEEN %(today)s
                        AND %(today)s + 2
                     UNION ALL
                     SELECT pl.account_id, 'installment_due', NULL, i.id, i.due_date, 'f:i:' || i.id, 'queued', '',
                            '', %(today)s, now()
                       FROM payments_installment i JOIN payments_paymentplan pl ON pl.id = i.plan_id
                      WHERE pl.status = 'active' AND i.status = 'scheduled'
                        AND i.due_date BETWEEN %(today)s AND %(today)s + 2"""],
}


def build(n: int) -> None:
    from django.db import connection

    t0 = time.perf_counter()
    with connection.cursor() as c:
        c.execute("INSERT INTO accounts_creditor (code, name, kind, allocation_order, settlement_authority_pct, "
                  "is_active, created_at) VALUES ('NIGHT', 'Night bench', 'lender', "
                  "'[\"fees\", \"interest\", \"principal\"]', 20, true, now()) RETURNING id")
        creditor = c.fetchone()[0]
        c.execute("INSERT INTO payments_paymentsettings (creditor_id, promise_max_days, promise_min_amount, "
                  "plan_max_installments, plan_min_installment, plan_grace_days, plan_default_after_misses, "
                  "interest_allowed, interest_stops_at_charge_off, reminder_days_before) "
                  "VALUES (%s, 30, 25, 24, 25, 5, 2, true, true, 2)", [creditor])
        c.execute("""INSERT INTO accounts_debtor (id, debtor_type, first_name, last_name, business_name, ssn_last4,
                     preferred_language, stated_time_zone, created_at)
                     SELECT g, 'consumer', 'Pat', 'Night' || g, '', '', CASE WHEN g %% 5 = 0 THEN 'es' ELSE 'en' END,
                            '', now() FROM generate_series(1, %s) g""", [n])
        c.execute("""INSERT INTO accounts_account (id, creditor_id, debtor_id, creditor_account_number, debt_type,
                     original_creditor, status, current_balance, placed_at, updated_at)
                     SELECT g, %s, g, 'N' || lpad(g::text, 8, '0'),
                            CASE WHEN g %% 10 < 3 THEN 'consumer_loan' ELSE 'credit_card' END, '',
                            CASE WHEN g %% 20 = 0 THEN 'promise' WHEN g %% 10 = 1 THEN 'plan' ELSE 'active' END,
                            (100 + (g::bigint * 7919) %% 490000) / 100.0, now(), now()
                       FROM generate_series(1, %s) g""", [creditor, n])
        c.execute("""INSERT INTO accounts_ledgerentry (account_id, creditor_id, kind, amount, posted_date, reference,
                     memo, source, fingerprint, created_at)
                     SELECT id, creditor_id, 'charge', current_balance, DATE '2025-01-01', NULL, '', 'placement', '',
                            now() FROM accounts_account""")
        c.execute("""INSERT INTO payments_interestterms (account_id, annual_rate, method, accrued_through,
                     stopped_reason) SELECT id, 18, 'simple_daily', %s, '' FROM accounts_account
                     WHERE debt_type = 'consumer_loan'""", [TODAY - timedelta(days=2)])
        c.execute("""INSERT INTO payments_promise (account_id, amount, due_date, method, status, amount_paid,
                     pickup_place, outside_guardrails, override_reason, created_at)
                     SELECT id, 50, %s::date + ((id / 20) %% 21 - 10)::int, 'ach', 'open',
                            CASE WHEN id %% 3 = 0 THEN 50 WHEN id %% 6 = 1 THEN 20 ELSE 0 END, '', '[]', '', now()
                       FROM accounts_account WHERE id %% 20 = 0""", [TODAY])
        c.execute("""INSERT INTO payments_paymentplan (account_id, total, down_payment, frequency,
                     installment_count, start_date, grace_days, default_after_misses, status, missed_count,
                     outside_guardrails, language, agreement_pdf, created_at)
                     SELECT id, current_balance, 0, 'monthly', 12,
                            (%s::date - ((id / 10) %% 12)::int * 30), 5, 2, 'active', 0, '[]', 'en', '', now()
                       FROM accounts_account WHERE id %% 10 = 1""", [TODAY])
        c.execute("""INSERT INTO payments_installment (plan_id, seq, due_date, amount, amount_paid, status, paid_on)
                     SELECT p.id, s, p.start_date + (s - 1) * 30, round(p.total / 12, 2),
                            CASE WHEN p.start_date + (s - 1) * 30 < %(today)s - 20 AND (p.id + s) %% 4 <> 0
                                 THEN round(p.total / 12, 2) ELSE 0 END,
                            CASE WHEN p.start_date + (s - 1) * 30 < %(today)s - 20 AND (p.id + s) %% 4 <> 0
                                 THEN 'paid' ELSE 'scheduled' END, NULL
                       FROM payments_paymentplan p CROSS JOIN generate_series(1, 12) s""", {"today": TODAY})
        c.execute("""INSERT INTO payments_settlement (account_id, kind, balance_at_offer, amount, discount_pct,
                     installments, expires_on, status, reason, amount_paid, created_by_id, created_at, decision_note)
                     SELECT id, 'settlement', current_balance, round(current_balance * 0.7, 2), 30, 1,
                            %s::date + (id %% 11 - 5)::int, 'approved', '', 0, %s, now(), ''
                       FROM accounts_account WHERE id %% 100 = 7""", [TODAY, _bench_user()])
        for table in ("accounts_debtor", "accounts_account"):
            c.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
    with connection.cursor() as c:
        c.execute("ANALYZE")
    print(f"built {n:,} accounts in {time.perf_counter() - t0:.1f} s", flush=True)


def _bench_user() -> int:
    from collections_app.models import User

    return User.objects.get_or_create(username="night-bench")[0].pk


def counts() -> dict:
    from django.db import connection

    with connection.cursor() as c:
        out = {}
        for name, sql in (("promises_open", "SELECT count(*) FROM payments_promise WHERE status = 'open'"),
                          ("plans_active", "SELECT count(*) FROM payments_paymentplan WHERE status = 'active'"),
                          ("installments", "SELECT count(*) FROM payments_installment"),
                          ("interest_terms", "SELECT count(*) FROM payments_interestterms"),
                          ("settlements_approved", "SELECT count(*) FROM payments_settlement"
                                                   " WHERE status = 'approved'")):
            c.execute(sql)
            out[name] = c.fetchone()[0]
    return out


def floor(step: str) -> float | None:
    from django.db import connection, transaction

    if step not in FLOORS:
        return None
    t0 = time.perf_counter()

    class Rollback(Exception):
        pass

    try:
        with transaction.atomic(), connection.cursor() as c:
            for sql in FLOORS[step]:
                c.execute(sql, {"today": TODAY})
            elapsed = time.perf_counter() - t0
            raise Rollback
    except Rollback:
        pass
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--accounts", type=int, default=1_000_000)
    args = parser.parse_args()
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DB], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DB], check=True)
    os.environ["DATABASE_URL"] = f"{SERVER}/{DB}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "collections_app.settings")
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, check=True, env=os.environ)
    import django

    django.setup()
    from accounts.services import balances_verify
    from collections_app.nightly import STEPS, run_night

    build(args.accounts)
    shape = counts()
    rows, total_ours, total_floor = [], 0.0, 0.0
    night_start = time.perf_counter()
    for name, _ in STEPS:
        floor_s = floor(name)
        result = run_night(today=TODAY, only=[name])[name]
        ours = result.pop("seconds")
        total_ours += ours
        total_floor += floor_s or 0.0
        rows.append({"step": name, "ours_s": round(ours, 2),
                     "floor_s": round(floor_s, 3) if floor_s is not None else None,
                     "ratio": round(ours / floor_s, 2) if floor_s else None, "counts": result})
    night_wall = time.perf_counter() - night_start - total_floor
    rerun = run_night(today=TODAY)
    verified = balances_verify()
    print(f"{'step':<14}{'ours s':>9}{'floor s':>9}{'ratio':>7}  counts")
    for r in rows:
        print(f"{r['step']:<14}{r['ours_s']:>9}{(r['floor_s'] or '-')!s:>9}{(r['ratio'] or '-')!s:>7}  {r['counts']}")
    print(f"whole night {total_ours:.1f} s (floors {total_floor:.1f} s); rerun {rerun['seconds']:.1f} s")
    print(json.dumps({"accounts": args.accounts, "shape": shape, "steps": rows, "night_s": round(total_ours, 2),
                      "night_wall_s": round(night_wall, 2), "floors_s": round(total_floor, 2),
                      "rerun_s": rerun["seconds"],
                      "rerun_changes": {k: v for k, v in rerun.items() if isinstance(v, dict)},
                      "balances_mismatched": verified["mismatched"]}, default=str))


if __name__ == "__main__":
    main()
