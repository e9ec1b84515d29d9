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


def test_an_uploaded_workbook_is_converted_by_a_worker_then_goes_on_like_a_csv(users, settings, tmp_path):
    """POST answers 202 at once with the batch `converting`; the worker converts it; polling GET shows it
    `uploaded` with the conversion's figures; the dry run then reads the CSV made from it."""
    import io

    from openpyxl import Workbook

    from accounts.models import ImportBatch

    settings.MEDIA_ROOT = str(tmp_path / "media")
    creditor_with_accounts()
    book = Workbook()
    for line in [row.split(",") for row in ("Acct,Posted,Type,Amt,Txn Ref Code,Memo", *GOOD_ROWS[:1])]:
        book.active.append(line)
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name = "march.xlsx"
    client = APIClient()
    client.force_authenticate(users[ACCOUNTING])
    response = client.post("/api/imports/", {"creditor": "ACME", "kind": "transactions", "file": data,
                                             "mapping": json.dumps(user_mapping())}, format="multipart")
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["status"] == "converting" and body["conversion"] == {} and "columns" not in body
    assert client.post(f"/api/imports/{body['id']}/dry-run/").status_code == 409  # not yet
    with celery_worker():
        batch = wait_for_batch(body["id"], {ImportStatus.UPLOADED, ImportStatus.INVALID, ImportStatus.FAILED})
    assert batch.status == ImportStatus.UPLOADED, batch.message
    polled = client.get(f"/api/imports/{body['id']}/").json()
    assert polled["status"] == "uploaded" and polled["conversion"]["csv_bytes"] == polled["size_bytes"]
    assert 0 < polled["conversion"]["peak_rss_kb"] < 300 * 1024
    assert not ImportBatch.objects.get(pk=body["id"]).workbook
    dry = client.post(f"/api/imports/{body['id']}/dry-run/")
    assert dry.status_code == 200 and dry.json()["valid"] == 1, dry.json()
