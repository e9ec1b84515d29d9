"""Demo data for credit reporting: a small debt buyer's portfolio furnished last month and the month before,
with accounts the gate lets through and accounts it blocks (each with its reason), paid, settled and recalled."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import Account, Address, Creditor, Debtor, LedgerEntry, Phone
from compliance.models import Dispute, MedicalDetail, Metro2Run, ValidationNotice

from .services import metro2_run_create

CREDITOR = ("NORTHBUY", "Northbuy Receivables LLC")
# number, first, last, state, debt type, balance, case (what makes it reportable or not)
ACCOUNTS = [
    ("NB-1001", "Maria", "Lopez", "TX", "credit_card", "1843.27", "notice_old"),
    ("NB-1002", "James", "Carter", "GA", "consumer_loan", "4120.00", "notice_old"),
    ("NB-1003", "Aisha", "Khan", "IL", "credit_card", "980.55", "notice_old"),
    ("NB-1004", "Tom", "Nguyen", "WA", "credit_card", "2210.10", "notice_recent"),  # 14-day wait not over
    ("NB-1005", "Ruth", "Baker", "OH", "credit_card", "650.00", "no_notice"),  # never contacted
    ("NB-1006", "Leo", "Martin", "FL", "medical", "310.00", "notice_old"),  # medical under $500
    ("NB-1007", "Ana", "Silva", "CA", "medical", "2400.00", "notice_old"),  # California medical ban
    ("NB-1008", "Omar", "Haddad", "NY", "credit_card", "1500.00", "dispute_new"),  # dispute before first report
    ("NB-1009", "Grace", "Kim", "NJ", "credit_card", "760.00", "paid"),  # paid after the first report
    ("NB-1010", "Victor", "Cruz", "AZ", "consumer_loan", "2300.00", "settled"),
    ("NB-1011", "Nina", "Petrov", "CO", "credit_card", "890.00", "recalled"),
    ("NB-1012", "Sam", "Ortiz", "NC", "credit_card", "1320.00", "dispute_open"),  # furnished, then disputed: XB
]


def _month_end(day: date) -> date:
    return day.replace(day=1) - timedelta(days=1)


def bureau_demo_create(*, user=None) -> dict:
    """Idempotent: does nothing once the demo creditor has runs."""
    code, name = CREDITOR
    creditor, _ = Creditor.objects.get_or_create(code=code, defaults={"name": name, "kind": Creditor.Kind.DEBT_BUYER})
    if Metro2Run.objects.filter(creditor=creditor).exists():
        return {"metro2_runs_created": 0}
    today = timezone.localdate()
    last_month, two_back = _month_end(today), _month_end(_month_end(today))
    placed = timezone.now() - timedelta(days=120)
    accounts = {}
    with transaction.atomic():
        for number, first, last, state, debt_type, balance, case in ACCOUNTS:
            debtor = Debtor.objects.create(first_name=first, last_name=last,
                                           date_of_birth=date(1975 + len(first), 1 + len(last) % 12, 10))
            Address.objects.create(debtor=debtor, line1=f"{100 + len(accounts)} Main St", city="Springfield",
                                   state=state, zip="62701" if state != "CA" else "94105")
            Phone.objects.create(debtor=debtor, number=f"+1312555{1000 + len(accounts):04d}")
            amount = Decimal(balance)
            account = Account.objects.create(
                creditor=creditor, debtor=debtor, creditor_account_number=number, debt_type=debt_type,
                original_creditor="Mercy Regional Health" if debt_type == "medical" else "Acme Bank, N.A.",
                itemization_balance=amount, itemization_date=(placed - timedelta(days=30)).date(),
                date_of_first_delinquency=(placed - timedelta(days=400)).date(), status="active",
                current_balance=amount)
            Account.objects.filter(pk=account.pk).update(placed_at=placed)
            LedgerEntry.objects.create(account=account, creditor=creditor, kind="charge", amount=amount,
                                       posted_date=placed.date(), reference=f"{number}-PLACED", source="placement")
            if debt_type == "medical":
                MedicalDetail.objects.create(account=account, provider_name="Mercy Regional Health",
                                             date_of_service=(placed - timedelta(days=500)).date())
            if case != "no_notice":
                # a recent notice: its 14-day wait not over yet; or (dispute_new) over, with a timely dispute
                sent = {"notice_recent": today - timedelta(days=5), "dispute_new": today - timedelta(days=20)}.get(
                    case, placed.date() + timedelta(days=3))
                ValidationNotice.objects.create(account=account, sent_on=sent, addressee=f"{first} {last}",
                                                created_by=user)
            if case == "dispute_new":
                Dispute.objects.create(account=account, method="written_mail",
                                       received_at=timezone.now() - timedelta(days=3), created_by=user)
            accounts[number] = (account, case)
    # The month before last: the first furnishing.
    first = metro2_run_create(creditor=creditor, as_of=two_back, user=user)
    # Then last month's events: payments, a settlement, a recall and a new dispute.
    with transaction.atomic():
        for number, (account, case) in accounts.items():
            paid_on = last_month - timedelta(days=10)
            if case in ("paid", "settled"):
                share = Decimal("1") if case == "paid" else Decimal("0.6")
                pay = (account.current_balance * share).quantize(Decimal("0.01"))
                LedgerEntry.objects.create(account=account, creditor=creditor, kind="payment", amount=-pay,
                                           posted_date=paid_on, reference=f"{number}-PAY", source="payment")
                if case == "settled":
                    LedgerEntry.objects.create(account=account, creditor=creditor, kind="write_off",
                                               amount=-(account.current_balance - pay), posted_date=paid_on,
                                               reference=f"{number}-SETTLED", source="system")
                Account.objects.filter(pk=account.pk).update(status=case, current_balance=Decimal("0.00"),
                                                             last_payment_date=paid_on)
            elif case == "recalled":
                Account.objects.filter(pk=account.pk).update(status="recalled")
            elif case == "dispute_open":
                Dispute.objects.create(account=account, method="written_mail",
                                       received_at=timezone.now() - timedelta(days=20), created_by=user)
    second = metro2_run_create(creditor=creditor, as_of=last_month, user=user)
    return {"metro2_runs_created": 2, "metro2_records": [first.records, second.records],
            "metro2_blocked": [first.blocked, second.blocked]}
