"""Inbound contacts from the database reach the engine: FED-FREQ-02/04, FED-TIME-03(c), FED-MEDIUM-01."""

from datetime import datetime, time

import pytest
from django.core.exceptions import ValidationError

from compliance import services
from compliance.gate import build_context, contact_check, contact_inbound_record, contact_send
from compliance.gate.snapshot import action_for
from compliance.models import AttemptStatus, ContactAttempt, Direction

from .support import PHONE, at, atlanta_account

pytestmark = pytest.mark.django_db


def call(account, user, when, outcome="no_answer", **kwargs):
    return contact_send(account=account, channel="call", to=PHONE, user=user, outcome=outcome, now=when, **kwargs)


def inbound_call(account, user, when, outcome="conversation"):
    return contact_inbound_record(account=account, channel="call", from_=PHONE, user=user, outcome=outcome,
                                  now=when)


def test_an_inbound_call_is_logged_not_gated_even_at_night(users):
    account = atlanta_account()
    attempt = inbound_call(account, users["collector"], at(2025, 6, 10, 23, 30))
    assert (attempt.status, attempt.direction, attempt.outcome) == (AttemptStatus.RECEIVED, "inbound", "conversation")
    assert attempt.decision["decision"] == "not_gated" and attempt.decision["reasons"] == []
    history = build_context(account=account, action=action_for(account=account, channel="call", to=PHONE),
                            now=at(2025, 6, 11))["facts"]["contact_history"]
    assert [(e["direction"], e["outcome"], e["channel"]) for e in history] == [("inbound", "conversation", "call")]


def test_inbound_conversation_blocks_outbound_calls_through_day_six_with_next_allowed_time(users):
    account = atlanta_account()
    inbound_call(account, users["collector"], at(2025, 6, 10, 14))  # Tuesday: day 1
    blocked = contact_check(account=account, channel="call", to=PHONE, now=at(2025, 6, 16, 20, 59))
    assert blocked["reasons"] == ["CALL_WITHIN_7_DAYS_OF_CONVERSATION"]
    assert "(inbound)" in blocked["violations"][0]["message"]
    assert "first allowed date is 2025-06-17" in blocked["violations"][0]["message"]
    assert blocked["next_allowed_at"] == "2025-06-17T08:00:00-04:00"
    assert contact_check(account=account, channel="call", to=PHONE, now=at(2025, 6, 17, 8))["decision"] == "allow"


def test_inbound_conversation_does_not_block_email(users):
    account = atlanta_account()
    inbound_call(account, users["collector"], at(2025, 6, 10, 14))
    assert contact_check(account=account, channel="email", now=at(2025, 6, 11, 10))["decision"] == "allow"


def test_inbound_calls_do_not_count_toward_seven_in_seven(users):
    account, collector = atlanta_account(), users["collector"]
    for day in (9, 10, 11):
        call(account, collector, at(2025, 6, day, 10))
        inbound_call(account, collector, at(2025, 6, day, 12), outcome="no_answer")  # missed: no conversation
        call(account, collector, at(2025, 6, day, 15))
    seventh = call(account, collector, at(2025, 6, 12, 10))
    assert seventh.status == AttemptStatus.ALLOWED, seventh.decision  # 6 outbound + 3 inbound before it
    eighth = call(account, collector, at(2025, 6, 12, 15))
    assert eighth.status == AttemptStatus.BLOCKED
    assert eighth.decision["reasons"] == ["CALL_FREQ_7_IN_7"]
    assert "This would be call 8" in eighth.decision["violations"][0]["message"]


def test_inbound_message_is_not_the_collectors_initial_communication(users):
    account = atlanta_account(notice_on=None)
    contact_inbound_record(account=account, channel="email", from_="pat.doe@example.com", user=users["collector"],
                           now=at(2025, 6, 10))
    context = build_context(account=account, action=action_for(account=account, channel="email", to=None),
                            now=at(2025, 6, 11))
    assert context["facts"]["initial_communication"] is None
    assert context["facts"]["contact_history"][0]["outcome"] == "received"


