"""A collector works the queue with the keyboard only: next account, a disposition, the rule that a
disposition comes first, and a callback that comes back at its time."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from collections_app.models import Callback, Disposition
from collections_app.worklist.rescoring import reprioritize_all
from tests.gate.support import zone_where_local_hour
from tests.worklist.support import collector, debt, team_with_queue

from .test_foundation_browser import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_keyboard_only_collector_flow_with_disposition_rule_and_callback(page, live_server):
    team, _ = team_with_queue()
    user = collector(team, "keys1")
    user.set_password("pw-for-tests-1")
    user.save()
    zone = zone_where_local_hour(range(10, 18), margin_minutes=40)
    first = debt(zone=zone, balance="8000.00", creditor_account_number="KB-FIRST")
    second = debt(zone=zone, balance="80.00", creditor_account_number="KB-SECOND")
    reprioritize_all()

    login(page, live_server, "keys1")
    page.goto(f"{live_server.url}/worklist/")
    expect(page.get_by_test_id("next-account")).to_contain_text("n")

    page.keyboard.press("n")
    expect(page.get_by_test_id("account-heading")).to_contain_text("KB-FIRST")
    expect(page.get_by_test_id("work-headline")).to_contain_text("days past due")
    expect(page.get_by_test_id("dispose-no_answer")).to_contain_text("1")  # the shortcut is on the button

    page.keyboard.press("n")  # no next account before a disposition
    expect(page.locator(".messages")).to_contain_text("record a disposition")
    expect(page.get_by_test_id("account-heading")).to_contain_text("KB-FIRST")

    page.keyboard.press("1")  # no answer
    expect(page.locator(".messages")).to_contain_text("No answer recorded for KB-FIRST")
    assert Disposition.objects.get(account=first).code == "no_answer"

    page.keyboard.press("n")
    expect(page.get_by_test_id("account-heading")).to_contain_text("KB-SECOND")
    page.keyboard.press("c")  # the callback form opens with the cursor in its first field
    when = (datetime.now(ZoneInfo(zone)) + timedelta(hours=2)).replace(second=0, microsecond=0)
    focused = page.get_by_test_id("callback-at")
    expect(focused).to_be_focused()
    focused.fill(when.strftime("%Y-%m-%dT%H:%M"))
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("Callback requested recorded for KB-SECOND")
    callback = Callback.objects.get(account=second)
    assert callback.due_at == when and callback.collector == user

    page.keyboard.press("n")  # the first waits 4 hours after no answer, the second for its callback
    expect(page.locator(".messages")).to_contain_text("Nothing is workable right now")

    Callback.objects.filter(pk=callback.pk).update(due_at=timezone.now() - timedelta(minutes=1))  # time passes
    page.keyboard.press("n")
    expect(page.get_by_test_id("account-heading")).to_contain_text("KB-SECOND")
    expect(page.locator(".messages")).to_contain_text("Callback")
