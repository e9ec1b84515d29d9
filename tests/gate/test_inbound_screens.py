"""Inbound contacts and direct consents over HTTP: the API's direction, the workspace forms, the compliance screen."""

from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from compliance.models import AttemptStatus, AuditEvent, ContactAttempt, DirectPriorConsent, ValidationNotice

from .support import PHONE, account_in_zone, zone_where_local_hour

pytestmark = pytest.mark.django_db


@pytest.fixture
def daytime_account():
    return account_in_zone(zone_where_local_hour(range(9, 19)))


def post_contact(client, account, body, **headers):
    return client.post(reverse("api-account-contacts", args=[account.pk]), body, content_type="application/json",
                       **headers)


def test_api_logs_an_inbound_call_with_201_and_then_blocks_calls(client_for, daytime_account):
    # the inbound conversation is the initial communication: without a notice, waiting would not help (FED-VN-01)
    ValidationNotice.objects.create(account=daytime_account, sent_on=timezone.localdate(), addressee="Robin Zone")
    client = client_for("collector")
    response = post_contact(client, daytime_account, {"channel": "call", "direction": "inbound", "to": PHONE,
                                                      "outcome": "conversation", "notes": "consumer called"})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["direction"], body["status"], body["decision"]["decision"]) == ("inbound", "received", "not_gated")
    after = post_contact(client, daytime_account, {"channel": "call", "to": PHONE, "outcome": "no_answer"})
    assert after.status_code == 422
    assert after.json()["decision"]["reasons"] == ["CALL_WITHIN_7_DAYS_OF_CONVERSATION"]
    assert after.json()["decision"]["next_allowed_at"]


def test_api_direction_defaults_to_outbound(client_for, daytime_account):
    response = post_contact(client_for("collector"), daytime_account,
                            {"channel": "call", "to": PHONE, "outcome": "no_answer"})
    assert response.status_code == 201
    assert response.json()["direction"] == "outbound"
    assert ContactAttempt.objects.get().status == AttemptStatus.ALLOWED


def test_api_refuses_unknown_direction_and_bad_inbound_outcome(client_for, daytime_account):
    client = client_for("collector")
    bad = post_contact(client, daytime_account, {"channel": "call", "direction": "sideways", "outcome": "no_answer"})
    assert bad.status_code == 400 and "direction" in bad.json()
    voicemail = post_contact(client, daytime_account, {"channel": "call", "direction": "inbound",
                                                       "outcome": "voicemail_left_limited_content"})
    assert voicemail.status_code == 400
    assert "conversation or a missed call" in voicemail.json()["detail"][0]
    assert not ContactAttempt.objects.exists()


