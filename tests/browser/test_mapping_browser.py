"""An accounting clerk maps a lender's repayment file as delivered, in Chromium: the file has no type column
(a fixed value supplies it) and amounts in minor units (a derivation divides them), then dry-runs and
imports it on a real worker. The balance is checked against the file's own numbers."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from accounts.models import Account
from tests.factories import AccountFactory, CreditorFactory, UserFactory
from tests.imports.support import celery_worker

from .test_foundation_browser import login

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

REPAYMENTS = "loanID,paidAt,amountMinor,paymentId\r\nL-7,2023-05-16T00:00:00Z,10000,P-1\r\nL-7,20230616,2550,P-2\r\n"


@pytest.fixture
def worker(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    with celery_worker() as running:
        yield running


def test_clerk_maps_a_fixed_value_and_a_derived_column_through_to_import(page, live_server, worker, tmp_path):
    UserFactory(username="acct2", roles=["accounting"])
    creditor = CreditorFactory(code="LEND", name="Lender Co")
    AccountFactory(creditor=creditor, creditor_account_number="L-7", current_balance=Decimal("0.00"))
    path = tmp_path / "repayments.csv"
    path.write_text(REPAYMENTS)

    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_server, "acct2")
    page.goto(f"{live_server.url}/accounts/imports/new/")
    page.get_by_label("Creditor").select_option(label="Lender Co (LEND)")
    page.get_by_label("Transactions (ledger entries)").check()
    page.set_input_files("input[name=file]", str(path))
    page.get_by_role("button", name="Upload").click()

    # the automatic matches are shown with sample values; "type" has no column in this file
    columns = page.get_by_test_id("file-columns")
    expect(columns.locator("tr", has_text="amountMinor")).to_contain_text("10000, 2550")
    expect(columns.locator("tr", has_text="loanID")).to_contain_text("creditor_account_number (automatic)")
    expect(page.get_by_test_id("missing-fields")).to_contain_text("type")
    wide = page.evaluate("""[...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > 392).slice(0, 8)
        .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))""")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, wide  # no sideways scroll on a phone

    page.get_by_label("Source of type").select_option(label="a fixed value…")
    page.get_by_label("Fixed value of type").fill("payment")
    page.get_by_label("Source of amount").select_option(label="amountMinor — e.g. 10000, 2550")
    page.get_by_label("How to read it (amount)").select_option(label="divide by 100 (minor units: 89900 → 899.00)")
    page.get_by_role("button", name="Save mapping").click()

    page.get_by_test_id("dry-run").click()
    expect(page.get_by_test_id("count-valid")).to_have_text("2")
    expect(page.get_by_test_id("totals").locator("tr", has_text="payment")).to_contain_text("125.50")
    page.get_by_test_id("start-import").click()
    expect(page.get_by_test_id("import-status")).to_have_text("Imported", timeout=60_000)
    assert Account.objects.get(creditor_account_number="L-7").current_balance == -(Decimal(10000) + 2550) / 100
