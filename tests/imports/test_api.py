"""The import API: upload (multipart), dry run, start (202), poll."""

import json

import pytest
from rest_framework.test import APIClient

from accounts.access import ACCOUNTING, COLLECTOR
from accounts.imports import services
from accounts.models import ColumnMappingMemory, ImportBatch, ImportStatus, LedgerEntry

from .support import BAD_ROW, GOOD_ROWS, creditor_with_accounts, csv_bytes, upload, user_mapping

pytestmark = pytest.mark.django_db


@pytest.fixture
def creditor():
    return creditor_with_accounts()


@pytest.fixture
def api(users):
    client = APIClient()
    client.force_authenticate(users[ACCOUNTING])
    return client


def create(api, data, **fields):
    body = {"creditor": "ACME", "kind": "transactions", "file": upload(data), **fields}
    return api.post("/api/imports/", body, format="multipart")


def test_upload_dry_run_start_and_poll(api, creditor):
    response = create(api, csv_bytes(*GOOD_ROWS, BAD_ROW), skip_invalid="true",
                      mapping=json.dumps(user_mapping()))
    assert response.status_code == 201, response.data
    body = response.json()
    batch_id = body["id"]
    assert body["status"] == "uploaded" and body["creditor"] == "ACME" and body["skip_invalid"] is True
    assert body["columns"]["ok"] is True and body["columns"]["missing"] == []
    assert body["columns"]["mapping"]["Txn Ref Code"] == "reference"
    assert ColumnMappingMemory.objects.get(creditor=creditor).mapping["Txn Ref Code"] == "reference"

    response = api.post(f"/api/imports/{batch_id}/dry-run/")
    assert response.status_code == 200
    summary = response.json()
    assert (summary["status"], summary["rows"], summary["valid"], summary["invalid"], summary["errors"]) == \
        ("invalid", 4, 3, 1, 1)
    assert summary["totals"] == {"charge": {"count": 2, "amount": "2250.40"},
                                 "payment": {"count": 1, "amount": "200.00"}}
    assert len(summary["preview"]) == 3
    assert summary["error_report_url"].endswith(f"/accounts/imports/{batch_id}/errors.csv")

    response = api.post(f"/api/imports/{batch_id}/start/")
    assert response.status_code == 202 and response.json()["status"] == "queued"

    services.import_execute(batch_id=batch_id)  # what the worker runs

    detail = api.get(f"/api/imports/{batch_id}/").json()
    assert detail["status"] == "imported"
    assert (detail["created"], detail["errors"], detail["duplicates"]) == (3, 1, 0)
    assert detail["progress"]["percent"] == 100 and detail["progress"]["rows_done"] == 4
    assert detail["progress"]["finished"] is True and detail["progress"]["eta_seconds"] == 0
    assert LedgerEntry.objects.count() == 3


def test_columns_report_what_is_missing_without_a_mapping(api, creditor):
    body = create(api, csv_bytes(*GOOD_ROWS)).json()
    assert body["columns"]["missing"] == ["reference"]
    assert body["columns"]["unmapped"] == ["Txn Ref Code"]
    assert body["columns"]["problem"] == "missing required columns: reference"


def test_start_with_invalid_rows_and_no_skip_is_409(api, creditor):
    batch_id = create(api, csv_bytes(*GOOD_ROWS, BAD_ROW), mapping=json.dumps(user_mapping())).json()["id"]
    api.post(f"/api/imports/{batch_id}/dry-run/")
    response = api.post(f"/api/imports/{batch_id}/start/")
    assert response.status_code == 409
    assert "skip invalid rows" in response.json()["detail"]
    response = api.post(f"/api/imports/{batch_id}/start/", {"skip_invalid": True}, format="json")
    assert response.status_code == 202
    assert ImportBatch.objects.get(pk=batch_id).skip_invalid


