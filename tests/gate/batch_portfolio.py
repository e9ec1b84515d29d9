"""A varied hand-built portfolio for the batched gate: one account per credit-reporting case."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from accounts.models import Debtor
from compliance.models import (
    AttorneyRepresentation,
    Bankruptcy,
    CeaseRequest,
    ContactAttempt,
    DeceasedRecord,
    DirectPriorConsent,
    Dispute,
    DisputeStatus,
    DoNotCallNumber,
    FraudClaim,
    InconvenientTime,
    LegalHold,
    MedicalDetail,
    MediumOptOut,
    OriginalCreditorRequest,
    RelatedPerson,
    ServicememberRecord,
    TcpaConsent,
    ValidationNotice,
)
from tests.factories import AccountFactory, AddressFactory, CreditorFactory, DebtorFactory, EmailFactory, PhoneFactory

NOW = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)
LONG_AGO = date(2026, 6, 1)


def _debtor(state="GA", zip_code="30303", zone="America/New_York", **kwargs):
    debtor = DebtorFactory(date_of_birth=date(1980, 5, 6), **kwargs)
    AddressFactory(debtor=debtor, line1="1 Main St", state=state, zip=zip_code, time_zone=zone)
    PhoneFactory(debtor=debtor, number=f"+1404555{debtor.pk % 10000:04d}", time_zones=[zone])
    EmailFactory(debtor=debtor)
    return debtor


def _account(creditor, debtor=None, *, notice_on=LONG_AGO, debt_type="credit_card", balance="1200.00",
             status="active", **kwargs):
    account = AccountFactory(creditor=creditor, debtor=debtor or _debtor(), debt_type=debt_type, status=status,
                             current_balance=Decimal(balance), itemization_balance=Decimal(balance),
                             date_of_first_delinquency=date(2025, 3, 15), **kwargs)
    if notice_on:
        ValidationNotice.objects.create(account=account, sent_on=notice_on, addressee="Pat Doe")
    return account


def _attempt(account, key, *, channel="call", outcome="conversation", status="allowed", direction="outbound",
             at=NOW - timedelta(days=10)):
    return ContactAttempt.objects.create(account=account, debtor_id=account.debtor_id, channel=channel,
                                         to="+14045550000", direction=direction, outcome=outcome,
                                         debt_ids=[str(account.pk)], idempotency_key=key, requested_at=at,
                                         status=status, decision={}, context={})


def portfolio(creditor=None) -> dict:
    """One account per case; some debtors hold two accounts, some restrictions cover only one of them."""
    creditor = creditor or CreditorFactory(code="BATCH", name="Batch Bank")
    a = {}
    a["open"] = _account(creditor)
    a["no_notice"] = _account(creditor, notice_on=None)
    a["notice_in_wait"] = _account(creditor, notice_on=NOW.date() - timedelta(days=5))
    a["dispute_open"] = _account(creditor, status="disputed")
    Dispute.objects.create(account=a["dispute_open"], method="written_mail", received_at=NOW - timedelta(days=20))
    a["dispute_investigated"] = _account(creditor)
    Dispute.objects.create(account=a["dispute_investigated"], method="written_mail", status=DisputeStatus.RESOLVED,
                           received_at=NOW - timedelta(days=60), verification_sent_at=NOW - timedelta(days=40),
                           resolved_at=NOW - timedelta(days=40))
    a["dispute_withdrawn"] = _account(creditor)
    Dispute.objects.create(account=a["dispute_withdrawn"], method="oral", status=DisputeStatus.RESOLVED,
                           received_at=NOW - timedelta(days=30), resolved_at=NOW - timedelta(days=25))
    a["medical_small"] = _account(creditor, debt_type="medical", balance="320.00")
    MedicalDetail.objects.create(account=a["medical_small"], provider_name="Mercy", date_of_service=date(2024, 1, 5))
    a["medical_recent"] = _account(creditor, debt_type="medical", balance="2400.00")
    MedicalDetail.objects.create(account=a["medical_recent"], provider_name="Mercy",
                                 date_of_service=NOW.date() - timedelta(days=100), insurance_status="pending",
                                 insurance_filed_on=NOW.date() - timedelta(days=90))
    a["medical_california"] = _account(creditor, _debtor(state="CA", zip_code="94105", zone="America/Los_Angeles"),
                                       debt_type="medical", balance="2400.00")
    MedicalDetail.objects.create(account=a["medical_california"], provider_name="Mercy",
                                 date_of_service=date(2024, 1, 5))
    a["medical_no_detail"] = _account(creditor, debt_type="medical", balance="900.00")
    a["bankruptcy"] = _account(creditor)
    Bankruptcy.objects.create(debtor=a["bankruptcy"].debtor, chapter=7, case_number="26-1", filed_on=date(2026, 9, 1))
    a["paid"] = _account(creditor, status="paid", balance="0.00")
    a["settled"] = _account(creditor, status="settled", balance="0.00")
    a["recalled"] = _account(creditor, status="recalled")
    business = _debtor(debtor_type=Debtor.Type.BUSINESS, business_name="Blue Ridge Tile LLC")
    a["business"] = _account(creditor, business, debt_type="commercial")
    # a fraud hold stops the run before the gate; the gate still answers the same both ways
    a["fraud"] = _account(creditor)
    LegalHold.objects.create(account=a["fraud"], kind="fraud", reason="identity theft claim", placed_at=NOW)
    FraudClaim.objects.create(debtor=a["fraud"].debtor, account=a["fraud"], received_at=NOW - timedelta(days=6))
    a["deceased"] = _account(creditor)
    DeceasedRecord.objects.create(debtor=a["deceased"].debtor, date_of_death=date(2026, 8, 1),
                                  personal_representative_name="Sam Doe")
    # one debtor, two accounts: a cease and an attorney on the first only, an opt-out on both
    shared = _debtor()
    a["shared_ceased"] = _account(creditor, shared)
    a["shared_other"] = _account(creditor, shared)
    CeaseRequest.objects.create(debtor=shared, account=a["shared_ceased"], received_at=NOW - timedelta(days=3))
    AttorneyRepresentation.objects.create(debtor=shared, account=a["shared_ceased"], name="L. Counsel",
                                          known_since=NOW - timedelta(days=8))
    MediumOptOut.objects.create(debtor=shared, medium="email", requested_at=NOW - timedelta(days=4))
    DoNotCallNumber.objects.create(debtor=shared, number="+14045550001", requested_at=NOW - timedelta(days=4))
    InconvenientTime.objects.create(debtor=shared, start="08:00", end="12:00", time_zone="America/New_York",
                                    stated_at=NOW - timedelta(days=2))
    RelatedPerson.objects.create(debtor=shared, name="Kim Doe", relationship="spouse", verified=True)
    DirectPriorConsent.objects.create(debtor=shared, account=a["shared_other"], scope="call_frequency",
                                      given_at=NOW - timedelta(days=1), given_via="inbound_call")
    ServicememberRecord.objects.create(debtor=shared, active_duty_start=date(2026, 1, 1))
    # an ended cease no longer counts
    CeaseRequest.objects.create(debtor=a["open"].debtor, received_at=NOW - timedelta(days=50),
                                ended_at=NOW - timedelta(days=40))
    # contact history: a conversation, returned mail, an old call outside the window, a consumer's email
    talked = a["open"]
    _attempt(talked, "b1")
    _attempt(talked, "b2", channel="letter", outcome="", status="returned", at=NOW - timedelta(days=20))
    _attempt(talked, "b3", at=NOW - timedelta(days=200))
    _attempt(talked, "b4", channel="email", outcome="", status="received", direction="inbound")
    _attempt(a["no_notice"], "b5", channel="letter", outcome="", status="sent", at=NOW - timedelta(days=30))
    OriginalCreditorRequest.objects.create(account=talked, received_at=NOW - timedelta(days=12))
    phone = talked.debtor.phones.first()
    TcpaConsent.objects.create(phone=phone, source="creditor_file", given_at=NOW - timedelta(days=100))
    return a
