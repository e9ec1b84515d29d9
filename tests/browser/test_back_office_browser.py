"""Credit reporting and retention pages on a phone-sized screen, in Chromium: an accounting clerk writes a
Metro 2 file and sees why accounts were blocked; a compliance officer places a legal hold. No sideways scroll."""

from datetime import UTC, datetime
from unittest import mock

import pytest
from playwright.sync_api import expect

from tests.back_office.support import portfolio
from tests.factories import UserFactory

from .test_foundation_browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDE = """[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 392).slice(0, 8)
    .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))"""


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, page.evaluate(WIDE)


def test_clerk_writes_a_metro2_file_and_officer_places_a_hold(page, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    UserFactory(username="clerk13", roles=["accounting"])
    UserFactory(username="officer13", roles=["compliance"])
    _, accounts = portfolio()
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_server, "clerk13")
    page.goto(f"{live_server.url}/reporting/")
    _no_sideways_scroll(page)
    page.get_by_label("Creditor").select_option("ACME")
    page.get_by_label("As of (period end)").fill("2026-10-31")
    with mock.patch("compliance.bureau.services.timezone.now", return_value=datetime(2026, 11, 2, 12, tzinfo=UTC)):
        page.get_by_role("button", name="Write the file").click()
        expect(page.get_by_test_id("metro2-run-summary")).to_contain_text("Base records")
    expect(page.get_by_test_id("metro2-blocked")).to_contain_text("PASSIVE_COLLECTION_NOT_SATISFIED")
    expect(page.get_by_test_id("metro2-reported")).to_contain_text("XB")
    _no_sideways_scroll(page)
    page.goto(f"{live_server.url}/reporting/paid/")
    expect(page.get_by_test_id("paid-settled")).to_contain_text("62 + AU")
    _no_sideways_scroll(page)

    page.context.clear_cookies()
    login(page, live_server, "officer13")
    page.goto(f"{live_server.url}/retention/")
    _no_sideways_scroll(page)
    page.get_by_text("Place a hold").click()
    page.get_by_label("Account number").fill(accounts["open"].creditor_account_number)
    page.get_by_label("Kind").select_option("suit")
    page.get_by_label("Reason").fill("Summons served on the client")
    page.get_by_role("button", name="Place hold").click()
    expect(page.get_by_test_id("legal-holds")).to_contain_text("Summons served on the client")
    page.get_by_test_id("purge-preview").click()
    expect(page.get_by_test_id("preview-personal_data")).to_contain_text("due")
    _no_sideways_scroll(page)
