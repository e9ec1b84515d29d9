"""Demo data for retention: old paid accounts whose records are due for purge, one of them under a legal hold,
and an old import file with its error report."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts.models import Account, Address, Creditor, Debtor, Email, ImportBatch, LedgerEntry, Phone
from compliance.models import ContactAttempt, ValidationNotice
from compliance.services.holds import place_hold

PREFIX = "RET-"


def retention_demo_create(*, user=None) -> dict:
    """Idempotent: does nothing once the demo's old accounts exist."""
    creditor = Creditor.objects.filter(code="ACME").first() or Creditor.objects.get_or_create(
        code="ACME", defaults={"name": "Acme Bank, N.A."})[0]
    if Account.objects.filter(creditor=creditor, creditor_account_number__startswith=PREFIX).exists():
        return {"retention_demo_accounts": 0}
    long_ago = timezone.now() - timedelta(days=4 * 365)
    created = 0
    with transaction.atomic():
        for i, (first, last, status) in enumerate([("Edith", "Moore", "paid"), ("Frank", "Hall", "settled"),
                                                   ("Gwen", "Price", "paid"), ("Hugo", "Reed", "closed")]):
            debtor = Debtor.objects.create(first_name=first, last_name=last, ssn_last4=f"{4321 + i}")
            Address.objects.create(debtor=debtor, line1=f"{12 + i} Old Mill Rd", city="Dayton", state="OH", zip="45402")
            Phone.objects.create(debtor=debtor, number=f"+1937555{2000 + i:04d}")
            Email.objects.create(debtor=debtor, address=f"{first.lower()}.{last.lower()}@example.com")
            account = Account.objects.create(creditor=creditor, debtor=debtor,
                                             creditor_account_number=f"{PREFIX}{i + 1:04d}", status=status,
                                             current_balance=Decimal("0.00"), itemization_balance=Decimal("725.00"))
            for kind, amount, suffix in (("charge", Decimal("725.00"), "C"), ("payment", Decimal("-725.00"), "P")):
                LedgerEntry.objects.create(account=account, creditor=creditor, kind=kind, amount=amount,
                                           posted_date=long_ago.date(), reference=f"{PREFIX}{i + 1}-{suffix}",
                                           source="import" if kind == "charge" else "payment")
            ContactAttempt.objects.create(
                account=account, debtor=debtor, channel="call", to=f"+1937555{2000 + i:04d}", outcome="conversation",
                notes=f"Demo: {first} agreed to pay in full", debt_ids=[str(account.pk)],
                idempotency_key=f"retention-demo-{account.pk}", requested_at=long_ago, status="allowed",
                decision={"decision": "allow", "reasons": []}, context={"demo": True, "debtor": f"{first} {last}"})
            notice = ValidationNotice.objects.create(account=account, sent_on=long_ago.date(),
                                                     addressee=f"{first} {last}")
            notice.pdf.save(f"demo-notice-{account.pk}.pdf", ContentFile(b"%PDF-1.4 demo notice"), save=True)
            Account.objects.filter(pk=account.pk).update(placed_at=long_ago, updated_at=long_ago)
            if last == "Price":
                place_hold(account, "complaint", "Demo: CFPB complaint about the payoff letter", ref="CFPB-240101-0001",
                           user=user)
            created += 1
        batch = ImportBatch(creditor=creditor, kind="accounts", original_name="2022-placements.csv", sha256="d" * 64,
                            status="imported")
        batch.file.save("demo-2022-placements.csv", ContentFile(b"creditor_account_number,first_name\n"), save=False)
        batch.error_report.save("demo-2022-errors.csv", ContentFile(b"line,column,reason\n"), save=False)
        batch.save()
        ImportBatch.objects.filter(pk=batch.pk).update(created_at=long_ago)
    return {"retention_demo_accounts": created}
