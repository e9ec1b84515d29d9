from datetime import date

import pytest
from playwright.sync_api import expect

from accounts.models import EntryKind, EntrySource
from accounts.services import ledger_entry_post
from tests.factories import AccountFactory, AddressFactory, DebtorFactory, PhoneFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, live_server, username, password="pw-for-tests-1"):
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")


def test_collector_logs_in_searches_and_opens_an_account(page, live_server):
    UserFactory(username="col1", roles=["collector"])
    debtor = DebtorFactory(first_name="Leilani", last_name="Kahale")
    AddressFactory(debtor=debtor, city="Honolulu", state="HI", zip="96813", time_zone="Pacific/Honolulu")
    PhoneFactory(debtor=debtor, number="+18085550101", time_zones=["Pacific/Honolulu"])
    account = AccountFactory(debtor=debtor, creditor_account_number="HI-777")
    AccountFactory(creditor_account_number="OTHER-1")
    ledger_entry_post(account=account, kind=EntryKind.CHARGE, amount="1250.40", posted_date=date(2025, 1, 15),
                      source=EntrySource.USER)

    login(page, live_server, "col1")
    expect(page.get_by_test_id("whoami")).to_contain_text("Collector")
    page.goto(f"{live_server.url}/accounts/")  # a collector lands on the worklist; search is under Accounts
    page.fill("input[name=q]", "Kahale")
    rows = page.locator("[data-testid=account-table] tbody tr")
    expect(rows).to_have_count(1)  # HTMX swapped the results in as the collector typed
    page.get_by_role("link", name="HI-777").click()

    expect(page.get_by_test_id("account-heading")).to_contain_text("Leilani Kahale")
    expect(page.get_by_test_id("current-balance")).to_have_text("$1,250.40")
    expect(page.get_by_test_id("local-times")).to_contain_text("Pacific/Honolulu")
    expect(page.get_by_test_id("ledger")).to_contain_text("1,250.40")
    # the navigation shows only what a collector may use
    expect(page.get_by_role("link", name="Imports")).to_have_count(0)


def test_wrong_password_is_refused(page, live_server):
    UserFactory(username="col2", roles=["collector"])
    login(page, live_server, "col2", password="wrong")
    expect(page.get_by_role("alert")).to_contain_text("didn't match")