def test_api_inbound_is_idempotent(client_for, daytime_account):
    client = client_for("collector")
    body = {"channel": "email", "direction": "inbound", "to": "robin@example.com"}
    first = post_contact(client, daytime_account, body, HTTP_IDEMPOTENCY_KEY="in-1")
    again = post_contact(client, daytime_account, body, HTTP_IDEMPOTENCY_KEY="in-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]


def test_api_reply_to_an_inbound_contact_names_it(client_for, daytime_account):
    client = client_for("collector")
    inbound = post_contact(client, daytime_account, {"channel": "call", "direction": "inbound",
                                                     "outcome": "no_answer"}).json()
    reply = post_contact(client, daytime_account, {"channel": "call", "to": PHONE, "outcome": "conversation",
                                                   "responds_to": inbound["id"]})
    assert reply.status_code == 201, reply.json()
    assert reply.json()["responds_to"] == inbound["id"]
    twice = post_contact(client, daytime_account, {"channel": "call", "to": PHONE, "outcome": "no_answer",
                                                   "responds_to": inbound["id"]})
    assert twice.status_code == 400 and "answered once" in twice.json()["detail"][0]


def test_workspace_shows_inbound_and_consent_forms_to_collectors(client_for, daytime_account):
    html = client_for("collector").get(reverse("account-workspace", args=[daytime_account.pk])).content.decode()
    assert 'data-testid="inbound-form"' in html and 'data-testid="direct-consent-form"' in html
    # accounting does not open the workspace at all (issue 14)
    assert client_for("accounting").get(reverse("account-workspace", args=[daytime_account.pk])).status_code == 403


def test_workspace_logs_an_inbound_conversation_and_the_panel_then_blocks_the_call(client_for, users,
                                                                                   daytime_account):
    response = client_for("collector").post(
        reverse("account-inbound-log", args=[daytime_account.pk]),
        {"channel": "call", "came_from": PHONE, "outcome": "conversation", "notes": "will pay Friday",
         "idempotency_key": "in-form-1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="contact-panel"' in html and "<html" not in html
    assert "will pay Friday" in html and "Inbound" in html
    assert 'data-testid="contact-button-call" disabled' in html
    assert "CALL_WITHIN_7_DAYS_OF_CONVERSATION" in html
    attempt = ContactAttempt.objects.get()
    assert (attempt.direction, attempt.status, attempt.user) == ("inbound", AttemptStatus.RECEIVED,
                                                                  users["collector"])


def test_workspace_inbound_email_has_no_outcome_and_redirects_without_htmx(client_for, daytime_account):
    response = client_for("collector").post(
        reverse("account-inbound-log", args=[daytime_account.pk]),
        {"channel": "email", "came_from": "robin@example.com", "outcome": "conversation", "idempotency_key": "k"})
    assert response.status_code == 302
    assert ContactAttempt.objects.get().outcome == ""


def test_collector_records_a_direct_consent_from_the_workspace(client_for, users, daytime_account):
    # Typed as the collector reads a clock: in their own zone (User.time_zone), not UTC.
    given = timezone.localtime(timezone.now() - timezone.timedelta(minutes=5), ZoneInfo(users["collector"].time_zone))
    response = client_for("collector").post(
        reverse("account-consent-record", args=[daytime_account.pk]),
        {"scope": "call_frequency", "given_at": given.strftime("%Y-%m-%dT%H:%M"), "given_via": "inbound_call",
         "statement": "call me back tomorrow"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "Further calls within 7 days" in response.content.decode()
    record = DirectPriorConsent.objects.get()
    assert (record.account, record.created_by, record.debtor) == (daytime_account, users["collector"],
                                                                   daytime_account.debtor)


def test_workspace_time_consent_without_a_time_is_refused(client_for, users, daytime_account):
    response = client_for("collector").post(
        reverse("account-consent-record", args=[daytime_account.pk]),
        {"scope": "time_of_day",
         "given_at": timezone.localtime(timezone=ZoneInfo(users["collector"].time_zone)).strftime("%Y-%m-%dT%H:%M"),
         "given_via": "inbound_call"}, HTTP_HX_REQUEST="true")
    assert "time the consumer asked" in response.content.decode()
    assert not DirectPriorConsent.objects.exists()


def test_compliance_screen_records_lists_and_revokes_a_consent(client_for, users, daytime_account):
    client = client_for("compliance")
    response = client.post(reverse("compliance:direct_consents"), {
        "account_ref": daytime_account.creditor_account_number, "whole_debtor": "on", "scope": "workplace",
        "given_at": "2025-06-10T14:00", "given_via": "in_person", "statement": "you can call me at work"})
    assert response.status_code == 302
    record = DirectPriorConsent.objects.get()
    assert record.account is None and record.debtor == daytime_account.debtor
    html = client.get(reverse("compliance:direct_consents")).content.decode()
    assert "you can call me at work" in html and "Contact at work" in html
    response = client.post(reverse("compliance:direct_consent_revoke", args=[record.pk]), {"notes": "not at work"})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.revoked_at and record.revoked_by == users["compliance"]
    assert AuditEvent.objects.filter(object_type="compliance.DirectPriorConsent", action="update").exists()


def test_supervisor_sees_the_consent_screen_but_cannot_record(client_for, daytime_account):
    client = client_for("supervisor")
    html = client.get(reverse("compliance:direct_consents")).content.decode()
    assert 'data-testid="direct-consent-form"' not in html
    client.post(reverse("compliance:direct_consents"), {"account_ref": daytime_account.creditor_account_number,
                                                         "scope": "call_frequency",
                                                        "given_at": "2025-06-10T14:00", "given_via": "in_person"})
    assert not DirectPriorConsent.objects.exists()


def test_workspace_offers_reply_once_for_a_missed_inbound_call_and_only_once(client_for, daytime_account, users):
    from compliance.gate import contact_inbound_record

    inbound = contact_inbound_record(account=daytime_account, channel="call", from_=PHONE, user=users["collector"],
                                     outcome="no_answer", idempotency_key="missed-1")
    client = client_for("collector")
    workspace = reverse("account-workspace", args=[daytime_account.pk])
    assert f'data-testid="reply-once-{inbound.pk}"' in client.get(workspace).content.decode()
    response = client.post(reverse("account-contact-send", args=[daytime_account.pk]),
                           {"channel": "call", "to": PHONE, "outcome": "conversation", "notes": "",
                            "responds_to": inbound.pk, "idempotency_key": "reply-1"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    reply = ContactAttempt.objects.get(responds_to=inbound)
    assert reply.status == AttemptStatus.ALLOWED, reply.decision
    assert f'data-testid="reply-once-{inbound.pk}"' not in client.get(workspace).content.decode()
