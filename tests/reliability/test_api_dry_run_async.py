"""The API dry run goes to a worker above the same size as the page's, and is polled the same way."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from accounts.access import ACCOUNTING
from accounts.models import ImportStatus
from accounts.tasks import ledger_import_dry_run

from .support import creditor_with_accounts, tx_csv

pytestmark = pytest.mark.django_db

DATA = tx_csv("A-1,2025-03-01,charge,10.00,R-1,", "A-9,2025-03-01,charge,10.00,R-2,")


@pytest.fixture
def api(users):
    client = APIClient()
    client.force_authenticate(users[ACCOUNTING])
    return client


def upload(api):
    creditor_with_accounts()
    response = api.post("/api/imports/", {"creditor": "ACME", "kind": "transactions",
                                          "file": SimpleUploadedFile("f.csv", DATA, content_type="text/csv")},
                        format="multipart")
    return response.json()["id"]


def test_a_big_file_dry_run_answers_202_and_is_polled_like_an_import(api, settings,
                                                                     django_capture_on_commit_callbacks):
    settings.LEDGER_DRY_RUN_SYNC_MAX_BYTES = len(DATA) - 1
    batch_id = upload(api)
    with django_capture_on_commit_callbacks() as callbacks:
        response = api.post(f"/api/imports/{batch_id}/dry-run/")
    assert response.status_code == 202 and len(callbacks) == 1
    body = response.json()
    assert body["status"] == ImportStatus.VALIDATING and body["progress"]["finished"] is False
    assert set(body["progress"]) == {"status", "rows_done", "rows_total", "percent", "rate", "eta_seconds",
                                     "finished"}
    assert api.get(f"/api/imports/{batch_id}/dry-run/").status_code == 202  # still on the worker
    assert api.post(f"/api/imports/{batch_id}/dry-run/").status_code == 202  # asking again queues nothing more

    ledger_import_dry_run(batch_id)  # what the worker runs
    poll = api.get(f"/api/imports/{batch_id}/").json()
    assert poll["status"] == ImportStatus.INVALID and poll["progress"]["finished"] is True
    results = api.get(f"/api/imports/{batch_id}/dry-run/")
    assert results.status_code == 200
    assert {k: results.json()[k] for k in ("rows", "valid", "invalid")} == {"rows": 2, "valid": 1, "invalid": 1}


def test_a_small_file_dry_run_answers_at_once(api, settings):
    settings.LEDGER_DRY_RUN_SYNC_MAX_BYTES = len(DATA)
    batch_id = upload(api)
    response = api.post(f"/api/imports/{batch_id}/dry-run/")
    assert response.status_code == 200 and response.json()["invalid"] == 1


def test_the_schema_says_the_dry_run_may_answer_202_with_the_batch(api):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    post = schema["paths"]["/api/imports/{batch_id}/dry-run/"]["post"]
    assert {"200", "202", "400", "409", "503"} <= set(post["responses"])
    assert post["responses"]["202"]["content"]["application/json"]["schema"]["$ref"].endswith("/ImportBatchOutput")
    assert "LEDGER_DRY_RUN_SYNC_MAX_BYTES" in post["responses"]["202"]["description"]
    assert "get" in schema["paths"]["/api/imports/{batch_id}/dry-run/"]
