"""The gate decides from stored records: each restriction reproduces the engine's block."""

from datetime import time, timedelta

import pytest

from compliance import services
from compliance.gate import contact_check, contact_send
from compliance.models import AttemptStatus, CallOutcome, ContactAttempt, Dispute

from .support import PHONE, at, atlanta_account

pytestmark = pytest.mark.django_db


def test_call_on_a_clean_account_is_allowed_and_logged_as_allowed(users):
    account = atlanta_account()
    attempt = contact_send(account=account, channel="call", to=PHONE, user=users["collector"],
                           outcome=CallOutcome.NO_ANSWER, idempotency_key="k1", now=at(2025, 6, 10))
    assert attempt.status == AttemptStatus.ALLOWED
    assert attempt.decision["decision"] == "allow", attempt.decision
    assert attempt.decision["reasons"] == ["OK"]
    assert attempt.context["action"]["to"] == PHONE
    assert attempt.context["facts"]["consumer"]["address_timezone"] == "America/New_York"
    assert attempt.user == users["collector"]


def test_cease_request_blocks_every_call(users):
    account = atlanta_account()
    services.restriction_create(kind="cease", debtor=account.debtor, account=None, user=users["compliance"],
                                fields={"received_at": at(2025, 6, 5), "method": "written_mail"})
    decision = contact_check(account=account, channel="call", to=PHONE, user=users["collector"], now=at(2025, 6, 10))
    assert decision["decision"] == "block"
    assert "CEASE_COMMUNICATION" in decision["reasons"]
    assert decision["next_allowed_at"] is None


def test_ended_cease_request_no_longer_blocks(users):
    account = atlanta_account()
    cease = services.restriction_create(kind="cease", debtor=account.debtor, account=None, user=users["compliance"],
                                        fields={"received_at": at(2025, 6, 5), "method": "written_mail"})
    services.restriction_end(restriction=cease, user=users["compliance"], reason="entered in error",
                             ended_at=at(2025, 6, 6))
    decision = contact_check(account=account, channel="call", to=PHONE, user=users["collector"], now=at(2025, 6, 10))
    assert decision["decision"] == "allow", decision


def test_open_written_dispute_within_the_validation_period_blocks_collection_calls(users):
    account = atlanta_account(notice_on=at(2025, 6, 2).date())
    services.dispute_record(account=account, method=Dispute.Method.WRITTEN_MAIL, received_at=at(2025, 6, 20),
                            scope=Dispute.Scope.ENTIRE, user=users["compliance"])
    decision = contact_check(account=account, channel="call", to=PHONE, user=users["collector"], now=at(2025, 6, 23))
    assert decision["decision"] == "block"
    assert "DISPUTE_PENDING_VERIFICATION" in decision["reasons"]


def test_dispute_verified_then_calls_are_allowed_again(users):
    account = atlanta_account(notice_on=at(2025, 6, 2).date())
    dispute = services.dispute_record(account=account, method=Dispute.Method.WRITTEN_MAIL,
                                      received_at=at(2025, 6, 20), user=users["compliance"])
    services.dispute_status_change(dispute=dispute, to_status="verification_sent", user=users["compliance"],
                                   at=at(2025, 6, 24))
    decision = contact_check(account=account, channel="call", to=PHONE, user=users["collector"], now=at(2025, 6, 25))
    assert "DISPUTE_PENDING_VERIFICATION" not in decision["reasons"]


def test_eighth_call_in_seven_days_from_the_contact_log_is_blocked_until_a_lawful_date(users):
    account = atlanta_account()
    start = at(2025, 6, 2, 9)
    for i in range(7):
        # from the 4th call of the day the gate warns (CFPB rebuttal signal): the collector confirms
        attempt = contact_send(account=account, channel="call", to=PHONE, user=users["collector"],
                               outcome=CallOutcome.NO_ANSWER, idempotency_key=f"call-{i}",
                               now=start + timedelta(hours=i), confirm_warnings=i >= 3)
        assert attempt.status == AttemptStatus.ALLOWED, attempt.decision
        assert bool(attempt.decision["warnings"]) == (i >= 3)
    eighth = contact_send(account=account, channel="call", to=PHONE, user=users["collector"],
                          outcome=CallOutcome.NO_ANSWER, idempotency_key="call-8", now=at(2025, 6, 8, 14))
    assert eighth.status == AttemptStatus.BLOCKED
    assert eighth.decision["reasons"] == ["CALL_FREQ_7_IN_7"]
    # The 7 calls were on 2 June: the window D-6..D clears on 9 June, at 08:00 local.
    assert eighth.decision["next_allowed_at"] == "2025-06-09T08:00:00-04:00"
    assert ContactAttempt.objects.filter(account=account).count() == 8  # the blocked one is logged too


