"""Page benchmark: every main page of every role over HTTP, beside the bare indexed SQL that answers it.

    .venv/bin/python bench/pages_bench.py --accounts 1000000 [--db collections_pages] [--port 8016]
                                          [--requests 30] [--only-search]

Seeds the database with `seed_demo --accounts N` unless it already holds N demo accounts (then
reuses it and applies any new migrations), runs gunicorn (2 workers, DEBUG off, production
settings, static files from a cached collectstatic), logs each demo role in, and for each page
times --requests sequential warm GETs (p50 / p95 in ms). Beside each page it times the bare SQL
that answers the page (the same index-backed queries, run straight through the driver, no ORM,
templates or HTTP) over as many runs, and prints page p95, SQL p95 and their ratio in one table.
Targets (issue 16): every page p95 < 150 ms and within 3x of its bare query. A database built by
bench/seed_sql.py (accounts only, no ledger) can be measured with --only-search.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import psycopg2
import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SERVER = "postgres://postgres@127.0.0.1:5432"
PASSWORD = "collect-demo-2026"
SECRET = "pages-bench-" + "x" * 50
STATIC_CACHE = ROOT / "var" / "bench_static"


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))]


def env_for(db: str, port: int) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    env.update(DATABASE_URL=f"{SERVER}/{db}", DEBUG="0", SECRET_KEY=SECRET, ALLOWED_HOSTS="127.0.0.1",
               SECURE_SSL_REDIRECT="0", STATIC_ROOT=str(STATIC_CACHE), CONN_MAX_AGE="600")
    return env


def manage(env: dict, *args: str) -> str:
    out = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True,
                         text=True)
    return out.stdout


def prepare(db: str, accounts: int, env: dict, *, only_search: bool) -> None:
    admin = psycopg2.connect(f"{SERVER}/postgres")
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db])
        if not cur.fetchone():
            cur.execute(f'CREATE DATABASE "{db}"')
    admin.close()
    print(f"migrate {db} ...", flush=True)
    manage(env, "migrate", "--noinput")
    with psycopg2.connect(f"{SERVER}/{db}") as conn, conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM accounts_account")
        have = cur.fetchone()[0]
    if have < accounts and not only_search:
        print(f"{db} holds {have:,} accounts; seeding {accounts:,} (seed_demo) ...", flush=True)
        started = time.perf_counter()
        manage(env, "seed_demo", "--accounts", str(accounts))
        print(f"seeded in {time.perf_counter() - started:.0f} s", flush=True)
        with psycopg2.connect(f"{SERVER}/{db}") as conn:
            conn.autocommit = True
            conn.cursor().execute("VACUUM ANALYZE")
    else:
        print(f"reusing {db}: {have:,} accounts", flush=True)
    manifest = STATIC_CACHE / "staticfiles.json"
    newest = max(p.stat().st_mtime for p in (ROOT / "static").rglob("*") if p.is_file())
    if not manifest.exists() or manifest.stat().st_mtime < newest:
        print("collectstatic (cached in var/bench_static until static/ changes) ...", flush=True)
        manage(env, "collectstatic", "--noinput")


class Client:
    """HTTP as a browser behind a TLS proxy: production settings only send cookies over https."""

    def __init__(self, base: str):
        self.base = base
        self.cookies: dict[str, str] = {}

    def headers(self) -> dict:
        return {"X-Forwarded-Proto": "https", "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
                "Referer": f"https://{self.base.split('//')[1]}/", "Origin": f"https://{self.base.split('//')[1]}"}

    def get(self, path: str, **kwargs) -> requests.Response:
        response = requests.get(self.base + path, headers=self.headers(), allow_redirects=False, timeout=60, **kwargs)
        self.cookies.update(response.cookies.get_dict())
        return response

    def login(self, username: str, totp_key: bytes | None = None) -> None:
        page = self.get("/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        response = requests.post(self.base + "/login/", data={"username": username, "password": PASSWORD,
                                                              "csrfmiddlewaretoken": token},
                                 headers=self.headers(), allow_redirects=False, timeout=60)
        self.cookies.update(response.cookies.get_dict())
        if response.status_code != 302 or "sessionid" not in self.cookies:
            raise SystemExit(f"login as {username} failed: {response.status_code}")
        if totp_key is not None:  # the second factor, as the user's authenticator app would answer it
            from django_otp.oath import totp

            page = self.get("/2fa/")
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
            response = requests.post(self.base + "/2fa/", data={"code": f"{totp(totp_key):06d}",
                                                               "csrfmiddlewaretoken": token},
                                     headers=self.headers(), allow_redirects=False, timeout=60)
            self.cookies.update(response.cookies.get_dict())
            if response.status_code != 302:
                raise SystemExit(f"second factor for {username} failed: {response.status_code}")


def start_gunicorn(env: dict, port: int) -> subprocess.Popen:
    proc = subprocess.Popen([str(ROOT / ".venv" / "bin" / "gunicorn"), "collections_app.wsgi", "--workers", "2",
                             "--bind", f"127.0.0.1:{port}", "--timeout", "120", "--log-level", "warning"],
                            cwd=ROOT, env=env)
    for _ in range(120):
        try:
            requests.get(f"http://127.0.0.1:{port}/healthz", timeout=10)
            return proc
        except requests.RequestException:
            time.sleep(0.5)
    proc.terminate()
    raise SystemExit("gunicorn did not start")


def django_setup(env: dict) -> None:
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS")})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "collections_app.settings")
    import django

    django.setup()


# --- the bare SQL beside each page ---------------------------------------------------------------

ROWS_SQL = ("SELECT a.id, a.creditor_account_number, a.debt_type, a.status, a.current_balance, d.first_name,"
            " d.last_name, d.business_name, d.debtor_type, c.name FROM accounts_account a"
            " JOIN accounts_debtor d ON d.id = a.debtor_id JOIN accounts_creditor c ON c.id = a.creditor_id")


def bare_search(q: str):
    from accounts import search

    tiers = search.tier_queries_for_explain(q)

    def run(cur):
        found: list[int] = []
        for tier, sql, params in tiers:
            if len(found) >= search.SEARCH_LIMIT or (tier == "similar" and found):
                break
            if tier == "surname" and found:
                continue
            if tier == "similar":
                cur.execute("SELECT set_config('pg_trgm.word_similarity_threshold', %s, false)",
                            [str(search.WORD_SIMILARITY)])
            cur.execute(sql, params)
            found += [r[0] for r in cur.fetchall() if r[0] not in found]
        if found:
            cur.execute(ROWS_SQL + " WHERE a.id = ANY(%s)", [found[:search.SEARCH_LIMIT]])
            cur.fetchall()
    return run


def bare(sql: str, params=()):
    def run(cur):
        cur.execute(sql, params)
        cur.fetchall()
    return run


def pages(cur, *, only_search: bool) -> list[tuple[str, str, str, object]]:
    """(role, page, path, bare SQL runner) for every main page of every role."""
    cur.execute("SELECT id, creditor_account_number FROM accounts_account WHERE id >="
                " (SELECT (min(id) + max(id)) / 2 FROM accounts_account) ORDER BY id LIMIT 1")
    mid_id, mid_number = cur.fetchone()
    cur.execute("SELECT p.number FROM accounts_phone p JOIN accounts_account a ON a.debtor_id = p.debtor_id"
                " WHERE a.id = %s LIMIT 1", [mid_id])
    phone = cur.fetchone()[0]
    pretty_phone = f"({phone[2:5]}) {phone[5:8]}-{phone[8:]}"
    cur.execute("SELECT e.address FROM accounts_email e ORDER BY e.id DESC LIMIT 1")
    email = (cur.fetchone() or ["nobody@example.com"])[0]
    cur.execute("SELECT max(id) FROM accounts_account")
    top = cur.fetchone()[0]

    def q(text):
        return "/accounts/?" + urlencode({"q": text})

    searches = [
        ("account number", mid_number), ("account number, lower case, no dash", mid_number.lower().replace("-", "")),
        ("partial account number", mid_number[:-2]), ("phone, any format", pretty_phone), ("email", email),
        ("last name", "Smith"), ("first + last name", "James Smith"), ("last, first", "Okafor, Ada"),
        ("accented name", "Peña"), ("business name", "Harbor Dental"), ("misspelt name", "Jmes Okafr"),
    ]
    # The floor of any page on this machine right now: HTTP, gunicorn, middleware and SELECT 1.
    rows = [("collector", "floor: /healthz (SELECT 1)", "/healthz", bare("SELECT 1"))]
    rows += [("collector", f"search: {label} ({text})", q(text), bare_search(text)) for label, text in searches]
    if only_search:
        return rows
    list_sql = ROWS_SQL + " {where} ORDER BY a.id DESC LIMIT 26"
    count_sql = "SELECT count(*) FROM (SELECT 1 FROM accounts_account a {where} LIMIT 10001) t"

    def listing(where="", params=()):
        def run(cur):
            cur.execute(list_sql.format(where=where), params)
            cur.fetchall()
            cur.execute(count_sql.format(where=where), params)
            cur.fetchall()
        return run

    ledger = bare("SELECT * FROM accounts_ledgerentry WHERE account_id = %s ORDER BY posted_date DESC, id DESC"
                  " LIMIT 100", [mid_id])
    imports = bare("SELECT * FROM accounts_importbatch b LEFT JOIN accounts_creditor c ON c.id = b.creditor_id"
                   " ORDER BY b.created_at DESC, b.id DESC LIMIT 26")
    audit = bare("SELECT * FROM compliance_auditevent e LEFT JOIN collections_app_user u ON u.id = e.user_id"
                 " ORDER BY e.at DESC, e.id DESC LIMIT 51")
    disputes = bare("SELECT * FROM compliance_dispute WHERE status = 'open' ORDER BY received_at"
                    " LIMIT 20")
    extra = []
    cur.execute("SELECT to_regclass('collections_app_queue') IS NOT NULL")
    if cur.fetchone()[0]:
        cur.execute("SELECT q.id FROM collections_app_queue q ORDER BY q.position, q.id LIMIT 1")
        queue = cur.fetchone()
        if queue:
            extra.append(("supervisor", "queue items (top 50)", f"/worklist/queues/{queue[0]}/accounts/",
                          bare("SELECT * FROM collections_app_workitem w JOIN accounts_account a ON a.id = w.account_id"
                               " JOIN accounts_debtor d ON d.id = a.debtor_id WHERE w.queue_id = %s"
                               " ORDER BY w.priority DESC, w.account_id LIMIT 50", [queue[0]])))
    return rows + extra + [
        ("collector", "landing / (followed)", "/", None),
        ("collector", "account list, newest first", "/accounts/", listing()),
        ("collector", "account list, page 2000 (keyset)", f"/accounts/?after={top - 50_000}",
         listing("WHERE a.id < %s", [top - 50_000])),
        ("collector", "account workspace", f"/accounts/{mid_id}/", ledger),
        ("supervisor", "landing / (followed)", "/", None),
        ("supervisor", "accounts on compliance hold", "/accounts/?status=hold",
         listing("WHERE a.status = %s", ["hold"])),
        ("supervisor", "disputed, one creditor", "/accounts/?status=disputed&creditor=1",
         listing("WHERE a.status = %s AND a.creditor_id = %s", ["disputed", 1])),
        ("accounting", "landing / → import history", "/", imports),
        ("compliance", "landing / → compliance home", "/", disputes),
        ("compliance", "audit log", "/compliance/audit/", audit),
        ("admin", "landing / (followed)", "/", None),
    ]


def time_page(client: Client, path: str, n: int) -> tuple[list[float], int, str]:
    final = path
    for _ in range(3):  # follow the landing redirect once, then warm up
        response = client.get(final)
        if response.status_code in (301, 302) and response.headers.get("Location", "").startswith("/"):
            final = response.headers["Location"]
            response = client.get(final)
    times = []
    for _ in range(n):
        started = time.perf_counter()
        response = client.get(final)
        times.append((time.perf_counter() - started) * 1000)
    return times, response.status_code, final


def time_sql(cur, runner, n: int) -> list[float]:
    for _ in range(3):
        runner(cur)
    times = []
    for _ in range(n):
        started = time.perf_counter()
        runner(cur)
        times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--accounts", type=int, default=1_000_000)
    parser.add_argument("--db", default="collections_pages")
    parser.add_argument("--port", type=int, default=8016)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--only-search", action="store_true", help="search pages only (e.g. a seed_sql database)")
    args = parser.parse_args()
    env = env_for(args.db, args.port)
    prepare(args.db, args.accounts, env, only_search=args.only_search)
    django_setup(env)
    from django.db import connection

    from collections_app.services import user_ensure

    users = [("collector", "collector1"), ("supervisor", "supervisor1"), ("accounting", "accounting1"),
             ("compliance", "compliance1"), ("admin", "admin")]
    for role, username in users:  # seed_demo made them; a bench/seed_sql.py database has none
        user_ensure(username=username, password=PASSWORD, roles=[role])
    # Production settings require a second factor for some roles: every bench user gets a confirmed
    # TOTP device, and the client answers /2fa/ with the current code when the login asks for it.
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from collections_app.auth import two_factor_required
    from collections_app.models import User

    totp_keys: dict[str, bytes | None] = {}
    for _role, username in users:
        user = User.objects.get(username=username)
        if not two_factor_required(user):
            totp_keys[username] = None
            continue
        device = TOTPDevice.objects.filter(user=user, name="pages bench").first() or TOTPDevice.objects.create(
            user=user, name="pages bench", confirmed=True)
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        totp_keys[username] = device.bin_key

    with psycopg2.connect(f"{SERVER}/{args.db}") as setup_conn, setup_conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM accounts_account")
        n_accounts = cur.fetchone()[0]
        page_list = pages(cur, only_search=args.only_search)
    results = []
    server = start_gunicorn(env, args.port)
    try:
        clients = {}
        for role, user in users:
            clients[role] = Client(f"http://127.0.0.1:{args.port}")
            clients[role].login(user, totp_keys[user])
        with connection.cursor() as cur:
            for role, label, path, runner in page_list:
                page_times, status, final = time_page(clients[role], path, args.requests)
                sql_times = time_sql(cur.cursor, runner, args.requests) if runner else None
                results.append((role, label, final, status, page_times, sql_times))
                print(f"  {role:10} {label:58} p95 {percentile(page_times, 95):7.1f} ms", flush=True)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    print(f"\n{n_accounts:,} accounts, database {args.db}, gunicorn 2 workers, DEBUG off, "
          f"{args.requests} warm requests per page\n")
    print("| role | page | URL | HTTP | p50 ms | p95 ms | bare SQL p50 | bare SQL p95 | p95 ratio |")
    print("|---|---|---|---|---|---|---|---|---|")
    worst = 0.0
    for role, label, final, status, page_times, sql_times in results:
        p50, p95 = statistics.median(page_times), percentile(page_times, 95)
        worst = max(worst, p95)
        if sql_times:
            s50, s95 = statistics.median(sql_times), percentile(sql_times, 95)
            sql = f"{s50:.1f} | {s95:.1f} | {p95 / s95:.1f}x"
        else:
            sql = "— | — | —"
        print(f"| {role} | {label} | `{final[:60]}` | {status} | {p50:.1f} | {p95:.1f} | {sql} |")
    print(f"\nworst page p95: {worst:.1f} ms (target < 150 ms)")


if __name__ == "__main__":
    main()
