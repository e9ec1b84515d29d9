"""A worker killed mid-import leaves nothing behind, and a rerun finishes with the same result."""

import csv
import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from accounts import bulk
from accounts.imports import services
from accounts.models import Account, Debtor, ImportBatch, ImportStatus, LedgerEntry
from accounts.services import balances_verify
from tests.factories import CreditorFactory

ROOT = Path(__file__).resolve().parents[2]
ROWS, ACCOUNTS = 300_000, 2_000

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.skipif(connection.vendor != "postgresql", reason="kills a second process on PostgreSQL")]


def database_url() -> str:
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def test_killed_import_writes_nothing_and_rerun_completes(tmp_path):
    creditor = CreditorFactory(code="KILL")
    debtor_ids = bulk.next_ids(Debtor, 1)
    bulk.insert_rows(Debtor, ["id", "debtor_type", "first_name", "last_name", "business_name", "ssn_last4",
                              "preferred_language", "stated_time_zone", "created_at"],
                     [(debtor_ids[0], "consumer", "K", "Ill", "", "", "en", "", "2025-01-01T00:00:00Z")])
    Account.objects.bulk_create([Account(creditor=creditor, debtor_id=debtor_ids[0],
                                         creditor_account_number=f"K{i:05d}") for i in range(ACCOUNTS)])
    path = tmp_path / "big.csv"
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["creditor_account_number", "posted_date", "type", "amount", "reference", "memo"])
        for i in range(ROWS):
            writer.writerow([f"K{i % ACCOUNTS:05d}", date(2025, 1, 1 + i % 28).isoformat(), "fee", "1.25",
                             f"R{i}", ""])

    env = {**os.environ, "DATABASE_URL": database_url(), "DEBUG": "1"}
    proc = subprocess.Popen([sys.executable, "manage.py", "import_ledger", str(path), "--creditor", "KILL",
                             "--kind", "transactions"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    batch = None
    while time.monotonic() < deadline and proc.poll() is None:
        batch = ImportBatch.objects.filter(creditor=creditor).first()
        if batch and batch.status == ImportStatus.RUNNING and batch.rows_done >= 50_000:
            os.kill(proc.pid, signal.SIGKILL)  # the worker dies mid-import
            break
        time.sleep(0.02)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL, "the import finished before it could be killed"

    batch.refresh_from_db()
    assert batch.status == ImportStatus.RUNNING
    assert LedgerEntry.objects.filter(creditor=creditor).count() == 0
    assert set(Account.objects.filter(creditor=creditor).values_list("current_balance", flat=True)) == {0}

    rerun = services.import_execute(batch_id=batch.pk)  # what the redelivered task does
    assert (rerun.status, rerun.created, rerun.errors) == (ImportStatus.IMPORTED, ROWS, 0)
    assert LedgerEntry.objects.filter(creditor=creditor).count() == ROWS
    assert balances_verify()["mismatched"] == 0
    again = services.import_execute(batch_id=batch.pk)
    assert again.status == ImportStatus.IMPORTED and LedgerEntry.objects.filter(creditor=creditor).count() == ROWS
