"""A hand-built portfolio for the Metro 2 tests: seven accounts of one creditor, one per reporting case."""

from datetime import UTC, date, datetime
from decimal import Decimal

from django.core.files.base import ContentFile

from accounts.models import Address, LedgerEntry, Phone
from compliance.models import Dispute, Metro2Record, Metro2Run, ValidationNotice
from tests.factories import AccountFactory, CreditorFactory, DebtorFactory

AS_OF = date(2026, 10, 31)
NOW = datetime(2026, 11, 2, 12, 0, tzinfo=UTC)
PLACED = datetime(2025, 6, 1, 15, 0, tzinfo=UTC)


def _account(creditor, number, *, first, last, balance, status="active", debt_type="credit_card",
             dofd=date(2025, 3, 15), notice=True, original="Acme Bank NA", address=True):
    debtor = DebtorFactory(first_name=first, last_name=last, date_of_birth=date(1980, 5, 6))
    if address:
        Address.objects.create(debtor=debtor, line1=f"{number[-1]} Peachtree St", city="Atlanta", state="GA",
                               zip="30303", time_zone="America/New_York")
    Phone.objects.create(debtor=debtor, number="+14045550101", time_zones=["America/New_York"])
    account = AccountFactory(creditor=creditor, debtor=debtor, creditor_account_number=number, status=status,
                             debt_type=debt_type, current_balance=Decimal(balance),
                             itemization_balance=Decimal(balance) if status in ("active", "disputed")
                             else Decimal("900.00"),
                             date_of_first_delinquency=dofd, original_creditor=original)
    type(account).objects.filter(pk=account.pk).update(placed_at=PLACED)
    if notice:
        ValidationNotice.objects.create(account=account, sent_on=date(2026, 9, 1), addressee=f"{first} {last}")
    return account


def portfolio():
    creditor = CreditorFactory(code="ACME", name="Acme Bank")
    a = {
        "open": _account(creditor, "M2-0001", first="Pat", last="Doe", balance="1843.27"),
        "paid": _account(creditor, "M2-0002", first="José", last="Núñez", balance="0.00", status="paid"),
        "disputed": _account(creditor, "M2-0003", first="Lee", last="Park", balance="610.99", status="disputed"),
        "no_notice": _account(creditor, "M2-0004", first="Ann", last="Lowe", balance="2200.00", notice=False),
        "medical_small": _account(creditor, "M2-0005", first="Bo", last="Chen", balance="320.00",
                                  debt_type="medical", original="Mercy Hospital"),
        "recalled": _account(creditor, "M2-0006", first="Cy", last="Ode", balance="450.00", status="recalled"),
        "settled": _account(creditor, "M2-0007", first="Di", last="Fox", balance="0.00", status="settled"),
    }
    # The paid and settled accounts' last payments (payment entries lower the debt).
    for key, amount, ref in (("paid", "-900.00", "P-2"), ("settled", "-540.00", "P-7")):
        LedgerEntry.objects.create(account=a[key], creditor=creditor, kind="payment", amount=Decimal(amount),
                                   posted_date=date(2026, 10, 20), reference=ref, source="payment")
    Dispute.objects.create(account=a["disputed"], method="written_mail",
                           received_at=datetime(2026, 10, 5, tzinfo=UTC))
    # September's run furnished the paid, disputed, recalled and settled accounts as unpaid collections.
    september = Metro2Run.objects.create(creditor=creditor, as_of=date(2026, 9, 30), sha256="0" * 64, records=4)
    september.file.save("sept.txt", ContentFile(b""), save=True)
    for key in ("paid", "disputed", "recalled", "settled"):
        Metro2Record.objects.create(run=september, account=a[key], outcome="reported", account_status="93",
                                    current_balance=Decimal("900.00"), date_of_first_delinquency=date(2025, 3, 15))
    return creditor, a
