"""A collector sees the gate's verdict on the Contact panel of the account workspace."""

import pytest
from playwright.sync_api import expect

from tests.factories import UserFactory
from tests.gate.support import account_in_zone, zone_where_local_hour

from .test_foundation_browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_call_button_is_disabled_at_night_with_reason_and_next_lawful_time(page, live_server):
    # No clock override: the debtor lives in a zone where it is between 21:00 and 08:00 right now.
    zone = zone_where_local_hour(range(0, 7))
    UserFactory(username="night1", roles=["collector"], time_zone="America/Chicago")
    account = account_in_zone(zone)

    login(page, live_server, "night1")
    page.goto(f"{live_server.url}/accounts/{account.pk}/")

    call_row = page.get_by_test_id("contact-option-call")
    expect(call_row.get_by_test_id("contact-button-call")).to_be_disabled()
    expect(call_row.get_by_test_id("contact-reasons")).to_contain_text("INCONVENIENT_TIME")
    expect(call_row.get_by_test_id("contact-reasons")).to_contain_text(f"in {zone} is outside 08:00")
    expect(call_row.get_by_test_id("next-allowed")).to_contain_text("08:00 ")  # 08:00 in the debtor's zone
    expect(call_row.get_by_test_id("next-allowed")).to_contain_text(zone)
    expect(call_row.get_by_test_id("next-allowed-user")).to_contain_text("C")  # CST / CDT: the user's zone


def test_collector_logs_a_call_outcome_and_the_panel_refreshes(page, live_server):
    zone = zone_where_local_hour(range(9, 19))
    UserFactory(username="day1", roles=["collector"])
    account = account_in_zone(zone)

    login(page, live_server, "day1")
    page.goto(f"{live_server.url}/accounts/{account.pk}/")
    call_row = page.get_by_test_id("contact-option-call")
    expect(call_row.get_by_test_id("gate-allowed")).to_be_visible()
    call_row.get_by_label("Call outcome").select_option("no_answer")
    call_row.get_by_label("Notes").fill("rang out twice")
    call_row.get_by_test_id("contact-button-call").click()

    expect(page.get_by_test_id("contact-result")).to_contain_text("Allowed")
    expect(page.get_by_test_id("contact-history")).to_contain_text("rang out twice")
    expect(page.get_by_test_id("account-heading")).to_be_visible()  # a partial swap, not a new page
