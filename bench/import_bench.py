"""Ledger import benchmark: our validated, idempotent import vs a bare PostgreSQL COPY of the same file.

    .venv/bin/python bench/import_bench.py [--rows 1000000] [--accounts 100000]

Builds a scratch database (collections_bench), places --accounts accounts, writes a canonical
transactions CSV of --rows rows, then in one run times
  1. COPY of the file into a plain table (the fastest thing the database can do with it),
  2. COPY of the file into a table indexed like the ledger (id, unique reference, account+date),
  3. the SQL floor: the same rows written into the real ledger by SQL alone (COPY to staging, one
     INSERT ... SELECT joined to accounts, one balance UPDATE; no validation), and
  4. `manage.py import_ledger FILE --kind transactions` (parse, validate, stage, merge, balances),
and prints rows/s for each, our ratio to each, and the import's peak RSS.
"""

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from accounts.ledger_csv import format_transaction_row  # noqa: E402

SERVER = "postgres://postgres@127.0.0.1:5432"
DB = os.environ.get("BENCH_DB", "collections_bench")  # one per worktree when several run
TYPES = [("charge", 5), ("interest", 20), ("fee", 10), ("payment", 55), ("adjustment", 10)]


def sh(*args, env=None):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True,
                          capture_output=True, text=True)


def generate(path: Path, rows: int, accounts: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    kinds, weights = zip(*TYPES, strict=True)
    start = date(2024, 1, 1)
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["creditor_account_number", "posted_date", "type", "amount", "reference", "memo"])
        for i in range(rows):
            kind = rng.choices(kinds, weights)[0]
            cents = rng.randint(100, 50_000)
            if kind == "adjustment" and rng.random() < 0.5:
                cents = -cents
            writer.writerow(format_transaction_row(
                creditor_account_number=f"B{rng.randrange(accounts):07d}", posted_date=start + timedelta(i % 600),
                kind=kind, amount_cents=cents, reference=f"TX{i:09d}", memo="bench" if i % 7 else ""))


def settle(url: str) -> None:
    """CHECKPOINT before a timed phase: each starts with the WAL written out, so a checkpoint falling
    inside one phase and not the other does not decide the ratio."""
    conn = psycopg2.connect(url)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("CHECKPOINT")
    conn.close()


