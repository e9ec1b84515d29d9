"""kill -9 trials: does a crash at any moment lose or double a cent, or leave a batch stuck?

    .venv/bin/python bench/chaos.py --trials 100 [--seed S] [--port 8015] [--pg-port 5442]

Starts the real stack in a scratch folder: a private PostgreSQL (its own data directory and port, so
the machine's shared server is never touched), gunicorn on --port, one Celery worker (prefork, one
child) and Celery beat (which runs the import sweeper), all on a Redis database of its own
(--redis-url, default db 5, flushed first).
Each trial starts one operation through the HTTP API and SIGKILLs the web server, the worker (its
pool child or the whole worker) or the database at a random moment during it, then restarts what it
killed and lets retries finish, acting as a patient user: a request that failed is sent again, and
a batch that ended `failed` (restartable) is started again.

Operations: a ledger import (every trial). Payments and the nightly run join the rotation when the
payments API and `run_nightly` exist in this checkout (see OPERATIONS).

After each trial, with everything up again: `verify_balances` must pass; every row of every file
must be in the ledger exactly once (missing rows count as lost cents, repeated ones as double
cents); every batch must be fully in (its ledger rows equal its `created`) or fully out (none); no
batch may still be queued, running or validating once the trial's time is up (stuck). The last line
is the JSON summary: {"trials", "lost_cents", "double_cents", "stuck_batches", "failures", ...}.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
CREDITOR = "CHAOS"
ACCOUNTS = 200
USER = "chaos_accounting"
# Timings chosen so a trial takes seconds, not minutes: a dead worker's batch is swept 4 s after its
# last heartbeat, and a queued batch whose message was lost is sent again after 8 s.
STACK_ENV = {
    "DEBUG": "1",
    "LEDGER_IMPORT_HEARTBEAT_SECONDS": "0.5",
    "LEDGER_IMPORT_STALE_SECONDS": "4",
    "LEDGER_IMPORT_SWEEP_SECONDS": "1",
    "LEDGER_IMPORT_REQUEUE_SECONDS": "8",
    "LEDGER_DRY_RUN_SYNC_MAX_BYTES": str(64 * 1024 * 1024),
}
SETTLE_SECONDS = 90  # after the kill: longer than this in a worker state is a stuck batch
TERMINAL = {"imported", "already_imported", "invalid", "failed"}
IN_WORKER = {"converting", "queued", "running", "validating"}


def log(message: str) -> None:
    print(f"[chaos {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------- the stack


class Stack:
    """The processes this script starts, and only those: each in its own session so a SIGKILL reaches
    its whole process group and nothing else."""

    def __init__(self, workdir: Path, *, port: int, pg_port: int, redis_url: str):
        self.workdir, self.port, self.pg_port = workdir, port, pg_port
        self.pg_data, self.pg_sock = workdir / "pg", workdir / "sock"
        self.env = {**os.environ, **STACK_ENV, "DATABASE_URL": f"postgres://postgres@127.0.0.1:{pg_port}/chaos",
                    "REDIS_URL": redis_url, "MEDIA_ROOT": str(workdir / "media")}
        self.env.pop("DJANGO_SETTINGS_MODULE", None)
        self.procs: dict[str, subprocess.Popen] = {}
        self.as_postgres = os.geteuid() == 0  # PostgreSQL refuses to run as root
        self.night = "run_nightly"
        self.durations: dict[str, float] = {}

    # PostgreSQL ------------------------------------------------------------------------------------
    def _pg(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        command = [str(PG_BIN / args[0]), *args[1:]]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=check, capture_output=True, text=True)

    def pg_init(self) -> None:
        self.pg_sock.mkdir(parents=True, exist_ok=True)
        if self.as_postgres:
            shutil.chown(self.workdir, "postgres")
            shutil.chown(self.pg_sock, "postgres")
        self._pg("initdb", "-D", str(self.pg_data), "--auth=trust", "-U", "postgres", "--no-sync", "-E", "UTF8")
        with open(self.pg_data / "postgresql.conf", "a") as conf:
            conf.write(f"\nport = {self.pg_port}\nlisten_addresses = '127.0.0.1'\n"
                       f"unix_socket_directories = '{self.pg_sock}'\nmax_connections = 60\n"
                       "shared_buffers = 64MB\nfsync = on\nsynchronous_commit = on\n")
        self.pg_start()
        self._pg("createdb", "-h", "127.0.0.1", "-p", str(self.pg_port), "-U", "postgres", "chaos")

    def pg_start(self) -> None:
        """The postmaster runs as our child (not daemonised by pg_ctl), so a SIGKILLed one is reaped here
        and its PID is free for the restart's lock-file check."""
        out = open(self.workdir / "pg.log", "ab")  # noqa: SIM115 - owned by the child
        self.procs["db"] = subprocess.Popen([str(PG_BIN / "postgres"), "-D", str(self.pg_data)], stdout=out,
                                            stderr=subprocess.STDOUT, start_new_session=True,
                                            user="postgres" if self.as_postgres else None)
        out.close()
        wait_until(self._pg_ready, 120, "PostgreSQL to accept connections")

    def _pg_ready(self) -> bool:
        if self.procs["db"].poll() is not None:
            raise RuntimeError(f"PostgreSQL exited: see {self.workdir / 'pg.log'}")
        return subprocess.run([str(PG_BIN / "pg_isready"), "-h", "127.0.0.1", "-p", str(self.pg_port), "-q"],
                              check=False).returncode == 0

    def pg_kill(self) -> None:
        """SIGKILL the postmaster and every backend at once: what a machine crash leaves behind."""
        for pid in [self.procs["db"].pid, *children(self.procs["db"].pid)]:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.procs["db"].wait(timeout=30)

    def pg_stop(self) -> None:
        proc = self.procs.pop("db", None)
        if proc is not None and proc.poll() is None:
            proc.send_signal(signal.SIGQUIT)  # immediate shutdown
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    # Django processes --------------------------------------------------------------------------------
    def manage(self, *args: str, check: bool = True, timeout: float = 600) -> subprocess.CompletedProcess:
        result = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=self.env, capture_output=True,
                                text=True, timeout=timeout)
        if check and result.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed: {result.stdout[-2000:]}{result.stderr[-2000:]}")
        return result

    def _spawn(self, name: str, command: list[str]) -> None:
        out = open(self.workdir / f"{name}.log", "ab")  # noqa: SIM115 - owned by the child
        self.procs[name] = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT,
                                            start_new_session=True)
        out.close()

    def start_web(self) -> None:
        self._spawn("web", [PYTHON, "-m", "gunicorn", "collections_app.wsgi", "-b", f"127.0.0.1:{self.port}",
                            "-w", "2", "--timeout", "120", "--graceful-timeout", "5"])
        wait_until(lambda: http_ok(f"http://127.0.0.1:{self.port}/healthz"), 60, "gunicorn to answer")

    def start_worker(self) -> None:
        self._spawn("worker", [PYTHON, "-m", "celery", "-A", "collections_app", "worker", "--concurrency=1",
                               "--loglevel=WARNING", "--without-gossip", "--without-mingle", "-n",
                               f"chaos{self.port}@%h"])
        wait_until(lambda: len(children(self.procs["worker"].pid)) >= 1, 60, "the worker's pool child")

    def start_beat(self) -> None:
        self._spawn("beat", [PYTHON, "-m", "celery", "-A", "collections_app", "beat", "--loglevel=WARNING",
                             "-s", str(self.workdir / "beat-schedule")])

    def kill(self, name: str) -> None:
        proc = self.procs.get(name)
        if proc is not None and proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait(timeout=30)

    def kill_worker_child(self) -> bool:
        """SIGKILL only the pool process running the task; the worker itself notices and re-queues."""
        kids = children(self.procs["worker"].pid)
        for pid in kids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        return bool(kids)

    def kill_web_worker(self) -> bool:
        """SIGKILL one gunicorn worker (the master starts another): a request dies mid-transaction."""
        kids = children(self.procs["web"].pid) if self.alive("web") else []
        if kids:
            try:
                os.kill(random.choice(kids), signal.SIGKILL)
            except ProcessLookupError:
                pass
        return bool(kids)

    def alive(self, name: str) -> bool:
        proc = self.procs.get(name)
        return proc is not None and proc.poll() is None

    def stop_all(self) -> None:
        for name in [name for name in self.procs if name != "db"]:
            self.kill(name)
        self.pg_stop()


