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


def test_a_second_call_within_five_minutes_shows_a_warning_the_collector_must_confirm(page, live_server):
    from accounts.models import AuditEvent
    from compliance.models import ContactAttempt

    zone = zone_where_local_hour(range(9, 19))
    UserFactory(username="warn1", roles=["collector"])
    account = account_in_zone(zone)

    login(page, live_server, "warn1")
    page.goto(f"{live_server.url}/accounts/{account.pk}/")
    call_row = page.get_by_test_id("contact-option-call")
    expect(call_row.get_by_test_id("gate-warning")).to_have_count(0)
    call_row.get_by_label("Call outcome").select_option("no_answer")
    call_row.get_by_test_id("contact-button-call").click()
    expect(page.get_by_test_id("contact-result")).to_contain_text("Allowed")

    # The panel came back with the rebuttal signal: allowed, but only once the collector confirms.
    call_row = page.get_by_test_id("contact-option-call")
    expect(call_row.get_by_test_id("gate-warning")).to_be_visible()
    expect(call_row.get_by_test_id("contact-warnings")).to_contain_text("CALLS_IN_RAPID_SUCCESSION")
    call_row.get_by_label("Call outcome").select_option("no_answer")
    call_row.get_by_test_id("contact-button-call").click()  # unconfirmed: the browser refuses to submit
    confirm = call_row.get_by_test_id("confirm-warnings-call")
    expect(confirm).to_be_visible()
    assert ContactAttempt.objects.filter(account=account).count() == 1

    confirm.check()
    call_row.get_by_test_id("contact-button-call").click()
    expect(page.get_by_test_id("warnings-confirmed")).to_contain_text("WARN-FREQ-RAPID")
    assert ContactAttempt.objects.filter(account=account).count() == 2
    event = AuditEvent.objects.get(action="contact", object_type="compliance.ContactAttempt")
    assert event.user.username == "warn1" and "CALLS_IN_RAPID_SUCCESSION" in event.summary
