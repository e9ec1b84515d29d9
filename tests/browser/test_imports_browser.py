"""An accounting user imports a ledger file end to end in Chromium, with a real Celery worker."""

import csv
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from accounts.models import LedgerEntry
from tests.factories import UserFactory
from tests.imports.support import BAD_ROW, GOOD_ROWS, celery_worker, creditor_with_accounts, csv_bytes

from .test_foundation_browser import login

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def worker(settings, tmp_path):
    """A real worker thread consuming from the configured broker (Redis with REDIS_URL, else filesystem://)."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    with celery_worker() as running:
        yield running


def test_accounting_user_maps_dry_runs_downloads_errors_and_imports(page, live_server, worker, tmp_path):
    UserFactory(username="acct1", roles=["accounting"])
    creditor_with_accounts()
    # "Amt" is recognised on its own; "Txn Ref Code" is no known name, so the user maps it to reference.
    path = tmp_path / "acme-march.csv"
    path.write_bytes(csv_bytes(*GOOD_ROWS, BAD_ROW))

    login(page, live_server, "acct1")
    page.get_by_role("link", name="Imports").click()
    page.get_by_test_id("new-import").click()
    page.get_by_label("Creditor").select_option(label="Acme Bank (ACME)")
    page.get_by_label("Transactions (ledger entries)").check()
    page.set_input_files("input[name=file]", str(path))
    page.get_by_role("button", name="Upload").click()

    # Column mapping
    expect(page.get_by_test_id("missing-fields")).to_contain_text("reference")
    expect(page.get_by_label("Source of amount")).to_have_value("col:3")  # "Amt"
    expect(page.get_by_label("Source of reference")).to_have_value("")
    page.get_by_label("Source of reference").select_option("col:4")  # "Txn Ref Code"
    page.get_by_role("button", name="Save mapping").click()

    # Dry run: counts, totals by type and the one bad row
    page.get_by_test_id("dry-run").click()
    expect(page.get_by_test_id("count-rows")).to_have_text("4")
    expect(page.get_by_test_id("count-valid")).to_have_text("3")
    expect(page.get_by_test_id("count-invalid")).to_have_text("1")
    totals = page.get_by_test_id("totals")
    expect(totals.locator("tr", has_text="charge")).to_contain_text("2,250.40")
    expect(totals.locator("tr", has_text="payment")).to_contain_text("200.00")
    errors = page.get_by_test_id("errors").locator("tbody tr")
    expect(errors).to_have_count(1)
    expect(errors.first).to_contain_text("posted_date")

    with page.expect_download() as download_info:
        page.get_by_test_id("error-report-link").click()
    download = download_info.value
    assert re.fullmatch(r"import-\d+-errors\.csv", download.suggested_filename)
    report = open(download.path(), encoding="utf-8").read().splitlines()
    assert report[0] == "line,column,value,message"
    assert len(report) == 2 and report[1].startswith("5,posted_date,2025-13-45,")

    # Import: blocked until "skip invalid rows" is ticked
    start = page.get_by_test_id("start-import")
    expect(start).to_be_disabled()
    page.get_by_label(re.compile("Skip invalid rows")).check()
    expect(start).to_be_enabled()
    start.click()

    expect(page.get_by_test_id("progress-percent")).to_have_text("100%", timeout=60_000)
    expect(page.get_by_test_id("progress-bar")).to_have_attribute("value", "100")
    expect(page.get_by_test_id("import-status")).to_have_text("Imported")
    expect(page.get_by_test_id("outcome-created")).to_have_text("3")
    expect(page.get_by_test_id("outcome-errors")).to_have_text("1")
    expect(page.get_by_test_id("outcome-message")).to_contain_text("3 created")
    assert LedgerEntry.objects.filter(account__creditor__code="ACME").count() == 3


def test_a_workbook_upload_shows_its_conversion_then_the_mapping_form(page, live_server, worker, tmp_path):
    """The upload answers at once; the status page polls (HTMX) while a worker converts the workbook, then
    the browser lands on the mapping form of the CSV made from it."""
    from openpyxl import Workbook

    UserFactory(username="acct2", roles=["accounting"])
    creditor_with_accounts()
    book = Workbook()
    for row in csv.reader(["Acct,Posted,Type,Amt,Txn Ref Code,Memo", *GOOD_ROWS]):
        book.active.append(row)
    path = tmp_path / "acme-march.xlsx"
    book.save(path)

    login(page, live_server, "acct2")
    page.goto(live_server.url + reverse("accounts:import_upload"))
    page.get_by_label("Creditor").select_option(label="Acme Bank (ACME)")
    page.get_by_label("Transactions (ledger entries)").check()
    page.set_input_files("input[name=file]", str(path))
    page.get_by_role("button", name="Upload").click()

    expect(page).to_have_url(re.compile(r"/imports/\d+/columns/$"), timeout=60_000)
    expect(page.get_by_test_id("missing-fields")).to_contain_text("reference")
    expect(page.get_by_label("Source of amount")).to_have_value("col:3")  # "Amt", read from the workbook