def children(pid: int) -> list[int]:
    kids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                kids.append(int(entry.name))
    return kids


def wait_until(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except Exception:  # noqa: BLE001 - the thing waited for is not up yet
            pass
        time.sleep(0.1)
    raise RuntimeError(f"timed out waiting for {what}")


def http_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


# ---------------------------------------------------------------------------------------------- HTTP client


class Api:
    """The patient client: a connection error or a 5xx is tried again until `deadline`."""

    def __init__(self, base: str, token: str):
        self.base, self.token = base, token

    def call(self, method: str, path: str, *, body: bytes | None = None, content_type: str = "application/json",
             headers: dict | None = None, deadline: float) -> tuple[int, dict]:
        while True:
            request = urllib.request.Request(self.base + path, data=body, method=method, headers={
                "Authorization": f"Token {self.token}", "Content-Type": content_type, **(headers or {})})
            try:
                with urllib.request.urlopen(request, timeout=60) as response:
                    return response.status, json.loads(response.read() or b"{}")
            except urllib.error.HTTPError as exc:
                if exc.code < 500:
                    return exc.code, json.loads(exc.read() or b"{}")
            except (urllib.error.URLError, OSError, json.JSONDecodeError):
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"{method} {path} kept failing")
            time.sleep(0.3)

    def upload(self, name: str, data: bytes, *, deadline: float) -> tuple[int, dict]:
        boundary = uuid.uuid4().hex
        parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="creditor"\r\n\r\n{CREDITOR}\r\n',
                 f'--{boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\ntransactions\r\n',
                 f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
                 "Content-Type: text/csv\r\n\r\n"]
        body = "".join(parts).encode() + data + f"\r\n--{boundary}--\r\n".encode()
        return self.call("POST", "/api/imports/", body=body, content_type=f"multipart/form-data; boundary={boundary}",
                         deadline=deadline)


