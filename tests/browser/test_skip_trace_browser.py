"""A collector works a skip-trace case from open to located in Chromium, on a phone-sized screen: the lost
debtor's case is listed, a source is recorded, the address the bureau header gave is added with its source,
and marking the case located puts the account back on the worklist."""

import pytest
from playwright.sync_api import expect

from accounts.models import Address
from accounts.models.parties import ContactStatus
from collections_app.models import SkipTraceCase, WorkItem
from collections_app.skiptrace.services import skip_case_open_if_lost
from collections_app.worklist.rescoring import rescore_account
from tests.factories import UserFactory
from tests.worklist.support import debt, team_with_queue

from .test_foundation_browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

UNLABELLED = """[...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
    .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')).map(e => e.name)"""


def _fits_a_phone(page):
    wide = page.evaluate("""[...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > 392).slice(0, 8)
        .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right))""")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, wide
    assert page.evaluate(UNLABELLED) == []


def test_collector_takes_a_skip_trace_case_from_open_to_located(page, live_server):
    UserFactory(username="skipper", roles=["collector"])
    team_with_queue()
    account = debt()
    Address.objects.filter(debtor=account.debtor).update(status=ContactStatus.RETURNED)
    account.debtor.phones.update(status=ContactStatus.WRONG)
    rescore_account(account_id=account.pk)
    case = skip_case_open_if_lost(account=account)
    assert WorkItem.objects.get(pk=account.pk).hold_reason.startswith("skip trace")

    page.set_viewport_size({"width": 390, "height": 844})
    login(page, live_server, "skipper")
    page.goto(f"{live_server.url}/skip-trace/")
    expect(page.get_by_test_id("skip-case-row")).to_have_count(1)
    _fits_a_phone(page)
    page.get_by_role("link", name=f"#{case.pk}").click()
    expect(page.get_by_test_id("skip-status")).to_have_text("Open")
    _fits_a_phone(page)

    search = page.get_by_test_id("search-form")
    search.get_by_label("Source").select_option(label="Credit-bureau header")
    search.get_by_label("Result").select_option(label="Found contact information")
    search.get_by_label("What it showed").fill("new address since March")
    search.get_by_role("button", name="Record search").click()
    expect(page.get_by_test_id("skip-status")).to_have_text("Searching")
    expect(page.get_by_test_id("skip-searches")).to_contain_text("new address since March")

    lead = page.get_by_test_id("lead-form")
    lead.get_by_label("Source").select_option(label="Credit-bureau header")
    lead.get_by_label("Kind").select_option(label="Address")
    lead.get_by_label("Street address").fill("77 Elm St")
    lead.get_by_label("City").fill("Decatur")
    lead.get_by_label("State").fill("GA")
    lead.get_by_label("ZIP").fill("30030")
    lead.get_by_role("button", name="Add contact point").click()
    expect(page.get_by_test_id("skip-leads")).to_contain_text("77 Elm St")
    expect(page.get_by_test_id("contact-points")).to_contain_text("Credit-bureau header")

    status = page.get_by_test_id("status-form")
    status.get_by_label("Move to").select_option(label="Located")
    status.get_by_role("button", name="Move").click()
    expect(page.get_by_test_id("skip-status")).to_have_text("Located")
    expect(page.locator(".messages")).to_contain_text("back on its queue")
    _fits_a_phone(page)

    case.refresh_from_db()
    item = WorkItem.objects.get(pk=account.pk)
    assert case.status == "located" and item.hold_reason == "" and item.ready
    assert SkipTraceCase.objects.filter(account=account).count() == 1
