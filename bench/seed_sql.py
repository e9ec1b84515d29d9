"""Seed a big accounts database by SQL alone, as fast as PostgreSQL can: for the 10M search figure.

    .venv/bin/python bench/seed_sql.py --accounts 10000000 [--db collections_w16_10m] [--chunk 2000000]

Creates the database, migrates it, drops the secondary indexes of the tables it fills, inserts
debtors, accounts, phones and emails with generate_series (bench/portfolio_sql.py; no ledger,
search never reads it) in chunks, then recreates every dropped index (each one a single sorted
build, parallel where PostgreSQL can) and ANALYZEs. Reuses the database when it already holds
--accounts accounts. Then measure it with

    .venv/bin/python bench/pages_bench.py --db collections_w16_10m --only-search
"""

import argparse
import json
import sys
import time
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.pages_bench import SERVER, env_for, manage  # noqa: E402
from bench.portfolio_sql import portfolio_insert, sequences_reset  # noqa: E402

TABLES = ("accounts_debtor", "accounts_account", "accounts_phone", "accounts_email")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--accounts", type=int, default=10_000_000)
    parser.add_argument("--db", default="collections_w16_10m")
    parser.add_argument("--chunk", type=int, default=2_000_000)
    args = parser.parse_args()
    admin = psycopg2.connect(f"{SERVER}/postgres")
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [args.db])
        if not cur.fetchone():
            cur.execute(f'CREATE DATABASE "{args.db}"')
    admin.close()
    manage(env_for(args.db, 0), "migrate", "--noinput")
    conn = psycopg2.connect(f"{SERVER}/{args.db}")
    conn.autocommit = True
    cur = conn.cursor()
    cur.execute("SELECT count(*) FROM accounts_account")
    have = cur.fetchone()[0]
    started = time.perf_counter()
    timings = {}
    if have < args.accounts:
        cur.execute("SET maintenance_work_mem = '1GB'")
        cur.execute("SET max_parallel_maintenance_workers = 2")
        # Secondary indexes are rebuilt once at the end: far cheaper than maintaining them per row.
        cur.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s)"
                    " AND indexname NOT IN (SELECT conname FROM pg_constraint)", [list(TABLES)])
        indexes = cur.fetchall()
        for name, _ in indexes:
            cur.execute(f'DROP INDEX "{name}"')
        t = time.perf_counter()
        remaining = args.accounts - have
        while remaining > 0:
            step = min(args.chunk, remaining)
            with conn.cursor() as chunk_cur:
                chunk_cur.execute("BEGIN")
                portfolio_insert(chunk_cur, count=step, prefix="T", ledger=False)
                chunk_cur.execute("COMMIT")
            remaining -= step
            print(f"  inserted {args.accounts - remaining:,} accounts ({time.perf_counter() - t:.0f} s)", flush=True)
        timings["insert_s"] = round(time.perf_counter() - t, 1)
        t = time.perf_counter()
        for name, definition in indexes:
            cur.execute(definition)
            print(f"  index {name} ({time.perf_counter() - t:.0f} s)", flush=True)
        timings["indexes_s"] = round(time.perf_counter() - t, 1)
        sequences_reset(cur)
        t = time.perf_counter()
        cur.execute("VACUUM ANALYZE")
        timings["vacuum_analyze_s"] = round(time.perf_counter() - t, 1)
    cur.execute("SELECT count(*) FROM accounts_account")
    total = cur.fetchone()[0]
    cur.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
    size = cur.fetchone()[0]
    print(json.dumps({"db": args.db, "accounts": total, "seconds": round(time.perf_counter() - started, 1),
                      "size": size, **timings}))


if __name__ == "__main__":
    main()