# ---------------------------------------------------------------------------------------------- checks


def db_query(stack: Stack, sql: str, params: tuple = ()) -> list[tuple]:
    import psycopg2

    conn = psycopg2.connect(host="127.0.0.1", port=stack.pg_port, user="postgres", dbname="chaos",
                            connect_timeout=10)
    try:
        with conn.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall() if cursor.description else []
    finally:
        conn.close()


@dataclass
class Tally:
    trials: int = 0
    lost_cents: int = 0
    double_cents: int = 0
    stuck_batches: int = 0
    failures: list[str] = field(default_factory=list)
    kills: dict[str, int] = field(default_factory=dict)
    operations: dict[str, int] = field(default_factory=dict)
    phases: dict[str, int] = field(default_factory=dict)


def check_ledger(stack: Stack, tally: Tally, label: str, expected: dict[str, int]) -> None:
    """Every expected reference in the ledger exactly once with its amount; nothing else of ours."""
    tag = label.split(":")[0]
    rows = db_query(stack, "SELECT reference, COUNT(*), SUM(ROUND(amount * 100))::bigint FROM accounts_ledgerentry"
                           " WHERE reference LIKE %s GROUP BY reference", (tag + "-%",))
    seen = {reference: (count, cents) for reference, count, cents in rows}
    lost = sum(abs(cents) for reference, cents in expected.items() if reference not in seen)
    double = 0
    for reference, (count, cents) in seen.items():
        want = expected.get(reference)
        if want is None:
            double += abs(cents)  # a row nobody sent
        elif count > 1:
            double += abs(cents) - abs(want)
        elif cents != want:  # one row, the wrong amount: count the difference both ways
            lost += max(abs(want) - abs(cents), 0)
            double += max(abs(cents) - abs(want), 0)
    if lost or double:
        tally.failures.append(f"{label}: {lost} cents missing, {double} cents doubled in the ledger")
    tally.lost_cents += lost
    tally.double_cents += double


def check_batches(stack: Stack, tally: Tally, label: str, batch_ids: list[int]) -> None:
    for batch_id, status, created, in_ledger, message in db_query(
            stack, "SELECT b.id, b.status, b.created, (SELECT COUNT(*) FROM accounts_ledgerentry l"
                   " WHERE l.import_batch_id = b.id), b.message FROM accounts_importbatch b WHERE b.id = ANY(%s)",
            (batch_ids,)):
        fully_in = status == "imported" and in_ledger == created
        fully_out = status != "imported" and in_ledger == 0
        if not (fully_in or fully_out):
            tally.failures.append(f"{label}: batch {batch_id} is {status} with {in_ledger} ledger rows "
                                  f"(created {created}): neither fully in nor fully out")
        if status in IN_WORKER:
            tally.stuck_batches += 1
            tally.failures.append(f"{label}: batch {batch_id} stuck in {status} ({message})")


