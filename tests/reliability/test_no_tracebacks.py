"""Errors that used to escape as database tracebacks (CLI) or 500s (API) end as a clear batch error."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import DataError, OperationalError
from rest_framework.test import APIClient

from accounts.access import ACCOUNTING
from accounts.imports import services
from accounts.imports import transactions as tx_module
from accounts.models import ImportStatus, LedgerEntry

from .support import creditor_with_accounts, new_batch, tx_csv

pytestmark = pytest.mark.django_db

OK_ROW = "A-1,2025-03-01,charge,10.00,R-OK,fine"
HUGE_FIELD = tx_csv(OK_ROW, "A-2,2025-03-01,fee,1.00,R-2," + "x" * 200_000)
UNCLOSED_QUOTE = tx_csv(OK_ROW, 'A-2,2025-03-01,fee,1.00,R-2,"never closed', "A-1,2025-03-02,fee,1.00,R-3,")


@pytest.fixture
def api(users):
    client = APIClient()
    client.force_authenticate(users[ACCOUNTING])
    return client


def upload(api, data: bytes, name="file.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = api.post("/api/imports/", {"creditor": "ACME", "kind": "transactions",
                                          "file": SimpleUploadedFile(name, data, content_type="text/csv")},
                        format="multipart")
    assert response.status_code == 201, response.content
    return response.json()["id"]


@pytest.mark.parametrize(("data", "expected"), [
    (HUGE_FIELD, "line 3: a field is longer than 131,072 characters"),
    (UNCLOSED_QUOTE, "line 3: a quoted field is never closed"),
])
def test_unreadable_csv_is_a_named_file_error_in_the_dry_run_and_the_import_never_a_database_error(data, expected):
    creditor = creditor_with_accounts()
    batch = new_batch(creditor, data, "transactions")
    with pytest.raises(services.ImportFileError, match=expected):
        services.import_dry_run(batch=batch)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.INVALID and not batch.restartable and expected in batch.message

    imported = services.import_execute(batch_id=new_batch(creditor, data, "transactions", skip_invalid=True).pk)
    assert imported.status == ImportStatus.INVALID and expected in imported.message
    assert not imported.restartable and LedgerEntry.objects.count() == 0
    with pytest.raises(ValidationError, match="fix the file and upload it again"):
        services.import_start(batch=imported)


def test_api_answers_an_unreadable_file_with_400_and_refuses_to_start_it_with_409(api):
    creditor_with_accounts()
    batch_id = upload(api, HUGE_FIELD)
    dry = api.post(f"/api/imports/{batch_id}/dry-run/")
    assert dry.status_code == 400 and "a field is longer than 131,072 characters" in dry.json()["file"][0]
    start = api.post(f"/api/imports/{batch_id}/start/")
    assert start.status_code == 409 and "fix the file and upload it again" in start.json()["detail"]
    assert api.get(f"/api/imports/{batch_id}/").json()["restartable"] is False


def test_a_database_refusal_that_escapes_validation_fails_the_batch_for_good(monkeypatch, api, settings):
    settings.LEDGER_IMPORT_PIPELINE = False  # the classic write (a refusal in the pipeline sends the file there)
    creditor = creditor_with_accounts()

    def refuse(**kwargs):
        raise DataError('numeric field overflow\nDETAIL:  A field with precision 14, scale 2 must round to...')

    monkeypatch.setattr(tx_module, "merge", refuse)
    batch = services.import_execute(batch_id=new_batch(creditor, tx_csv(OK_ROW), "transactions").pk)
    assert batch.status == ImportStatus.FAILED and not batch.restartable
    assert batch.message.startswith("The database refused a value in this file (DataError: numeric field overflow")
    assert batch.message.endswith("Nothing was written; fix the file and upload it again.")
    response = api.post(f"/api/imports/{batch.pk}/start/")
    assert response.status_code == 409 and "fix the file and upload it again" in response.json()["detail"]
    assert LedgerEntry.objects.count() == 0


@pytest.mark.parametrize("pipelined", [False, True])
def test_a_transient_database_error_fails_the_batch_restartably_and_a_restart_lands_it(monkeypatch, settings,
                                                                                       pipelined):
    settings.LEDGER_IMPORT_PIPELINE = pipelined
    creditor = creditor_with_accounts()
    real_merge = tx_module.merge

    def lost(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    real_finish = tx_module.Pipeline.finish
    monkeypatch.setattr(tx_module, "merge", lost)
    monkeypatch.setattr(tx_module.Pipeline, "finish", lambda self, **kwargs: lost())  # after its rows are written
    batch = services.import_execute(batch_id=new_batch(creditor, tx_csv(OK_ROW), "transactions").pk)
    assert batch.status == ImportStatus.FAILED and batch.restartable
    assert LedgerEntry.objects.count() == 0
    monkeypatch.setattr(tx_module, "merge", real_merge)
    monkeypatch.setattr(tx_module.Pipeline, "finish", real_finish)
    assert services.import_execute(batch_id=batch.pk).status == ImportStatus.IMPORTED
    assert LedgerEntry.objects.count() == 1


def test_api_dry_run_maps_database_errors_to_503_or_400_never_500(monkeypatch, api):
    creditor_with_accounts()
    batch_id = upload(api, tx_csv(OK_ROW))

    def unavailable(**kwargs):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(tx_module, "classify", unavailable)
    response = api.post(f"/api/imports/{batch_id}/dry-run/")
    assert response.status_code == 503
    assert "the database was unavailable (OperationalError: could not connect to server)" in response.json()["detail"]

    def refuse(**kwargs):
        raise DataError("value too long for type character varying(64)")

    monkeypatch.setattr(tx_module, "classify", refuse)
    response = api.post(f"/api/imports/{batch_id}/dry-run/")
    assert response.status_code == 400
    assert "The database refused a value in this file" in response.json()["file"][0]


def test_dry_run_of_a_started_import_is_a_conflict(api):
    creditor_with_accounts()
    batch_id = upload(api, tx_csv(OK_ROW))
    services.import_execute(batch_id=batch_id)
    response = api.post(f"/api/imports/{batch_id}/dry-run/")
    assert response.status_code == 409 and "imported" in response.json()["detail"]


def run_cli(tmp_path, data: bytes, *extra):
    path = tmp_path / "file.csv"
    path.write_bytes(data)
    out = __import__("io").StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("import_ledger", str(path), "--creditor", "ACME", "--kind", "transactions", *extra, stdout=out)
    return exit_info.value.code, out.getvalue().splitlines()


@pytest.mark.parametrize("extra", [(), ("--dry-run",)])
def test_cli_reports_an_unreadable_file_in_one_line_and_json(tmp_path, extra):
    creditor_with_accounts()
    code, lines = run_cli(tmp_path, HUGE_FIELD, *extra)
    assert code == 1 and "a field is longer than 131,072 characters" in lines[0]
    assert json.loads(lines[-1])["status"] == "invalid"


def test_cli_reports_a_database_refusal_without_a_traceback(tmp_path, monkeypatch, settings):
    settings.LEDGER_IMPORT_PIPELINE = False  # the classic write (a refusal in the pipeline sends the file there)
    creditor_with_accounts()
    monkeypatch.setattr(tx_module, "merge", lambda **kwargs: (_ for _ in ()).throw(DataError("numeric overflow")))
    code, lines = run_cli(tmp_path, tx_csv(OK_ROW))
    assert code == 1 and "The database refused a value in this file (DataError: numeric overflow)" in lines[0]
    assert json.loads(lines[-1])["status"] == "failed"