def sql_floor(conn, path: Path, creditor_id: int) -> float:
    """The same result with no Python and no validation: COPY into a staging table, one INSERT into
    the indexed ledger, one balance UPDATE, commit. What the database needs for the ledger write."""
    t0 = time.perf_counter()
    conn.autocommit = False
    with conn.cursor() as cur:
        cur.execute("CREATE TEMP TABLE floor_stage (n text, d date, t text, a numeric(14,2), r text, m text)")
        with path.open() as fh:
            cur.copy_expert("COPY floor_stage FROM STDIN WITH (FORMAT csv, HEADER true)", fh)
        cur.execute(
            "WITH ins AS (INSERT INTO accounts_ledgerentry (account_id, creditor_id, kind, amount, posted_date,"
            " reference, memo, source, fingerprint, created_at)"
            " SELECT acc.id, %s, s.t, CASE WHEN s.t = 'payment' THEN -s.a ELSE s.a END, s.d, s.r, COALESCE(s.m, ''),"
            " 'import', '', now() FROM floor_stage s JOIN accounts_account acc ON acc.creditor_id = %s"
            " AND acc.creditor_account_number = s.n"
            " RETURNING account_id, amount)"
            " UPDATE accounts_account SET current_balance = current_balance + d.total"
            " FROM (SELECT account_id, SUM(amount) AS total FROM ins GROUP BY account_id) d"
            " WHERE accounts_account.id = d.account_id", [creditor_id, creditor_id])
    conn.commit()
    conn.autocommit = True
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--accounts", type=int, default=100_000)
    args = parser.parse_args()

    admin = psycopg2.connect(f"{SERVER}/postgres")
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS {DB}")
        cur.execute(f"CREATE DATABASE {DB}")
    env = {**os.environ, "DATABASE_URL": f"{SERVER}/{DB}", "DEBUG": "1",
           "MEDIA_ROOT": str(ROOT / "var" / "bench-media")}
    sh("migrate", "-v0", env=env)
    sh("create_creditor", "BENCH", "--name", "Bench Bank", env=env)
    sh("create_creditor", "FLOOR", "--name", "Floor Bank", env=env)

    conn = psycopg2.connect(f"{SERVER}/{DB}")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT code, id FROM accounts_creditor WHERE code IN ('BENCH', 'FLOOR')")
        creditors = dict(cur.fetchall())
        cur.execute("INSERT INTO accounts_debtor (id, debtor_type, first_name, last_name, business_name, ssn_last4,"
                    " preferred_language, stated_time_zone, created_at) SELECT g, 'consumer', 'Bench', 'Debtor' || g,"
                    " '', '', 'en', '', now() FROM generate_series(1, %s) g", [args.accounts])
        for creditor_id in creditors.values():
            cur.execute("INSERT INTO accounts_account (creditor_id, debtor_id, creditor_account_number, debt_type,"
                        " original_creditor, status, current_balance, placed_at, updated_at)"
                        " SELECT %s, g, 'B' || lpad((g - 1)::text, 7, '0'), 'credit_card', '', 'active', 0, now(),"
                        " now() FROM generate_series(1, %s) g", [creditor_id, args.accounts])
        cur.execute("ANALYZE")

    path = Path("/tmp/collections_bench_transactions.csv")
    t0 = time.perf_counter()
    generate(path, args.rows, args.accounts)
    print(f"generated {args.rows:,} rows ({path.stat().st_size / 1e6:.1f} MB) in {time.perf_counter() - t0:.1f}s",
          file=sys.stderr)
    os.chmod(path, 0o644)

    with conn.cursor() as cur:
        cur.execute("CREATE TABLE bench_copy (creditor_account_number text, posted_date date, type text,"
                    " amount numeric(14,2), reference text, memo text)")
        t0 = time.perf_counter()
        with path.open() as fh:
            cur.copy_expert("COPY bench_copy FROM STDIN WITH (FORMAT csv, HEADER true)", fh)
        copy_s = time.perf_counter() - t0

        # The same file into a table with the ledger's indexes (id sequence, unique reference,
        # account+date): what COPY costs once a table is indexed like the ledger.
        cur.execute("CREATE TABLE bench_copy_indexed (id bigserial PRIMARY KEY, creditor_account_number text,"
                    " posted_date date, type text, amount numeric(14,2), reference text UNIQUE, memo text)")
        cur.execute("CREATE INDEX ON bench_copy_indexed (creditor_account_number, posted_date, id)")
        t0 = time.perf_counter()
        with path.open() as fh:
            cur.copy_expert("COPY bench_copy_indexed (creditor_account_number, posted_date, type, amount,"
                            " reference, memo) FROM STDIN WITH (FORMAT csv, HEADER true)", fh)
        copy_indexed_s = time.perf_counter() - t0

    settle(f"{SERVER}/{DB}")
    floor_s = sql_floor(conn, path, creditors["FLOOR"])

    settle(f"{SERVER}/{DB}")
    t0 = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    result = sh("import_ledger", str(path), "--creditor", "BENCH", "--kind", "transactions", env=env)
    import_s = time.perf_counter() - t0
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    verify = json.loads(sh("verify_balances", env=env).stdout.strip().splitlines()[-1])
    assert summary["status"] == "imported" and summary["created"] == args.rows, summary
    assert verify["mismatched"] == 0, verify

    with conn.cursor() as cur:
        cur.execute("SELECT summary->'seconds' FROM accounts_importbatch ORDER BY id DESC LIMIT 1")
        phases = cur.fetchone()[0]
    report = {
        "rows": args.rows,
        "copy_rows_per_s": round(args.rows / copy_s),
        "import_rows_per_s": round(args.rows / import_s),
        "ratio_to_copy": round(copy_s / import_s, 3),
        "copy_indexed_rows_per_s": round(args.rows / copy_indexed_s),
        "ratio_to_copy_indexed": round(copy_indexed_s / import_s, 3),
        "sql_floor_rows_per_s": round(args.rows / floor_s),
        "ratio_to_sql_floor": round(floor_s / import_s, 3),
        "copy_seconds": round(copy_s, 2),
        "sql_floor_seconds": round(floor_s, 2),
        "import_seconds": round(import_s, 2),
        "import_peak_rss_mb": round(max(peak_kb, before) / 1024, 1),
        "import_phase_seconds": phases,
        "balances_verified": verify["checked"],
    }
    print(json.dumps(report))


if __name__ == "__main__":
    main()