def check_balances(stack: Stack, tally: Tally, label: str) -> None:
    result = stack.manage("verify_balances", check=False)
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    if result.returncode != 0 or summary["mismatched"] or summary["orphaned_entries"]:
        tally.failures.append(f"{label}: verify_balances {summary}")
        rows = db_query(stack, "SELECT COALESCE(SUM(ABS(a.current_balance - COALESCE(l.total, 0))) * 100, 0)::bigint"
                               " FROM accounts_account a LEFT JOIN (SELECT account_id, SUM(amount) AS total FROM"
                               " accounts_ledgerentry GROUP BY account_id) l ON l.account_id = a.id")
        tally.lost_cents += rows[0][0]


# ---------------------------------------------------------------------------------------------- operations


def transactions_file(rng: random.Random, label: str, rows: int) -> tuple[bytes, dict[str, int]]:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["creditor_account_number", "posted_date", "type", "amount", "reference", "memo"])
    expected = {}
    for i in range(rows):
        kind = rng.choice(("charge", "fee", "interest", "payment", "adjustment"))
        cents = rng.randint(1, 99_999)
        signed = -cents if kind == "payment" else cents
        if kind == "adjustment" and rng.random() < 0.5:
            signed = cents = -cents
        reference = f"{label}-{i}"
        writer.writerow([f"C{rng.randrange(ACCOUNTS):04d}", f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                         kind, f"{cents / 100:.2f}", reference, "chaos"])
        expected[reference] = signed
    return out.getvalue().encode(), expected


def run_import(stack: Stack, api: Api, rng: random.Random, tally: Tally, label: str, kill) -> None:
    tag = label.split(":")[0]  # references and the file name carry the trial: T7-0, T7-1, … in T7.csv
    rows = rng.randint(5_000, 40_000)
    data, expected = transactions_file(rng, tag, rows)
    batch_ids: list[int] = []
    killer = threading.Thread(target=kill)
    killer.start()
    deadline = time.monotonic() + SETTLE_SECONDS
    try:
        status, body = api.upload(f"{tag}.csv", data, deadline=deadline)
        if status != 201:
            raise RuntimeError(f"upload answered {status}: {body}")
        batch_ids.append(body["id"])
        status, body = api.call("POST", f"/api/imports/{body['id']}/start/", body=b"{}", deadline=deadline)
        if status not in (202, 409):
            raise RuntimeError(f"start answered {status}: {body}")
    except (TimeoutError, RuntimeError) as exc:
        tally.failures.append(f"{label}: {exc}")
    killer.join()
    # Settle: wait for the worker; start again what failed restartably (what a user would do).
    while batch_ids and time.monotonic() < deadline:
        batch_id = batch_ids[-1]
        try:
            code, body = api.call("GET", f"/api/imports/{batch_id}/", deadline=deadline)
        except TimeoutError:
            break
        if body.get("status") == "failed" and body.get("restartable"):
            api.call("POST", f"/api/imports/{batch_id}/start/", body=b"{}", deadline=deadline)
        elif body.get("status") in TERMINAL:
            break
        time.sleep(0.3)
    # A batch the client never heard of (the web died after the upload committed) is fully out; find all.
    batch_ids = [row[0] for row in db_query(stack, "SELECT id FROM accounts_importbatch WHERE original_name = %s",
                                            (f"{tag}.csv",))]
    final = db_query(stack, "SELECT status, message FROM accounts_importbatch WHERE id = ANY(%s) ORDER BY id",
                     (batch_ids,))
    if not any(status == "imported" for status, _ in final):
        tally.failures.append(f"{label}: the file never landed: {final}")
    check_batches(stack, tally, label, batch_ids)
    check_ledger(stack, tally, label, expected)


