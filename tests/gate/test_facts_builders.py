"""The four facts builders, each on its own, and what the gate decides from them."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from accounts.models import AuditEvent, Debtor, DebtType
from compliance import services
from compliance.gate import contact_check, contact_send
from compliance.gate.facts import consumer_facts, debt_facts, event_facts, restriction_facts
from compliance.models import (
    AttemptStatus,
    CallOutcome,
    ContactAttempt,
    DirectPriorConsent,
    InconvenientTime,
    MedicalDetail,
    RelatedPerson,
)
from tests.factories import AccountFactory, AddressFactory, DebtorFactory, PhoneFactory

from .support import PHONE, at, atlanta_account

pytestmark = pytest.mark.django_db


def _floats(value) -> list:
    if isinstance(value, float):
        return [value]
    if isinstance(value, dict):
        return [f for v in value.values() for f in _floats(v)]
    if isinstance(value, list):
        return [f for v in value for f in _floats(v)]
    return []


def test_debt_facts_carry_money_as_exact_decimal_strings_never_float():
    account = atlanta_account(itemization_balance=Decimal("1843.27"))
    facts = debt_facts(account=account)
    assert facts["original_balance"] == "1843.27" and Decimal(facts["balance"]) == account.current_balance
    assert facts["purpose"] == "personal_family_household" and facts["medical"] is False
    assert _floats(facts) == []


def test_whole_context_has_no_float_anywhere(users):
    account = atlanta_account(itemization_balance=Decimal("99.10"))
    attempt = contact_send(account=account, channel="call", to=PHONE, user=users["collector"],
                           outcome=CallOutcome.NO_ANSWER, idempotency_key="f1", now=at(2025, 6, 10))
    assert _floats(attempt.context) == []
    assert _floats(json.loads(json.dumps(attempt.context))) == []


def test_consumer_facts_name_a_business_debtor_as_a_company():
    debtor = DebtorFactory(debtor_type=Debtor.Type.BUSINESS, business_name="Blue Ridge Tile LLC")
    AddressFactory(debtor=debtor)
    facts = consumer_facts(debtor=debtor)
    assert facts["kind"] == "company" and facts["name"] == "Blue Ridge Tile LLC"
    assert facts["address_timezone"] == "America/New_York"


def test_commercial_account_is_a_business_purpose_debt():
    account = atlanta_account(debt_type=DebtType.COMMERCIAL)
    assert debt_facts(account=account)["purpose"] == "business"


def test_event_facts_read_the_validation_notice_and_history(users):
    account = atlanta_account()
    contact_send(account=account, channel="call", to=PHONE, user=users["collector"], outcome=CallOutcome.CONVERSATION,
                 idempotency_key="e1", now=at(2025, 6, 9))
    facts = event_facts(account=account, now=at(2025, 6, 10))
    assert facts["validation_notice"]["provided_at"] == "2025-06-02"
    assert [e["outcome"] for e in facts["contact_history"]] == ["conversation"]
    assert facts["credit_reporting"]["undeliverable_notices"] == []


def test_restriction_facts_carry_related_persons_and_their_consents(users):
    account = atlanta_account()
    spouse = services.restriction_create(kind="related_person", debtor=account.debtor, account=None,
                                         user=users["compliance"],
                                         fields={"name": "Lee Doe", "relationship": "spouse", "verified": True})
    DirectPriorConsent.objects.create(debtor=account.debtor, scope=DirectPriorConsent.Scope.TIME,
                                      given_at=at(2025, 6, 9, 12), given_by=spouse,
                                      consented_at=at(2025, 6, 10, 21, 30))
    facts = restriction_facts(account=account, now=at(2025, 6, 10, 21, 30))
    assert facts["consumer"]["related_persons"][0] == {
        "id": f"REL-{spouse.pk}", "name": "Lee Doe", "relationship": "spouse", "phone": None, "email": None,
        "is_personal_representative": False, "pr_evidence": None, "verified": True}
    assert facts["consumer"]["direct_prior_consents"][0]["given_directly_by"] == f"REL-{spouse.pk}"
    decision = contact_check(account=account, channel="call", to=PHONE, now=at(2025, 6, 10, 21, 30))
    assert decision["decision"] == "allow", decision  # the spouse's consent is the consumer's (1006.6(a)(1))


def test_a_sisters_consent_is_not_the_consumers(users):
    account = atlanta_account()
    sister = RelatedPerson.objects.create(debtor=account.debtor, name="Jo Doe", relationship="other_relative")
    DirectPriorConsent.objects.create(debtor=account.debtor, scope=DirectPriorConsent.Scope.TIME,
                                      given_at=at(2025, 6, 9, 12), given_by=sister,
                                      consented_at=at(2025, 6, 10, 21, 30))
    decision = contact_check(account=account, channel="call", to=PHONE, now=at(2025, 6, 10, 21, 30))
    assert decision["reasons"] == ["INCONVENIENT_TIME"]


def test_business_debtor_commercial_account_is_not_blocked_at_night():
    debtor = DebtorFactory(debtor_type=Debtor.Type.BUSINESS, business_name="Blue Ridge Tile LLC")
    AddressFactory(debtor=debtor)
    PhoneFactory(debtor=debtor, number=PHONE, time_zones=["America/New_York"])
    account = AccountFactory(debtor=debtor, debt_type=DebtType.COMMERCIAL)
    decision = contact_check(account=account, channel="call", to=PHONE, now=at(2025, 6, 10, 22, 30))
    assert decision["decision"] == "allow", decision
    assert "FDCPA / Regulation F" not in decision["applied_rule_sets"]
    consumer = atlanta_account()
    assert contact_check(account=consumer, channel="call", to=PHONE,
                         now=at(2025, 6, 10, 22, 30))["reasons"] == ["INCONVENIENT_TIME"]


def test_insurance_pending_medical_account_is_held_until_resolved():
    account = atlanta_account(debt_type=DebtType.MEDICAL)
    detail = MedicalDetail.objects.create(account=account, provider_name="Atlanta Oncology Associates",
                                          date_of_service=date(2025, 3, 1), insurance_status="pending",
                                          insurance_filed_on=date(2025, 4, 1), diagnosis_codes=["C50.911"])
    facts = debt_facts(account=account)
    assert facts["insurance_status"] == "pending" and "diagnosis_codes" not in json.dumps(facts)
    assert "Oncology" not in json.dumps(facts)
    held = contact_check(account=account, channel="call", to=PHONE, now=at(2025, 6, 10))
    assert held["reasons"] == ["MEDICAL_INSURANCE_PENDING"]
    detail.insurance_status, detail.insurance_resolved_on = "paid", date(2025, 6, 9)
    detail.save()
    after = contact_check(account=account, channel="call", to=PHONE, now=at(2025, 6, 10))
    assert after["decision"] == "allow" and after["requires_confirmation"]
    assert [w["rule"] for w in after["warnings"]] == ["MED-06-REMINDER"]


def test_warned_call_needs_confirmation_and_the_confirmation_is_logged(users):
    account = atlanta_account()
    contact_send(account=account, channel="call", to=PHONE, user=users["collector"], outcome=CallOutcome.NO_ANSWER,
                 idempotency_key="w1", now=at(2025, 6, 10, 14, 0))
    with pytest.raises(ValidationError, match="Confirm the warnings"):
        contact_send(account=account, channel="call", to=PHONE, user=users["collector"],
                     outcome=CallOutcome.NO_ANSWER, idempotency_key="w2", now=at(2025, 6, 10, 14, 3),
                     confirm_warnings=False)
    assert not ContactAttempt.objects.filter(account=account, idempotency_key="w2").exists()
    attempt = contact_send(account=account, channel="call", to=PHONE, user=users["collector"],
                           outcome=CallOutcome.NO_ANSWER, idempotency_key="w3", now=at(2025, 6, 10, 14, 3),
                           confirm_warnings=True)
    assert attempt.status == AttemptStatus.ALLOWED
    assert attempt.decision["warnings_confirmed"]["rules"] == ["WARN-FREQ-RAPID"]
    assert attempt.decision["warnings_confirmed"]["by"] == users["collector"].pk
    event = AuditEvent.objects.filter(object_id=str(attempt.pk), action="contact").get()
    assert event.user == users["collector"] and "WARN-FREQ-RAPID" in event.summary


def test_a_system_path_records_warned_contacts_unconfirmed_without_an_audit_event(users):
    account = atlanta_account()
    contact_send(account=account, channel="call", to=PHONE, user=users["collector"], outcome=CallOutcome.NO_ANSWER,
                 idempotency_key="s1", now=at(2025, 6, 10, 14, 0))
    attempt = contact_send(account=account, channel="call", to=PHONE, user=users["collector"],
                           outcome=CallOutcome.NO_ANSWER, idempotency_key="s2", now=at(2025, 6, 10, 14, 2))
    assert attempt.status == AttemptStatus.ALLOWED and attempt.decision["warnings_confirmed"] is None
    assert [w["reason"] for w in attempt.decision["warnings"]] == ["CALLS_IN_RAPID_SUCCESSION"]
    assert not AuditEvent.objects.filter(object_id=str(attempt.pk), action="contact").exists()


def test_a_consent_recorded_for_a_related_person_of_another_debtor_is_refused(users):
    account, other = atlanta_account(), atlanta_account()
    stranger = RelatedPerson.objects.create(debtor=other.debtor, name="Kim Roe", relationship="spouse")
    with pytest.raises(ValidationError, match="another debtor"):
        services.direct_consent_record(debtor=account.debtor, scope=DirectPriorConsent.Scope.TIME,
                                       given_at=at(2025, 6, 9), user=users["compliance"],
                                       fields={"consented_at": at(2025, 6, 10, 21), "given_by": stranger})


def test_workspace_quick_form_offers_only_this_debtors_related_persons_and_records_their_consent(client_for, users):
    from django.urls import reverse

    account, other = atlanta_account(), atlanta_account()
    spouse = RelatedPerson.objects.create(debtor=account.debtor, name="Lee Doe", relationship="spouse", verified=True)
    RelatedPerson.objects.create(debtor=other.debtor, name="Kim Roe", relationship="spouse")
    client = client_for("collector")
    page = client.get(reverse("account-workspace", args=[account.pk])).content.decode()
    assert "Lee Doe" in page and "Kim Roe" not in page
    client.post(reverse("account-consent-record", args=[account.pk]), {
        "scope": "time_of_day", "given_at": "2025-06-09T12:00", "given_via": "inbound_call",
        "given_by": spouse.pk, "consented_at": "2025-06-10T21:30", "statement": "Call her at 9:30 tonight"})
    consent = DirectPriorConsent.objects.get(debtor=account.debtor)
    assert consent.given_by == spouse


def test_restriction_facts_fast_path_for_a_debtor_without_records_equals_the_full_read(django_assert_num_queries):
    """A debtor with no restriction, consent or related person: one query, the same facts as the
    eleven queries of the full read (which a record of another debtor must not short-cut)."""
    from compliance.gate.facts import restrictions as module

    account, other = atlanta_account(), atlanta_account()
    now = at(2025, 6, 10, 15, 0)
    with django_assert_num_queries(1):
        fast = restriction_facts(account=account, now=now)
    real = module._has_any_record
    module._has_any_record = lambda debtor_id: True  # force the full read
    try:
        slow = restriction_facts(account=account, now=now)
    finally:
        module._has_any_record = real
    assert json.dumps(fast, sort_keys=True) == json.dumps(slow, sort_keys=True)
    InconvenientTime.objects.create(debtor=account.debtor, days=["Tue"], start="07:00", end="09:00",
                                    time_zone="America/New_York", stated_at=at(2025, 6, 1, 12, 0),
                                    statement="not before 9")
    assert module._has_any_record(account.debtor_id) and not module._has_any_record(other.debtor_id)
    assert restriction_facts(account=account, now=now)["consumer"]["inconvenient_times"]
