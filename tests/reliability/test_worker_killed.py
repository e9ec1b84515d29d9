"""A real Celery worker is SIGKILLed mid-import: nothing lands, the sweeper fails the batch with the reason,
and starting it again lands it whole."""

import csv
import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection

from accounts import bulk
from accounts.imports import services
from accounts.models import Account, Debtor, ImportBatch, ImportStatus, LedgerEntry
from accounts.services import balances_verify
from accounts.tasks import ledger_import_sweep
from tests.factories import CreditorFactory

ROOT = Path(__file__).resolve().parents[2]
ROWS, ACCOUNTS = 200_000, 500

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.skipif(connection.vendor != "postgresql", reason="kills a worker process on PostgreSQL")]


def database_url() -> str:
    db = django_settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def start_worker(media_root: str) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": database_url(), "DEBUG": "1", "MEDIA_ROOT": media_root,
           "LEDGER_IMPORT_HEARTBEAT_SECONDS": "0.5"}
    return subprocess.Popen([sys.executable, "-m", "celery", "-A", "collections_app", "worker", "--pool=solo",
                             "--loglevel=WARNING", "--without-gossip", "--without-mingle", "--without-heartbeat"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_worker_killed_mid_import_is_swept_to_failed_and_a_restart_lands_the_file(tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    creditor = CreditorFactory(code="KILLW")
    debtor_id = bulk.next_ids(Debtor, 1)[0]
    bulk.insert_rows(Debtor, ["id", "debtor_type", "first_name", "last_name", "business_name", "ssn_last4",
                              "preferred_language", "stated_time_zone", "created_at"],
                     [(debtor_id, "consumer", "K", "Ill", "", "", "en", "", "2025-01-01T00:00:00Z")])
    Account.objects.bulk_create([Account(creditor=creditor, debtor_id=debtor_id, creditor_account_number=f"W{i:04d}")
                                 for i in range(ACCOUNTS)])
    path = tmp_path / "big.csv"
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["creditor_account_number", "posted_date", "type", "amount", "reference", "memo"])
        for i in range(ROWS):
            writer.writerow([f"W{i % ACCOUNTS:04d}", date(2025, 1, 1 + i % 28).isoformat(), "fee", "1.25", f"R{i}",
                             ""])
    with path.open("rb") as fh:
        batch = services.import_batch_create(creditor=creditor, kind="transactions", fileobj=fh,
                                             original_name="big.csv")

    worker = start_worker(settings.MEDIA_ROOT)
    try:
        services.import_start(batch=batch)  # commits, then sends the task to the real broker
        wait_for(lambda: ImportBatch.objects.filter(pk=batch.pk, status=ImportStatus.RUNNING,
                                                    rows_done__gte=50_000).exists(), 120, "the import to run")
        assert ImportBatch.objects.get(pk=batch.pk).heartbeat_at is not None
        os.killpg(worker.pid, signal.SIGKILL)  # the worker dies mid-import
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()

    batch.refresh_from_db()
    assert batch.status == ImportStatus.RUNNING  # what stuck forever before the sweeper
    assert LedgerEntry.objects.filter(creditor=creditor).count() == 0
    settings.LEDGER_IMPORT_STALE_SECONDS = 2
    time.sleep(2.5)  # no heartbeat for longer than the stale limit
    ledger_import_sweep()  # what beat runs every LEDGER_IMPORT_SWEEP_SECONDS
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED and batch.restartable
    assert batch.message.startswith("The worker running this import stopped (no sign of life since ")
    assert LedgerEntry.objects.filter(creditor=creditor).count() == 0
    assert balances_verify()["mismatched"] == 0

    worker = start_worker(settings.MEDIA_ROOT)
    try:
        services.import_start(batch=batch)
        wait_for(lambda: ImportBatch.objects.filter(pk=batch.pk, status__in=(
            ImportStatus.IMPORTED, ImportStatus.FAILED, ImportStatus.INVALID)).exists(), 180, "the restart")
    finally:
        os.killpg(worker.pid, signal.SIGKILL)
        worker.wait()
    batch.refresh_from_db()
    assert (batch.status, batch.created) == (ImportStatus.IMPORTED, ROWS), batch.message
    assert LedgerEntry.objects.filter(creditor=creditor).count() == ROWS
    assert balances_verify()["mismatched"] == 0