def run_payments(stack: Stack, api: Api, rng: random.Random, tally: Tally, label: str, kill) -> None:
    """A batch of payments, each with its own idempotency key, posted by a client that sends a request
    again (same key, same body) until it gets an answer: each key must post exactly once."""
    tag = label.split(":")[0]
    accounts = [row[0] for row in db_query(stack, "SELECT a.id FROM accounts_account a JOIN accounts_creditor c"
                                                  " ON c.id = a.creditor_id WHERE c.code = %s", (CREDITOR,))]
    posts = [(f"{tag}-pay-{i}", rng.choice(accounts), rng.randint(100, 50_000)) for i in range(rng.randint(20, 60))]
    killer = threading.Thread(target=kill)
    killer.start()
    deadline = time.monotonic() + SETTLE_SECONDS
    for key, account_id, cents in posts:
        body = json.dumps({"amount": f"{cents / 100:.2f}", "method": "ach",
                           "received_at": "2025-06-01T12:00:00Z"}).encode()
        try:
            status, answer = api.call("POST", f"/api/accounts/{account_id}/payments/", body=body,
                                      headers={"Idempotency-Key": key}, deadline=deadline)
        except TimeoutError as exc:
            tally.failures.append(f"{label}: payment {key}: {exc}")
            continue
        if status not in (200, 201):
            tally.failures.append(f"{label}: payment {key} answered {status}: {answer}")
    killer.join()
    posted = {key: (count, cents) for key, count, cents in db_query(
        stack, "SELECT idempotency_key, COUNT(*), SUM(ROUND(amount * 100))::bigint FROM payments_payment"
               " WHERE idempotency_key LIKE %s GROUP BY idempotency_key", (tag + "-pay-%",))}
    in_ledger = dict(db_query(
        stack, "SELECT p.idempotency_key, SUM(ROUND(l.amount * 100))::bigint FROM payments_payment p"
               " JOIN payments_paymentallocation a ON a.payment_id = p.id"
               " JOIN accounts_ledgerentry l ON l.id = a.ledger_entry_id"
               " WHERE p.idempotency_key LIKE %s GROUP BY p.idempotency_key", (tag + "-pay-%",)))
    lost = double = 0
    for key, _, cents in posts:
        count, _ = posted.get(key, (0, 0))
        if count == 0:
            lost += cents
        double += max(count - 1, 0) * cents
        ledger = -(in_ledger.get(key) or 0)
        if count == 1 and ledger != cents:
            lost += max(cents - ledger, 0)
            double += max(ledger - cents, 0)
    if lost or double:
        tally.failures.append(f"{label}: payments: {lost} cents missing, {double} cents doubled")
    tally.lost_cents += lost
    tally.double_cents += double


