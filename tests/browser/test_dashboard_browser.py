"""A supervisor loads the dashboard, sees the charts drawn, drills into a figure, approves a settlement."""

from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from accounts.models import EntryKind, EntrySource
from accounts.services import ledger_entry_post
from collections_app.models import WorkItem
from payments.models import Settlement
from tests.factories import AccountFactory, UserFactory

from .test_foundation_browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_supervisor_reads_drills_and_approves(page, live_server):
    UserFactory(username="sup1", roles=["supervisor"])
    maker = UserFactory(username="maker1", roles=["collector"])
    accounts = [AccountFactory() for _ in range(3)]
    for account in accounts:
        ledger_entry_post(account=account, kind=EntryKind.CHARGE, amount=Decimal("250.00"), posted_date=date.today(),
                          source=EntrySource.PLACEMENT)
        WorkItem.objects.create(account=account, bucket="91-120", dpd=100)
    offer = Settlement.objects.create(account=accounts[0], balance_at_offer=Decimal("250.00"),
                                      amount=Decimal("150.00"), created_by=maker)

    login(page, live_server, "sup1")
    expect(page.get_by_role("heading", name="Floor dashboard")).to_be_visible()  # the supervisor's landing page
    expect(page.locator("body[data-charts-ready='1']")).to_have_count(1)
    box = page.locator("#chart-aging").bounding_box()
    assert box and box["width"] > 100 and box["height"] > 100
    assert page.evaluate("() => !!document.getElementById('chart-aging').chart")
    expect(page.get_by_test_id("kpi-balance")).to_have_text("$750.00")

    page.get_by_test_id("approvals").get_by_test_id(f"approve-settlement-{offer.pk}").click()
    expect(page.get_by_text(f"Settlement #{offer.pk}: approved.")).to_be_visible()
    offer.refresh_from_db()
    assert offer.status == "approved"

    page.get_by_test_id("aging-table").get_by_role("row", name="91-120").get_by_test_id("drill-aging").click()
    table = page.get_by_test_id("drill-table")
    for account in accounts:
        expect(table).to_contain_text(account.creditor_account_number)
