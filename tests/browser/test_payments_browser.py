"""A collector takes a payment, a promise, then a plan (and sees its schedule), and an offer that goes to a
supervisor's approval queue, where a different person approves it."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from payments.models import Settlement
from tests.factories import UserFactory
from tests.payments.support import funded_account, with_address

from .test_foundation_browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_payment_promise_plan_and_settlement_to_approval(page, live_server):
    UserFactory(username="taker1", roles=["collector"])
    UserFactory(username="boss1", roles=["supervisor"])
    account = with_address(funded_account(principal="1200.00", fees="30.00"))
    today = timezone.localdate()

    login(page, live_server, "taker1")
    page.goto(f"{live_server.url}/accounts/{account.pk}/")
    panel = page.get_by_test_id("payments-panel")
    expect(panel).to_be_visible()

    panel.get_by_test_id("open-payment").click()
    page.locator("#pay_amount").fill("130.00")
    page.locator("#pay_method").select_option("card")
    page.locator("#pay_reference").fill("tok_visa_4242")
    panel.get_by_test_id("payment-submit").click()
    expect(page.get_by_test_id("payments-result")).to_contain_text("posted (fees 30.00, principal 100.00)")
    expect(page.get_by_test_id("payments-table")).to_contain_text("130.00")

    page.get_by_test_id("open-promise").click()
    page.locator("#promise_amount").fill("200.00")
    page.locator("#promise_due_date").fill((today + timedelta(days=7)).isoformat())
    page.locator("#promise_method").select_option("cash")
    page.locator("#promise_pickup_start").fill(f"{today + timedelta(days=7)}T10:00")
    page.locator("#promise_pickup_end").fill(f"{today + timedelta(days=7)}T12:00")
    page.locator("#promise_pickup_place").fill("Debtor's shop, 12 Main St")
    page.get_by_test_id("promise-submit").click()
    expect(page.get_by_test_id("promise-status").first).to_have_text("Open")

    page.get_by_test_id("open-plan").click()
    page.locator("#plan_total").fill("1100.00")
    page.locator("#plan_down_payment").fill("100.00")
    page.locator("#plan_frequency").select_option("monthly")
    page.locator("#plan_installments").fill("3")
    page.locator("#plan_start_date").fill("2027-01-31")
    page.get_by_test_id("plan-submit").click()
    schedule = page.get_by_test_id("plan-schedule")
    expect(schedule.get_by_test_id("plan-status")).to_have_text("Active")
    rows = schedule.get_by_test_id("installment-row")
    expect(rows).to_have_count(4)
    expect(rows.nth(1)).to_contain_text("2027-01-31")
    expect(rows.nth(2)).to_contain_text("2027-02-28")  # month-end clamped
    expect(rows.nth(3)).to_contain_text("2027-03-31")
    expect(rows.nth(1)).to_contain_text("333.34")
    expect(page.get_by_test_id("promise-status").first).to_have_text("Cancelled")  # the plan replaces it

    page.get_by_test_id("open-settlement").click()
    page.locator("#settle_amount").fill("600.00")
    page.locator("#settle_expires_on").fill((today + timedelta(days=10)).isoformat())
    page.get_by_test_id("settlement-submit").click()
    expect(page.get_by_test_id("settlement-status").first).to_have_text("Awaiting supervisor approval")

    offer = Settlement.objects.get(account=account)
    page.context.clear_cookies()
    login(page, live_server, "boss1")
    page.goto(f"{live_server.url}/payments/approvals/")
    expect(page.get_by_test_id("approval-settlements")).to_contain_text(account.creditor_account_number)
    page.get_by_test_id(f"approve-settlement-{offer.pk}").click()
    expect(page.get_by_test_id("approval-settlements")).to_contain_text("Nothing waiting")
    offer.refresh_from_db()
    assert offer.status == "approved" and offer.decided_by.username == "boss1"
    account.refresh_from_db()
    assert account.current_balance == Decimal("1100.00")