def _night_snapshot(stack: Stack) -> dict:
    """What a second night run must not change: row counts of every table (bar logs, audit and job
    bookkeeping, which may grow) and the money."""
    tables = [row[0] for row in db_query(stack, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
    skip = ("audit", "log", "session", "run", "celery", "django_", "auth_", "token")
    snapshot = {}
    for table in sorted(tables):
        if not any(word in table for word in skip):
            snapshot[table] = db_query(stack, f'SELECT COUNT(*) FROM "{table}"')[0][0]
    snapshot["ledger_cents"] = db_query(stack, "SELECT COALESCE(SUM(ROUND(amount * 100)), 0)::bigint"
                                               " FROM accounts_ledgerentry")[0][0]
    snapshot["balance_cents"] = db_query(stack, "SELECT COALESCE(SUM(ROUND(current_balance * 100)), 0)::bigint"
                                                " FROM accounts_account")[0][0]
    return snapshot


def night_command(stack: Stack) -> str:
    """run_nightly when it exists; until then the one nightly job there is (the re-prioritisation)."""
    names = stack.manage("help", "--commands").stdout.split()
    return "run_nightly" if "run_nightly" in names else "reprioritize"


def run_night(stack: Stack, api: Api, rng: random.Random, tally: Tally, label: str, kill) -> None:
    """The night as its management command; the "worker" kill takes the process running it. Run it
    again until it completes, then once more: the second run must change nothing."""
    command = stack.night
    stack._spawn("night", [PYTHON, "manage.py", command])
    killer = threading.Thread(target=kill)
    killer.start()
    killer.join()
    stack.procs["night"].wait(timeout=SETTLE_SECONDS)
    deadline = time.monotonic() + SETTLE_SECONDS
    while stack.procs["night"].returncode != 0 and time.monotonic() < deadline:
        stack._spawn("night", [PYTHON, "manage.py", command])  # a rerun after a crash
        stack.procs["night"].wait(timeout=SETTLE_SECONDS)
    if stack.procs["night"].returncode != 0:
        tally.failures.append(f"{label}: {command} never completed after the kill")
        return
    before = _night_snapshot(stack)
    rerun = stack.manage(command, check=False)
    after = _night_snapshot(stack)
    if rerun.returncode != 0 or before != after:
        changed = {k: (before.get(k), after.get(k)) for k in set(before) | set(after) if before.get(k) != after.get(k)}
        tally.failures.append(f"{label}: {command} run again did not converge: exit {rerun.returncode}, {changed}")


OPERATIONS = {"import": run_import}


def available_operations(stack: Stack, api: Api) -> dict:
    """Payments and the night join when this checkout has them."""
    operations = dict(OPERATIONS)
    schema = api.call("GET", "/api/schema/?format=json", deadline=time.monotonic() + 60)[1]
    if any(path.endswith("/payments/") for path in schema.get("paths", {})):
        operations["payments"] = run_payments
    stack.night = night_command(stack)
    operations["night"] = run_night
    return operations


def measure(stack: Stack, api: Api, rng: random.Random, operations: dict) -> None:
    """One undisturbed run of each operation (labelled W…, not checked as a trial): how long it takes
    here, so kills land during it rather than after it."""
    for name in sorted(operations):
        started = time.monotonic()
        if name == "night":
            # The night alone, without the convergence rerun, and its second run: the first catches up
            # on the whole portfolio, the later ones (what each trial runs) have a day's work.
            stack.manage(stack.night)
            started = time.monotonic()
            stack.manage(stack.night)
        else:
            operations[name](stack, api, rng, Tally(), f"W{name}:{name}/none", lambda: None)
        stack.durations[name] = round(time.monotonic() - started, 2)
    log(f"undisturbed durations (s): {stack.durations}")


# ---------------------------------------------------------------------------------------------- trials


def phase(stack: Stack, tag: str) -> str:
    """What the trial's import was doing when the kill came (for the summary's spread of moments)."""
    try:
        rows = db_query(stack, "SELECT status, rows_done FROM accounts_importbatch WHERE original_name = %s"
                               " ORDER BY id DESC LIMIT 1", (f"{tag}.csv",))
    except Exception:  # noqa: BLE001 - the database may be the one down; the phase is only informative
        return "unknown"
    if not rows:
        return "uploading"
    status, rows_done = rows[0]
    return f"{status}:{'parsing' if rows_done else 'starting'}" if status == "running" else status


def make_killer(stack: Stack, rng: random.Random, target: str, tally: Tally, tag: str):
    operation = tag.split(":")[1].split("/")[0]
    # A moment within how long this operation took undisturbed (measured at set-up), from its start.
    delay = rng.uniform(0.0, stack.durations.get(operation, 2.5))

    def kill() -> None:
        try:
            _kill()
        except Exception as exc:  # noqa: BLE001 - a kill that did not happen is a failed trial, never a pass
            tally.failures.append(f"{tag}: the kill failed: {exc.__class__.__name__}: {exc}")

    def _kill() -> None:
        time.sleep(delay)
        if operation == "import":
            moment = phase(stack, tag.split(":")[0])
        elif operation == "night":
            moment = "night:running" if stack.alive("night") else "night:finished"  # faster than measured
        else:
            moment = operation
        tally.phases[moment] = tally.phases.get(moment, 0) + 1
        what = target
        if target == "worker" and operation == "payments" and stack.kill_web_worker():
            what = "web-worker"  # payments run in the web process: the worker there is gunicorn's
        elif target == "worker" and operation == "night":
            stack.kill("night")  # the process running the night is its worker
            what = "night-process"
        elif target == "worker" and rng.random() < 0.5 and stack.kill_worker_child():
            what = "worker-child"  # the worker re-queues the task itself (reject_on_worker_lost)
            time.sleep(0.5)
            if not stack.alive("worker"):
                stack.start_worker()
        elif target == "worker":
            stack.kill("worker")
            time.sleep(rng.uniform(0.2, 1.5))
            stack.start_worker()
        elif target == "web":
            stack.kill("web")
            time.sleep(rng.uniform(0.2, 1.0))
            stack.start_web()
        elif target == "db":
            stack.pg_kill()
            time.sleep(rng.uniform(0.2, 1.5))
            stack.pg_start()
        tally.kills[what] = tally.kills.get(what, 0) + 1
        log(f"killed {what} after {delay:.2f} s, during {moment}")

    return kill


SETUP = """
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from collections_app.services import user_ensure
call_command("migrate", interactive=False, verbosity=0)
call_command("create_creditor", {creditor!r}, name="Chaos Bank")
user, _ = user_ensure(username={user!r}, password="chaos-not-secret-1", roles=["accounting", "admin"])
call_command("import_ledger", {placements!r}, creditor={creditor!r}, kind="accounts")
print("TOKEN", Token.objects.get_or_create(user=user)[0].key)
"""


def setup(stack: Stack, rng: random.Random) -> Api:
    """One Django process for the whole set-up (each start costs seconds on a busy machine)."""
    log(f"private PostgreSQL on port {stack.pg_port} in {stack.pg_data}")
    stack.pg_init()
    placements = io.StringIO()
    writer = csv.writer(placements)
    writer.writerow(["creditor_account_number", "debt_type", "first_name", "last_name", "principal"])
    for i in range(ACCOUNTS):
        writer.writerow([f"C{i:04d}", "credit card", "Cha", f"Os{i}", f"{rng.randint(100, 99_999)}.00"])
    path = stack.workdir / "placements.csv"
    path.write_text(placements.getvalue())
    output = stack.manage("shell", "-c", SETUP.format(creditor=CREDITOR, user=USER, placements=str(path))).stdout
    token = next(line.split()[1] for line in output.splitlines() if line.startswith("TOKEN "))
    stack.start_web()
    stack.start_worker()
    stack.start_beat()
    log("stack up")
    return Api(f"http://127.0.0.1:{stack.port}", token)


def flush_broker(redis_url: str) -> None:
    """Messages left by an earlier run (a killed worker's unacknowledged task) must not leak in."""
    import redis

    redis.Redis.from_url(redis_url).flushdb()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--trials", type=int, default=10)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--port", type=int, default=8015)
    parser.add_argument("--pg-port", type=int, default=5442)
    # A Redis database of its own: the run flushes it first, and a worker of the test suite or of a
    # developer on the same database would otherwise take (or lose) the chaos stack's tasks.
    parser.add_argument("--redis-url", default=os.environ.get("CHAOS_REDIS_URL", "redis://127.0.0.1:6379/5"))
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder (logs) at the end")
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    workdir = Path(tempfile.mkdtemp(prefix="chaos15-"))
    stack = Stack(workdir, port=args.port, pg_port=args.pg_port, redis_url=args.redis_url)
    tally = Tally()
    started = time.monotonic()
    flush_broker(args.redis_url)
    try:
        api = setup(stack, rng)
        operations = available_operations(stack, api)
        log(f"operations: {', '.join(sorted(operations))} (night: {stack.night})")
        measure(stack, api, rng, operations)
        targets = ("web", "worker", "db")
        for trial in range(args.trials):
            operation = sorted(operations)[(trial // len(targets)) % len(operations)]
            target = targets[trial % len(targets)]
            label = f"T{trial}"
            log(f"trial {trial + 1}/{args.trials}: {operation}, kill {target}")
            operations[operation](stack, api, rng, tally, f"{label}:{operation}/{target}",
                                  make_killer(stack, rng, target, tally, f"{label}:{operation}/{target}"))
            check_balances(stack, tally, f"{label}:{operation}/{target}")
            tally.trials += 1
            tally.operations[operation] = tally.operations.get(operation, 0) + 1
            log(f"after {tally.trials} trial(s): lost {tally.lost_cents}, doubled {tally.double_cents}, "
                f"stuck {tally.stuck_batches}, failures {len(tally.failures)}")
    except Exception as exc:  # noqa: BLE001 - reported in the summary, never a silent pass
        tally.failures.append(f"the run stopped: {exc.__class__.__name__}: {exc}")
    finally:
        stack.stop_all()
        if args.keep or tally.failures:
            log(f"logs kept in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    summary = {"trials": tally.trials, "lost_cents": tally.lost_cents, "double_cents": tally.double_cents,
               "stuck_batches": tally.stuck_batches, "failures": tally.failures, "kills": tally.kills,
               "operations": tally.operations, "kill_moments": tally.phases, "night_command": stack.night,
               "undisturbed_seconds": stack.durations, "seed": seed,
               "seconds": round(time.monotonic() - started, 1)}
    print(json.dumps(summary))
    return 0 if not tally.failures and tally.trials == args.trials else 1


if __name__ == "__main__":
    sys.exit(main())
