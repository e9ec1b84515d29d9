"""Dashboard benchmark: each dashboard view over HTTP beside the same figures computed from the base
tables, in one run.

    .venv/bin/python bench/dashboard_bench.py [--accounts 1000000] [--entries 10000000] [--db NAME] [-n 30]

Builds (or reuses) a PostgreSQL database: `seed_demo --accounts N` (accounts, debtors, ledgers, work
items, queues), then by SQL more ledger entries (payments, interest, fees; 24 months of posting
dates) up to --entries in all and outbound contact attempts (one per 5 entries) — every row goes
through the summary triggers, as in production. Then it starts gunicorn (2 workers, DEBUG=0), logs
in as supervisor1 / accounting1 and measures p50/p95 of each view (-n requests after 3 warm-ups),
and times the base-table SQL that computes the same figures without the summary tables (aging,
collected per month, activity per collector, promise outcomes, placements). Prints a table and a
JSON line with every figure. The time the triggers added to the bulk insert is reported too.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parents[1]
SERVER = "postgres://postgres@127.0.0.1:5432"
PORT = 8099
OPEN = "('new','active','promise','plan','disputed','hold')"


def env_for(db: str) -> dict:
    return {**os.environ, "DATABASE_URL": f"{SERVER}/{db}", "DEBUG": "0", "SECRET_KEY": "bench-" + "x" * 50,
            "ALLOWED_HOSTS": "127.0.0.1,localhost", "SECURE_SSL_REDIRECT": "0", "CONN_MAX_AGE": "60"}


def manage(env: dict, *args: str) -> str:
    done = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True,
                          text=True)
    return done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def prepare(db: str, accounts: int, entries: int, env: dict) -> dict:
    admin = psycopg2.connect(f"{SERVER}/postgres")
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db])
        if not cur.fetchone():
            cur.execute(f'CREATE DATABASE "{db}"')
    admin.close()
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    conn = psycopg2.connect(f"{SERVER}/{db}")
    conn.autocommit = True
    cur = conn.cursor()
    cur.execute("SELECT COUNT(*) FROM accounts_account")
    info = {}
    if cur.fetchone()[0] < accounts:
        started = time.monotonic()
        manage(env, "seed_demo", "--accounts", str(accounts))
        info["seed_seconds"] = round(time.monotonic() - started, 1)
    cur.execute("SELECT COUNT(*) FROM accounts_ledgerentry")
    have = cur.fetchone()[0]
    if have < entries:
        cur.execute("SELECT MIN(id), MAX(id) FROM accounts_account")
        lo, hi = cur.fetchone()
        cur.execute("SELECT id FROM collections_app_user WHERE username LIKE 'collector%' ORDER BY id")
        collectors = [r[0] for r in cur.fetchall()] or [None]
        missing = entries - have
        chunk = 1_000_000
        insert_seconds = 0.0
        for offset in range(0, missing, chunk):
            n = min(chunk, missing - offset)
            sql = f"""
                INSERT INTO accounts_ledgerentry (account_id, creditor_id, kind, amount, posted_date, reference, memo,
                                                  source, fingerprint, created_by_id, created_at)
                SELECT a.id, a.creditor_id, k.kind,
                       CASE WHEN k.kind = 'payment' THEN -(1 + (g % 20000) / 100.0) ELSE 1 + (g % 5000) / 100.0 END,
                       DATE '2025-01-01' + (g % 700), 'BENCH-{have + offset}-' || g, '', 'import', '',
                       CASE WHEN k.kind = 'payment' AND g % 3 = 0 THEN (ARRAY{collectors})[1 + g % {len(collectors)}]
                       END, now()
                FROM generate_series(1, {n}) g
                JOIN accounts_account a ON a.id = {lo} + (g::bigint * 7919) % ({hi} - {lo} + 1)
                CROSS JOIN LATERAL (SELECT CASE WHEN g % 10 < 6 THEN 'payment' WHEN g % 10 < 8 THEN 'interest'
                                           ELSE 'fee' END AS kind) k"""
            started = time.monotonic()
            cur.execute(sql)
            insert_seconds += time.monotonic() - started
        cur.execute("""
            UPDATE accounts_account a SET current_balance = s.total
            FROM (SELECT account_id, SUM(amount) AS total FROM accounts_ledgerentry GROUP BY account_id) s
            WHERE s.account_id = a.id AND a.current_balance <> s.total""")
        info["ledger_rows_added"] = missing
        info["ledger_insert_seconds_with_triggers"] = round(insert_seconds, 1)
        cur.execute("SELECT COUNT(*) FROM compliance_contactattempt")
        attempts = entries // 5 - cur.fetchone()[0]
        if attempts > 0:
            cur.execute(f"""
                INSERT INTO compliance_contactattempt (account_id, debtor_id, channel, "to", direction, outcome, notes,
                    debt_ids, user_id, idempotency_key, requested_at, status, decision, context, content, error)
                SELECT a.id, a.debtor_id, 'call', '+12125550101', 'outbound',
                       CASE WHEN g % 5 = 0 THEN 'conversation' ELSE 'no_answer' END, '', '[]',
                       (ARRAY{collectors})[1 + g % {len(collectors)}], 'bench-' || g,
                       now() - ((g % 60) || ' days')::interval, 'allowed', '{{}}', '{{}}', '{{}}', ''
                FROM generate_series(1, {attempts}) g
                JOIN accounts_account a ON a.id = {lo} + (g::bigint * 104729) % ({hi} - {lo} + 1)""")
        cur.execute("ANALYZE")
    cur.execute("SELECT COUNT(*) FROM accounts_account")
    info["accounts"] = cur.fetchone()[0]
    cur.execute("SELECT COUNT(*) FROM accounts_ledgerentry")
    info["ledger_entries"] = cur.fetchone()[0]
    conn.close()
    return info


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Client:
    """Cookies by hand: production cookies are Secure, and this talks plain HTTP behind a pretend proxy."""

    def __init__(self, base: str):
        self.base = base
        self.cookies: dict[str, str] = {}
        self.opener = urllib.request.build_opener(_NoRedirect)

    def get(self, path: str, data: dict | None = None) -> tuple[int, bytes]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        headers = {"X-Forwarded-Proto": "https", "Referer": self.base.replace("http:", "https:") + "/login/",
                   "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        try:
            response = self.opener.open(urllib.request.Request(self.base + path, data=body, headers=headers))
        except urllib.error.HTTPError as exc:
            response = exc
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status if hasattr(response, "status") else response.code, response.read()

    def login(self, username: str) -> None:
        self.get("/login/")
        self.get("/login/", {"username": username, "password": "collect-demo-2026",
                             "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")})
        if "sessionid" not in self.cookies:
            raise SystemExit(f"could not log in as {username}")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def time_page(client: Client, path: str, n: int) -> dict:
    for _ in range(3):
        status, _ = client.get(path)
    times = []
    for _ in range(n):
        started = time.perf_counter()
        status, _ = client.get(path)
        times.append((time.perf_counter() - started) * 1000)
    return {"status": status, "p50": round(statistics.median(times), 1), "p95": round(percentile(times, 95), 1)}


def time_sql(cur, sql: str, n: int = 3) -> float:
    times = []
    for _ in range(n):
        started = time.perf_counter()
        cur.execute(sql)
        cur.fetchall()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1)


BASE_SQL = {
    "aging (accounts ⋈ work items)": f"""
        SELECT a.creditor_id, a.debt_type, COALESCE(w.bucket, ''), COUNT(*), SUM(a.current_balance)
        FROM accounts_account a LEFT JOIN collections_app_workitem w ON w.account_id = a.id
        WHERE a.status IN {OPEN} GROUP BY 1, 2, 3""",
    "collected per placement month (ledger)": """
        SELECT date_trunc('month', a.placed_at), date_trunc('month', e.posted_date), SUM(-e.amount)
        FROM accounts_ledgerentry e JOIN accounts_account a ON a.id = e.account_id
        WHERE e.kind = 'payment' GROUP BY 1, 2""",
    "activity per collector this month (contact log)": """
        SELECT user_id, COUNT(*), COUNT(*) FILTER (WHERE outcome = 'conversation') FROM compliance_contactattempt
        WHERE direction = 'outbound' AND status <> 'blocked' AND requested_at >= date_trunc('month', now())
        GROUP BY 1""",
    "placements per month (ledger)": """
        SELECT date_trunc('month', a.placed_at), SUM(e.amount) FROM accounts_ledgerentry e
        JOIN accounts_account a ON a.id = e.account_id WHERE e.source = 'placement' GROUP BY 1""",
    "promise outcomes (promises)": """
        SELECT status, COUNT(*), SUM(amount) FROM payments_promise GROUP BY 1""",
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--accounts", type=int, default=1_000_000)
    parser.add_argument("--entries", type=int, default=10_000_000)
    parser.add_argument("--db", default=None)
    parser.add_argument("-n", type=int, default=30)
    args = parser.parse_args()
    db = args.db or f"collections_dash_bench_{args.accounts}"
    env = env_for(db)
    info = prepare(db, args.accounts, args.entries, env)
    server = subprocess.Popen([str(ROOT / ".venv/bin/gunicorn"), "collections_app.wsgi", "-w", "2", "-b",
                               f"127.0.0.1:{PORT}", "--log-level", "warning"], cwd=ROOT, env=env)
    try:
        base = f"http://127.0.0.1:{PORT}"
        for _ in range(60):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except OSError:
                time.sleep(1)
        supervisor, accounting = Client(base), Client(base)
        supervisor.login("supervisor1")
        accounting.login("accounting1")
        conn = psycopg2.connect(f"{SERVER}/{db}")
        cur = conn.cursor()
        cur.execute("SELECT MIN(id) FROM accounts_creditor")
        creditor = cur.fetchone()[0]
        cur.execute("SELECT id FROM collections_app_user WHERE username = 'collector1'")
        collector = cur.fetchone()[0]
        since = time.strftime("%Y-%m-%d", time.gmtime(time.time() - 90 * 86400))
        pages = {
            "dashboard": (supervisor, "/dashboard/"),
            "dashboard, one creditor": (supervisor, f"/dashboard/?creditor={creditor}"),
            "dashboard, one collector, 90 days": (supervisor, f"/dashboard/?collector={collector}&start={since}"),
            "dashboard CSV (collectors)": (supervisor, "/dashboard/?export=collectors"),
            "drill-down: accounts in 91-120": (supervisor, "/dashboard/drill/accounts/?bucket=91-120"),
            "remittance (accounting)": (accounting, "/dashboard/remittance/"),
        }
        results = {name: time_page(client, path, args.n) for name, (client, path) in pages.items()}
        base_sql = {name: time_sql(cur, sql) for name, sql in BASE_SQL.items()}
        conn.close()
    finally:
        server.terminate()
        server.wait()
    print(f"{'view':45} {'status':>6} {'p50 ms':>8} {'p95 ms':>8}")
    for name, r in results.items():
        print(f"{name:45} {r['status']:>6} {r['p50']:>8} {r['p95']:>8}")
    print(f"\n{'the same figures from the base tables':60} {'ms':>8}")
    for name, ms in base_sql.items():
        print(f"{name:60} {ms:>8}")
    print(json.dumps({"data": info, "views": results, "base_tables_ms": base_sql}))


if __name__ == "__main__":
    main()