def test_inbound_call_outcome_must_be_conversation_or_missed(users):
    account = atlanta_account()
    with pytest.raises(ValidationError, match="conversation or a missed call"):
        inbound_call(account, users["collector"], at(2025, 6, 10), outcome="reached_voicemail_no_message_left")
    assert not ContactAttempt.objects.exists()


def test_consumer_calling_in_a_designated_inconvenient_time_may_get_one_call_back(users):
    """FED-TIME-03(c): comment 6(b)(1)-2, once and by the same medium."""
    account, collector = atlanta_account(), users["collector"]
    services.restriction_create(kind="inconvenient_time", debtor=account.debtor, user=users["compliance"],
                                fields={"days": ["Mon", "Tue", "Wed", "Thu", "Fri"], "start": time(8), "end": time(12),
                                        "time_zone": "America/New_York", "stated_at": at(2025, 6, 3)})
    missed = inbound_call(account, collector, at(2025, 6, 10, 9, 50), outcome="no_answer")
    plain = call(account, collector, at(2025, 6, 10, 10, 0))
    assert plain.decision["reasons"] == ["CONSUMER_DESIGNATED_INCONVENIENT_TIME"]
    reply = call(account, collector, at(2025, 6, 10, 10, 5), outcome="conversation", responds_to=missed)
    assert reply.status == AttemptStatus.ALLOWED, reply.decision
    assert reply.responds_to_id == missed.pk
    assert reply.context["action"]["responding_to_consumer_initiated_contact"] is True
    with pytest.raises(ValidationError, match="already been answered once"):
        call(account, collector, at(2025, 6, 10, 10, 10), responds_to=missed)


def test_the_one_response_must_use_the_consumers_medium_and_be_recent(users):
    account, collector = atlanta_account(), users["collector"]
    text = contact_inbound_record(account=account, channel="sms", from_=PHONE, user=collector, now=at(2025, 6, 10, 9))
    with pytest.raises(ValidationError, match="same medium"):
        call(account, collector, at(2025, 6, 10, 9, 5), responds_to=text)
    with pytest.raises(ValidationError, match="too old"):
        contact_send(account=account, channel="sms", to=PHONE, user=collector, responds_to=text,
                     now=at(2025, 6, 12, 9))
    outbound = call(account, collector, at(2025, 6, 10, 10))
    with pytest.raises(ValidationError, match="must be an inbound contact"):
        call(account, collector, at(2025, 6, 10, 11), responds_to=outbound)


def test_a_reply_to_a_call_after_stop_calling_is_allowed_once(users):
    """FED-MEDIUM-01: one response when the person initiates contact through the opted-out medium."""
    account, collector = atlanta_account(), users["collector"]
    services.restriction_create(kind="medium_opt_out", debtor=account.debtor, user=users["compliance"],
                                fields={"medium": "call", "requested_at": at(2025, 6, 3)})
    missed = inbound_call(account, collector, at(2025, 6, 10, 14), outcome="no_answer")
    assert call(account, collector, at(2025, 6, 10, 14, 5)).decision["reasons"] == ["MEDIUM_OPT_OUT"]
    reply = call(account, collector, at(2025, 6, 10, 14, 10), outcome="conversation", responds_to=missed)
    assert reply.status == AttemptStatus.ALLOWED, reply.decision
    assert ContactAttempt.objects.filter(direction=Direction.INBOUND).count() == 1


def test_inbound_conversation_is_an_initial_communication(users):
    """A conversation the consumer started still conveys information about the debt (1006.34(a))."""
    account = atlanta_account(notice_on=None)
    inbound_call(account, users["collector"], at(2025, 6, 10, 14))
    context = build_context(account=account, action=action_for(account=account, channel="call", to=PHONE),
                            now=at(2025, 6, 11))
    first = context["facts"]["initial_communication"]
    assert datetime.fromisoformat(first["at"]) == at(2025, 6, 10, 14)
