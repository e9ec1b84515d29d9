"""The account workspace's Contact panel and its audit trail."""

import pytest
from django.urls import reverse

from compliance.models import AttemptStatus, AuditEvent, ContactAttempt

from .support import PHONE, account_in_zone, zone_where_local_hour

pytestmark = pytest.mark.django_db


def test_opening_the_workspace_is_audited_with_who_and_ip(client_for, users):
    account = account_in_zone("America/New_York")
    response = client_for("collector").get(reverse("account-workspace", args=[account.pk]),
                                           REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="pytest-agent")
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="view", object_id=str(account.pk))
    assert event.user == users["collector"]
    assert event.object_type == "accounts.Account"
    assert (event.ip_address, event.user_agent) == ("203.0.113.9", "pytest-agent")


def test_panel_disables_call_at_night_with_reason_and_next_time(client_for, users):
    zone = zone_where_local_hour(range(0, 7))
    account = account_in_zone(zone)
    users["collector"].time_zone = "America/Chicago"
    users["collector"].save()
    html = client_for("collector").get(reverse("account-workspace", args=[account.pk])).content.decode()
    assert 'data-testid="contact-button-call" disabled' in html
    assert "INCONVENIENT_TIME" in html and "is outside 08:00" in html
    assert zone in html and ("CST" in html or "CDT" in html)  # next lawful time in the user's and debtor's zones


def test_logging_a_call_outcome_through_htmx_returns_the_refreshed_panel(client_for, users):
    account = account_in_zone(zone_where_local_hour(range(9, 19)))
    response = client_for("collector").post(
        reverse("account-contact-send", args=[account.pk]),
        {"channel": "call", "to": PHONE, "outcome": "conversation", "notes": "promised Friday",
         "idempotency_key": "form-1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="contact-panel"' in html and "<html" not in html
    assert "promised Friday" in html
    attempt = ContactAttempt.objects.get()
    assert (attempt.status, attempt.outcome, attempt.user) == (AttemptStatus.ALLOWED, "conversation",
                                                                users["collector"])


def test_call_form_requires_an_outcome(client_for):
    account = account_in_zone(zone_where_local_hour(range(9, 19)))
    response = client_for("collector").post(reverse("account-contact-send", args=[account.pk]),
                                            {"channel": "call", "to": PHONE, "idempotency_key": "form-2"},
                                            HTTP_HX_REQUEST="true")
    assert "Choose how the call went" in response.content.decode()
    assert not ContactAttempt.objects.exists()


def test_workspace_query_count_does_not_grow_with_contact_history(client_for, users, django_assert_max_num_queries):
    from compliance.gate import contact_send
    account = account_in_zone(zone_where_local_hour(range(9, 19)))
    client = client_for("collector")
    url = reverse("account-workspace", args=[account.pk])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    # one attempt first: tables with no row for the account are not read at all (snapshot.present_records),
    # so the comparison is one attempt against sixteen, not none against fifteen
    contact_send(account=account, channel="email", to="robin@example.com", user=users["collector"],
                 idempotency_key="e-first")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for i in range(15):
        contact_send(account=account, channel="email", to="robin@example.com", user=users["collector"],
                     idempotency_key=f"e{i}")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)
