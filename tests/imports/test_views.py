"""The import screens: upload → map columns → dry run → import (run here by calling the service the
worker runs) → progress, history and error report."""

import csv
import io
import json
from html import unescape

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.access import ACCOUNTING, ADMIN
from accounts.imports import services
from accounts.models import ColumnMappingMemory, ImportBatch, ImportStatus, LedgerEntry

from .support import (
    BAD_ROW,
    GOOD_ROWS,
    HEADER,
    creditor_with_accounts,
    csv_bytes,
    initial_post,
    mapping_post,
    upload,
    user_mapping,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def creditor():
    return creditor_with_accounts()


@pytest.fixture
def accounting(client_for):
    return client_for(ACCOUNTING)


def post_upload(client, creditor, data, *, kind="transactions", skip_invalid=False, name="march.csv"):
    form = {"creditor": creditor.pk, "kind": kind, "file": upload(data, name)}
    if skip_invalid:
        form["skip_invalid"] = "on"
    return client.post(reverse("accounts:import_upload"), form)


def latest_batch() -> ImportBatch:
    return ImportBatch.objects.latest("id")


def test_whole_flow_upload_map_dry_run_import(accounting, creditor, users):
    assert accounting.get(reverse("accounts:import_upload")).status_code == 200

    response = post_upload(accounting, creditor, csv_bytes(*GOOD_ROWS, BAD_ROW))
    batch = latest_batch()
    assert response.status_code == 302 and response.url == reverse("accounts:import_columns", args=[batch.pk])
    assert batch.uploaded_by == users[ACCOUNTING] and batch.status == ImportStatus.UPLOADED

    # Mapping step: "Amt" is recognised, "Txn Ref Code" is not, so the required reference is missing.
    page = accounting.get(response.url)
    form = page.context["form"]
    assert form["src_amount"].initial == "col:3"  # "Amt", matched automatically
    assert form["src_reference"].initial == ""
    assert page.context["columns"].missing == ("reference",)
    assert b'data-testid="missing-fields"' in page.content and b"<mark>reference</mark>" in page.content

    response = accounting.post(response.url, mapping_post(user_mapping()))
    assert response.status_code == 302 and response.url == reverse("accounts:import_review", args=[batch.pk])
    remembered = ColumnMappingMemory.objects.get(creditor=creditor, kind="transactions").mapping
    assert remembered["fields"]["reference"] == {"column": "Txn Ref Code"}

    # Dry run: counts, totals by type, preview and the bad row's error; nothing written.
    assert accounting.post(reverse("accounts:import_dry_run", args=[batch.pk])).status_code == 302
    page = accounting.get(reverse("accounts:import_review", args=[batch.pk]))
    assert page.context["counts"] == {"rows": 4, "valid": 3, "invalid": 1, "duplicates": 0}
    assert page.context["totals"] == [{"type": "charge", "count": 2, "amount": "2250.40"},
                                      {"type": "payment", "count": 1, "amount": "200.00"}]
    assert len(page.context["preview"]) == 3
    [error] = page.context["errors"]
    assert (error.line, error.column) == ("5", "posted_date")
    html = page.content.decode()
    assert "2,250.40" in html and "Download the full error report" in html
    assert not page.context["can_import"] and 'data-testid="start-import" disabled' in html
    assert not LedgerEntry.objects.exists()

    # Import refused while invalid rows would block it; accepted with "skip invalid rows".
    response = accounting.post(reverse("accounts:import_start", args=[batch.pk]), follow=True)
    assert "skip invalid rows" in response.content.decode()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.INVALID

    response = accounting.post(reverse("accounts:import_start", args=[batch.pk]), {"skip_invalid": "on"})
    assert response.status_code == 302 and response.url == reverse("accounts:import_status", args=[batch.pk])
    batch.refresh_from_db()
    assert batch.status == ImportStatus.QUEUED and batch.skip_invalid
    polling = accounting.get(reverse("accounts:import_progress", args=[batch.pk]))
    assert b'hx-trigger="every 1s"' in polling.content

    services.import_execute(batch_id=batch.pk)  # what the Celery task runs

    done = accounting.get(reverse("accounts:import_progress", args=[batch.pk]))
    assert b"hx-trigger" not in done.content  # finished: the partial stops polling
    assert done.context["progress"].percent == 100
    status_page = accounting.get(reverse("accounts:import_status", args=[batch.pk])).content.decode()
    assert 'data-testid="outcome-created">3<' in status_page
    assert "3 created" in status_page and "1 invalid rows skipped" in status_page
    assert LedgerEntry.objects.filter(account__creditor=creditor).count() == 3


def test_mapping_is_remembered_for_the_creditors_next_file(accounting, creditor):
    post_upload(accounting, creditor, csv_bytes(*GOOD_ROWS))
    first = latest_batch()
    accounting.post(reverse("accounts:import_columns", args=[first.pk]), mapping_post(user_mapping()))

    post_upload(accounting, creditor, csv_bytes(GOOD_ROWS[0]), name="april.csv")
    second = latest_batch()
    page = accounting.get(reverse("accounts:import_columns", args=[second.pk]))
    assert page.context["form"]["src_reference"].initial == "col:4"
    assert page.context["columns"].missing == ()


def test_mapping_that_leaves_a_required_field_unmapped_names_it(accounting, creditor):
    post_upload(accounting, creditor, csv_bytes(*GOOD_ROWS))
    batch = latest_batch()
    mapping = {**user_mapping(), "Txn Ref Code": None}
    page = accounting.post(reverse("accounts:import_columns", args=[batch.pk]), mapping_post(mapping))
    assert page.status_code == 200
    assert "missing required columns: reference" in page.content.decode()
    assert not ColumnMappingMemory.objects.exists()


def test_a_fixed_value_needs_its_text(accounting, creditor):
    post_upload(accounting, creditor, csv_bytes(*GOOD_ROWS))
    batch = latest_batch()
    data = {**mapping_post(user_mapping()), "src_type": "value", "value_type": " "}
    page = accounting.post(reverse("accounts:import_columns", args=[batch.pk]), data)
    assert "Type the fixed value for type, or choose a column." in unescape(page.content.decode())
    assert not ColumnMappingMemory.objects.exists()


def test_one_column_feeds_two_fields_and_a_fixed_value_fills_a_gap(accounting, creditor):
    post_upload(accounting, creditor, csv_bytes(*GOOD_ROWS))
    batch = latest_batch()
    data = {**mapping_post(user_mapping()), "src_memo": "col:4", "src_type": "value", "value_type": "charge"}
    response = accounting.post(reverse("accounts:import_columns", args=[batch.pk]), data)
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.mapping["fields"]["memo"] == batch.mapping["fields"]["reference"] == {"column": "Txn Ref Code"}
    assert batch.mapping["fields"]["type"] == {"value": "charge"}
    accounting.post(reverse("accounts:import_dry_run", args=[batch.pk]))
    batch.refresh_from_db()
    assert batch.summary["totals"]["charge"]["count"] == 3 and batch.summary["preview"][0]["memo"] == "R-1"


def test_the_mapping_downloads_as_json_and_loads_back(accounting, creditor):
    post_upload(accounting, creditor, csv_bytes(*GOOD_ROWS))
    batch = latest_batch()
    data = {**mapping_post(user_mapping()), "src_type": "value", "value_type": "fee", "minor_units": "on"}
    accounting.post(reverse("accounts:import_columns", args=[batch.pk]), data)
    exported = accounting.get(reverse("accounts:import_mapping_export", args=[batch.pk]))
    assert exported["Content-Disposition"] == 'attachment; filename="ACME-transactions-mapping.json"'
    spec = json.loads(exported.content)
    assert spec["fields"]["type"] == {"value": "fee"} and spec["options"]["minor_units"] is True

    post_upload(accounting, creditor, csv_bytes(GOOD_ROWS[0]), name="april.csv")
    second = latest_batch()
    ColumnMappingMemory.objects.all().delete()
    second.mapping = {}
    second.save(update_fields=["mapping"])
    response = accounting.post(reverse("accounts:import_mapping_upload", args=[second.pk]),
                               {"mapping": SimpleUploadedFile("m.json", exported.content)})
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.mapping["fields"]["type"] == {"value": "fee"}
    page = accounting.get(reverse("accounts:import_columns", args=[second.pk]))
    assert page.context["form"]["src_type"].initial == "value" and page.context["form"]["minor_units"].initial
    bad = accounting.post(reverse("accounts:import_mapping_upload", args=[second.pk]),
                          {"mapping": SimpleUploadedFile("m.json", b"{not json")}, follow=True)
    assert "The mapping file cannot be used" in bad.content.decode()


def test_the_mapping_page_shows_three_samples_per_column_and_the_codes_to_map(accounting, creditor):
    data = csv_bytes("A-100,2025-03-01,PMT,5.00,R-1,x", "A-100,2025-03-02,PMT,6.00,R-2,y",
                     "A-200,2025-03-03,RFD,7.00,R-3,z", "A-200,2025-03-04,LF,8.00,R-4,w")
    post_upload(accounting, creditor, data)
    batch = latest_batch()
    page = accounting.get(reverse("accounts:import_columns", args=[batch.pk]))
    rows = {row["header"]: row for row in page.context["form"].column_rows()}
    assert rows["Amt"]["samples"] == ["5.00", "6.00", "7.00"] and rows["Amt"]["feeds"] == ["amount (automatic)"]
    codes = page.context["form"].code_rows()
    assert [code for code, *_ in codes[0]["rows"]] == ["PMT", "RFD", "LF"]
    post = {**mapping_post(user_mapping()), "code_type_0": "PMT", "our_type_0": "payment", "code_type_1": "RFD",
            "our_type_1": "reversal", "code_type_2": "LF", "our_type_2": "fee"}
    accounting.post(reverse("accounts:import_columns", args=[batch.pk]), post)
    remembered = ColumnMappingMemory.objects.get(creditor=creditor, kind="transactions").mapping
    assert remembered["values"]["type"] == {"PMT": "payment", "RFD": "reversal", "LF": "fee"}


@pytest.mark.parametrize("data, expected", [
    (b"", "march.csv: the file is empty."),
    (b"\x00\x01\x02\x03PK\x03\x04" * 50, "march.csv: file is not text"),
])
def test_unusable_files_show_as_form_errors(accounting, creditor, data, expected):
    page = post_upload(accounting, creditor, data)
    assert page.status_code == 200
    errors = page.context["form"].errors["file"]
    assert errors[0].startswith(expected), errors
    assert 'data-testid="file-errors"' in page.content.decode()


def test_binary_file_is_kept_in_history_as_invalid_with_the_reason(accounting, creditor):
    page = post_upload(accounting, creditor, b"\x00\x01\x02\x03" * 100, name="photo.csv")
    reason = page.context["form"].errors["file"][0]
    batch = latest_batch()
    assert batch.status == ImportStatus.INVALID and batch.message == reason


def test_file_over_the_size_limit_is_refused(accounting, creditor, settings):
    settings.LEDGER_IMPORT_MAX_BYTES = 100
    page = post_upload(accounting, creditor, csv_bytes(*GOOD_ROWS))
    assert "over the" in page.context["form"].errors["file"][0] and "limit" in page.context["form"].errors["file"][0]
    assert not ImportBatch.objects.exists()


def test_file_missing_required_columns_names_them_on_the_mapping_page(accounting, creditor):
    post_upload(accounting, creditor, csv_bytes("A-100,2025-03-01", header="Acct,Posted"))
    page = accounting.get(reverse("accounts:import_columns", args=[latest_batch().pk]))
    missing = page.context["columns"].missing
    assert missing == ("type", "amount", "reference")
    html = page.content.decode()
    assert all(f"<mark>{name}</mark>" in html for name in missing)


def test_already_imported_file_names_the_earlier_batch(accounting, creditor):
    data = csv_bytes(*GOOD_ROWS)
    first = services.import_batch_create(creditor=creditor, kind="transactions", fileobj=upload(data),
                                         original_name="march.csv", mapping=user_mapping())
    services.import_execute(batch_id=first.pk)
    response = post_upload(accounting, creditor, data, name="march-again.csv")
    again = latest_batch()
    assert response.url == reverse("accounts:import_status", args=[again.pk])
    assert again.status == ImportStatus.ALREADY_IMPORTED and again.duplicate_of == first
    html = accounting.get(response.url).content.decode()
    assert "Already imported" in html and f"batch #{first.pk}" in html
    assert reverse("accounts:import_status", args=[first.pk]) in html


def test_error_report_downloads_as_a_formula_safe_attachment(accounting, creditor):
    batch = services.import_batch_create(creditor=creditor, kind="transactions", fileobj=upload(
        csv_bytes(*GOOD_ROWS, BAD_ROW.replace("2025-13-45", "=1+2"))), original_name="m.csv", mapping=user_mapping())
    services.import_dry_run(batch=batch)
    response = accounting.get(reverse("accounts:import_error_report", args=[batch.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="import-{batch.pk}-errors.csv"'
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0] == ["line", "column", "value", "message"]
    assert rows[1][:3] == ["5", "posted_date", "'=1+2"]


def test_no_error_report_is_404(accounting, creditor):
    batch = services.import_batch_create(creditor=creditor, kind="transactions", fileobj=upload(
        csv_bytes(*GOOD_ROWS)), original_name="m.csv", mapping=user_mapping())
    assert accounting.get(reverse("accounts:import_error_report", args=[batch.pk])).status_code == 404


def test_error_list_on_the_page_is_capped_with_the_full_count(accounting, creditor, monkeypatch):
    from accounts.views import imports as import_views

    monkeypatch.setattr(import_views, "ERRORS_ON_PAGE", 2)
    bad = [f"A-100,2025-13-0{i},charge,1.00,X-{i}," for i in range(1, 6)]
    batch = services.import_batch_create(creditor=creditor, kind="transactions", fileobj=upload(csv_bytes(*bad)),
                                         original_name="m.csv", mapping=user_mapping())
    services.import_dry_run(batch=batch)
    page = accounting.get(reverse("accounts:import_review", args=[batch.pk]))
    assert len(page.context["errors"]) == 2 and page.context["error_total"] == 5
    assert "Showing the first 2." in page.content.decode()


def test_history_lists_batches_with_a_fixed_number_of_queries(accounting, creditor, users,
                                                              django_assert_max_num_queries):
    for i in range(30):
        services.import_batch_create(creditor=creditor, kind="transactions", fileobj=upload(
            csv_bytes(f"A-100,2025-03-01,charge,{i}.00,H-{i},")), original_name=f"file{i}.csv",
            user=users[ACCOUNTING])
    with django_assert_max_num_queries(8):
        page = accounting.get(reverse("accounts:import_list"))
    html = page.content.decode()
    newest = latest_batch()
    assert page.context["page"].next_url and not page.context["page"].previous_url
    assert f'title="{newest.sha256}">{newest.sha256[:12]}…' in html
    assert "file29.csv" in html and "accounting_user" in html and "ACME" in html
    older = accounting.get(reverse("accounts:import_list") + page.context["page"].next_url).content.decode()
    assert "file0.csv" in older and "file29.csv" not in older


def test_admin_may_use_the_import_pages(client_for, creditor):
    admin = client_for(ADMIN)
    response = post_upload(admin, creditor, csv_bytes(*GOOD_ROWS))
    assert response.status_code == 302
    assert admin.get(response.url).status_code == 200


@pytest.mark.parametrize("role", ["collector", "supervisor", "compliance"])
def test_other_roles_cannot_upload(client_for, creditor, role):
    response = post_upload(client_for(role), creditor, csv_bytes(*GOOD_ROWS))
    assert response.status_code == 403
    assert not ImportBatch.objects.exists()


def test_header_constant_matches_the_user_mapping():
    assert list(user_mapping()) == HEADER.split(",")


def test_placements_file_dry_runs_and_imports_through_the_same_pages(accounting, creditor):
    header = "Account Number,Debt Type,First,Last,Balance,State,Zip"
    data = csv_bytes("P-1,consumer,Ann,Lee,\"1,200.00\",GA,30303", "P-2,medical,Bo,Ng,300.50,TX,73301",
                     "P-3,consumer,Cy,Ko,abc,GA,30303", header=header)
    response = post_upload(accounting, creditor, data, kind="accounts", name="placements.csv")
    batch = latest_batch()
    page = accounting.get(response.url)
    assert page.context["columns"].ok and page.context["form"]["src_principal"].initial == "col:4"
    accounting.post(response.url, initial_post(page.context["form"]))
    accounting.post(reverse("accounts:import_dry_run", args=[batch.pk]))
    page = accounting.get(reverse("accounts:import_review", args=[batch.pk]))
    assert page.context["counts"] == {"rows": 3, "valid": 2, "invalid": 1, "duplicates": 0}
    assert {t["type"]: t["amount"] for t in page.context["totals"]} == {"consumer_loan": "1200.00", "medical": "300.50"}
    columns = page.context["preview_columns"]
    assert columns[:3] == ["line", "creditor_account_number", "debt_type"]
    assert page.context["preview"][0][1] == "P-1"
    accounting.post(reverse("accounts:import_start", args=[batch.pk]), {"skip_invalid": "on"})
    services.import_execute(batch_id=batch.pk)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.IMPORTED and batch.created == 2


def test_failed_import_can_be_started_again_from_its_status_page(accounting, creditor):
    batch = services.import_batch_create(creditor=creditor, kind="transactions", fileobj=upload(
        csv_bytes(*GOOD_ROWS)), original_name="m.csv", mapping=user_mapping())
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.FAILED, message="The import stopped.")
    page = accounting.get(reverse("accounts:import_status", args=[batch.pk])).content.decode()
    assert "The import stopped." in page and 'data-testid="restart-import"' in page
    accounting.post(reverse("accounts:import_start", args=[batch.pk]))
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportStatus.QUEUED