def test_progress_while_running_has_rate_and_time_left(api, creditor):
    from datetime import timedelta

    from django.utils import timezone

    batch_id = create(api, csv_bytes(*GOOD_ROWS), mapping=json.dumps(user_mapping())).json()["id"]
    ImportBatch.objects.filter(pk=batch_id).update(status=ImportStatus.RUNNING, rows_total=1000, rows_done=250,
                                                   started_at=timezone.now() - timedelta(seconds=10))
    progress = api.get(f"/api/imports/{batch_id}/").json()["progress"]
    assert progress["percent"] == 25 and progress["finished"] is False
    assert 24 <= progress["rate"] <= 25
    assert 29 <= progress["eta_seconds"] <= 31


@pytest.mark.parametrize("data, fields, field, message", [
    (b"", {}, "file", "the file is empty"),
    (b"\x00\x01\x02" * 10, {}, "file", "file is not text"),
    (csv_bytes(*GOOD_ROWS), {"creditor": "NOPE"}, "creditor", "Unknown creditor 'NOPE'"),
    (csv_bytes(*GOOD_ROWS), {"mapping": json.dumps({"Amt": "amount_due"})}, "file", "unknown transactions field"),
])
def test_upload_errors_are_400_naming_the_problem(api, creditor, data, fields, field, message):
    response = create(api, data, **fields)
    assert response.status_code == 400
    assert message in str(response.json()[field])


def test_same_file_again_is_already_imported(api, creditor):
    data = csv_bytes(*GOOD_ROWS)
    first = create(api, data, mapping=json.dumps(user_mapping())).json()["id"]
    services.import_execute(batch_id=first)
    body = create(api, data).json()
    assert body["status"] == "already_imported" and body["duplicate_of"] == first
    assert f"batch #{first}" in body["message"]
    assert api.post(f"/api/imports/{body['id']}/start/").status_code == 202  # nothing to do; stays as it was
    assert ImportBatch.objects.get(pk=body["id"]).status == ImportStatus.ALREADY_IMPORTED


def test_list_is_paginated_newest_first(api, creditor):
    ids = [create(api, csv_bytes(f"A-100,2025-03-01,charge,{i}.00,L-{i},")).json()["id"] for i in range(3)]
    body = api.get("/api/imports/").json()
    assert [row["id"] for row in body["results"]] == ids[::-1]


def test_collector_is_refused(users, creditor):
    client = APIClient()
    client.force_authenticate(users[COLLECTOR])
    assert create(client, csv_bytes(*GOOD_ROWS)).status_code == 403
    assert not ImportBatch.objects.exists()


def test_unknown_batch_is_404(api):
    assert api.get("/api/imports/999999/").status_code == 404
    assert api.post("/api/imports/999999/dry-run/").status_code == 404


@pytest.mark.parametrize("mapping, named", [
    ({"version": 2, "fields": ["reference"]}, "fields must be a JSON object"),
    ({"version": 2, "fields": {"amount": "Amt"}}, "fields.amount must be a JSON object or null"),
    ({"version": 2, "fields": {"amount": {"column": ["Amt"]}}}, "fields.amount.column must be text or a number"),
    ({"version": 2, "fields": {"amount": {"derive": ["abs"]}}}, "fields.amount.derive must be text"),
    ({"version": 2, "fields": {"memo": {"columns": "AB"}}}, "fields.memo.columns must be a list of column names"),
    ({"version": 2, "values": {"type": ["PMT"]}}, "values.type must be a JSON object"),
    ({"version": 2, "values": {"type": {"PMT": {"to": "payment"}}}}, "values.type.PMT must be text or a number"),
    ({"version": 2, "ignore": "Memo"}, "ignore must be a list of column names"),
    ({"version": 2, "options": ["mdy"]}, "options must be a JSON object"),
    ({"version": 2, "options": {"date_order": ["mdy"]}}, "options.date_order must be text"),
    ({"version": 2, "options": {"minor_units": "false"}}, "options.minor_units must be true or false"),
])
def test_a_mapping_of_the_wrong_shape_is_a_400_naming_the_part_never_a_500(api, creditor, mapping, named):
    response = create(api, csv_bytes(*GOOD_ROWS), mapping=json.dumps(mapping))
    assert response.status_code == 400
    assert response.json()["mapping"] == [f"in the mapping, {named}"]
    assert not ImportBatch.objects.exists()
