"""The import really runs on a Celery worker (in-thread) through the configured broker: Redis when
REDIS_URL is set (CI), otherwise kombu's filesystem:// broker under var/celery."""

import json

import pytest
from rest_framework.test import APIClient

from accounts.access import ACCOUNTING
from accounts.models import ImportStatus, LedgerEntry

from .support import (
    BAD_ROW,
    GOOD_ROWS,
    celery_worker,
    creditor_with_accounts,
    csv_bytes,
    upload,
    user_mapping,
    wait_for_batch,
)

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_started_import_is_run_by_a_worker_after_commit(users):
    creditor_with_accounts()
    client = APIClient()
    client.force_authenticate(users[ACCOUNTING])
    body = {"creditor": "ACME", "kind": "transactions", "file": upload(csv_bytes(*GOOD_ROWS, BAD_ROW)),
            "skip_invalid": "true", "mapping": json.dumps(user_mapping())}
    batch_id = client.post("/api/imports/", body, format="multipart").json()["id"]
    with celery_worker():
        assert client.post(f"/api/imports/{batch_id}/start/").status_code == 202
        batch = wait_for_batch(batch_id, {ImportStatus.IMPORTED, ImportStatus.INVALID, ImportStatus.FAILED})
    assert batch.status == ImportStatus.IMPORTED, batch.message
    assert (batch.created, batch.errors, batch.rows_done) == (3, 1, 4)
    assert LedgerEntry.objects.count() == 3