def test_call_at_2100_local_is_blocked_with_next_morning(users):
    account = atlanta_account()
    decision = contact_check(account=account, channel="call", to=PHONE, user=users["collector"],
                             now=at(2025, 6, 10, 21, 0))
    assert decision["reasons"] == ["INCONVENIENT_TIME"]
    assert decision["next_allowed_at"] == "2025-06-11T08:00:00-04:00"


def test_call_at_2059_local_is_allowed(users):
    account = atlanta_account()
    decision = contact_check(account=account, channel="call", to=PHONE, user=users["collector"],
                             now=at(2025, 6, 10, 20, 59))
    assert decision["decision"] == "allow", decision


def test_a_pacific_area_code_narrows_the_window_for_an_eastern_address(users):
    account = atlanta_account()
    from tests.factories import PhoneFactory
    PhoneFactory(debtor=account.debtor, number="+14155550123", time_zones=["America/Los_Angeles"])
    decision = contact_check(account=account, channel="call", to=PHONE, user=users["collector"],
                             now=at(2025, 6, 10, 10, 30))  # 07:30 in California
    assert decision["reasons"] == ["INCONVENIENT_TIME"]
    assert decision["next_allowed_at"] == "2025-06-10T11:00:00-04:00"


def test_consumer_designated_time_from_records_blocks(users):
    account = atlanta_account()
    services.restriction_create(kind="inconvenient_time", debtor=account.debtor, account=None,
                                user=users["compliance"],
                                fields={"days": ["Mon", "Tue", "Wed", "Thu", "Fri"], "start": time(8),
                                        "end": time(12), "time_zone": "America/New_York",
                                        "stated_at": at(2025, 6, 1)})
    decision = contact_check(account=account, channel="call", to=PHONE, user=users["collector"],
                             now=at(2025, 6, 10, 10))
    assert "CONSUMER_DESIGNATED_INCONVENIENT_TIME" in decision["reasons"]


def test_do_not_call_number_blocks_that_number(users):
    account = atlanta_account()
    services.restriction_create(kind="dnc", debtor=account.debtor, account=None, user=users["compliance"],
                                fields={"number": PHONE, "requested_at": at(2025, 6, 1)})
    decision = contact_check(account=account, channel="call", to=PHONE, user=users["collector"], now=at(2025, 6, 10))
    assert "MEDIUM_OPT_OUT" in decision["reasons"]


def test_attorney_representation_blocks_direct_contact(users):
    account = atlanta_account()
    services.restriction_create(kind="attorney", debtor=account.debtor, account=account, user=users["compliance"],
                                fields={"name": "Dana Whitfield", "firm": "Whitfield Law",
                                        "known_since": at(2025, 6, 1)})
    decision = contact_check(account=account, channel="call", to=PHONE, user=users["collector"], now=at(2025, 6, 10))
    assert "ATTORNEY_REPRESENTED" in decision["reasons"]


def test_context_query_count_does_not_grow_with_history(users, django_assert_max_num_queries):
    account = atlanta_account()
    for i in range(3):
        contact_send(account=account, channel="call", to=PHONE, user=users["collector"], outcome="no_answer",
                     idempotency_key=f"few-{i}", now=at(2025, 6, 2, 9 + i))
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    with CaptureQueriesContext(connection) as few:
        contact_check(account=account, channel="call", to=PHONE, user=users["collector"], now=at(2025, 6, 3))
    for i in range(20):
        contact_send(account=account, channel="email", to="pat.doe@example.com", user=users["collector"],
                     idempotency_key=f"many-{i}", now=at(2025, 6, 2, 10, i))
    with CaptureQueriesContext(connection) as many:
        contact_check(account=account, channel="call", to=PHONE, user=users["collector"], now=at(2025, 6, 3))
    assert len(many.captured_queries) == len(few.captured_queries)
