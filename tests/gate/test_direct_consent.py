"""Direct prior consent recorded in the database reaches the engine (FED-FREQ-03(i), FED-TIME-03(a))."""

from datetime import datetime, time

import pytest
from django.core.exceptions import ValidationError

from compliance import services
from compliance.gate import build_context, contact_check, contact_send
from compliance.gate.snapshot import action_for
from compliance.models import AttemptStatus, AuditEvent, DirectPriorConsent

from .support import PHONE, at, atlanta_account

pytestmark = pytest.mark.django_db
CALL_DAYS = [(9, 10), (9, 15), (10, 10), (10, 15), (11, 10), (11, 15), (12, 10)]  # 7 calls, 2025-06-09..12


def seven_calls(account, user):
    for day, hour in CALL_DAYS:
        attempt = contact_send(account=account, channel="call", to=PHONE, user=user, outcome="no_answer",
                               now=at(2025, 6, day, hour))
        assert attempt.status == AttemptStatus.ALLOWED, attempt.decision


def consent(account, user, *, scope="call_frequency", given_at, **fields):
    return services.direct_consent_record(debtor=account.debtor, account=account, scope=scope, given_at=given_at,
                                          user=user, fields=fields, statement="call me back later today")


def check_call(account, when):
    return contact_check(account=account, channel="call", to=PHONE, now=when)


def test_consent_is_in_the_context_in_the_engines_shape(users):
    account = atlanta_account()
    record = consent(account, users["collector"], scope="time_of_day", given_at=at(2025, 6, 10, 14),
                     consented_at=at(2025, 6, 12, 21, 30))
    context = build_context(account=account, action=action_for(account=account, channel="call", to=PHONE),
                            now=at(2025, 6, 11))
    [item] = context["facts"]["consumer"]["direct_prior_consents"]
    assert item["type"] == "time_of_day" and item["to"] == "debt_collector"
    assert item["given_directly_by"] == "consumer" and item["debt_ids"] == [str(account.pk)]
    assert datetime.fromisoformat(item["consented_at_local"]) == at(2025, 6, 12, 21, 30)  # an instant
    assert item["revoked_at"] is None and item["id"] == f"DPC-{record.pk}"
    assert AuditEvent.objects.filter(object_type="compliance.DirectPriorConsent", action="create").exists()


def test_eighth_call_is_blocked_without_consent(users):
    account = atlanta_account()
    seven_calls(account, users["collector"])
    assert check_call(account, at(2025, 6, 12, 17))["reasons"] == ["CALL_FREQ_7_IN_7"]


def test_call_within_seven_days_of_direct_consent_is_excluded_until_revoked(users):
    account = atlanta_account()
    seven_calls(account, users["collector"])
    record = consent(account, users["collector"], given_at=at(2025, 6, 12, 16))
    assert check_call(account, at(2025, 6, 12, 17))["decision"] == "allow"
    services.direct_consent_revoke(consent=record, user=users["compliance"], notes="stop calling so much",
                                   revoked_at=at(2025, 6, 12, 17, 30))
    assert check_call(account, at(2025, 6, 12, 18))["reasons"] == ["CALL_FREQ_7_IN_7"]


def test_calls_placed_under_consent_do_not_count_even_after_it_is_revoked(users):
    account = atlanta_account()
    record = consent(account, users["collector"], given_at=at(2025, 6, 9, 9))
    seven_calls(account, users["collector"])
    services.direct_consent_revoke(consent=record, user=users["compliance"], notes="withdrawn",
                                   revoked_at=at(2025, 6, 12, 16))
    assert check_call(account, at(2025, 6, 12, 17))["decision"] == "allow"


def test_consent_to_another_account_of_the_debtor_does_not_cover_this_one(users):
    account = atlanta_account()
    other = atlanta_account()
    seven_calls(account, users["collector"])
    services.direct_consent_record(debtor=other.debtor, account=other, scope="call_frequency",
                                   given_at=at(2025, 6, 12, 16), user=users["collector"])
    assert check_call(account, at(2025, 6, 12, 17))["reasons"] == ["CALL_FREQ_7_IN_7"]


def test_consent_to_a_late_call_allows_that_time_and_revocation_ends_it(users):
    account = atlanta_account()
    assert check_call(account, at(2025, 6, 12, 21, 30))["reasons"] == ["INCONVENIENT_TIME"]
    record = consent(account, users["collector"], scope="time_of_day", given_at=at(2025, 6, 10, 14),
                     consented_at=at(2025, 6, 12, 21, 30))
    assert check_call(account, at(2025, 6, 12, 21, 40))["decision"] == "allow"
    assert check_call(account, at(2025, 6, 13, 21, 30))["reasons"] == ["INCONVENIENT_TIME"]  # only that time
    services.direct_consent_revoke(consent=record, user=users["compliance"], notes="changed mind",
                                   revoked_at=at(2025, 6, 11, 9))
    assert check_call(account, at(2025, 6, 12, 21, 40))["reasons"] == ["INCONVENIENT_TIME"]


def test_consent_to_an_evening_window_allows_calls_in_it(users):
    account = atlanta_account()
    services.direct_consent_record(debtor=account.debtor, scope="time_of_day", given_at=at(2025, 6, 10, 14),
                                   user=users["compliance"], fields={"window_start": time(21), "window_end": time(22),
                                                                     "time_zone": "America/New_York"})
    assert check_call(account, at(2025, 6, 20, 21, 15))["decision"] == "allow"
    assert check_call(account, at(2025, 6, 20, 22, 15))["reasons"] == ["INCONVENIENT_TIME"]


def test_a_time_consent_needs_a_time_and_cannot_be_revoked_twice(users):
    account = atlanta_account()
    with pytest.raises(ValidationError, match="time the consumer asked"):
        consent(account, users["collector"], scope="time_of_day", given_at=at(2025, 6, 10, 14))
    record = consent(account, users["collector"], given_at=at(2025, 6, 10, 14))
    services.direct_consent_revoke(consent=record, user=users["compliance"], notes="x")
    with pytest.raises(ValidationError, match="already revoked"):
        services.direct_consent_revoke(consent=record, user=users["compliance"], notes="again")
    assert DirectPriorConsent.objects.get().revoked_by == users["compliance"]
