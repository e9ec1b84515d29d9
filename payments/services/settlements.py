"""Settlement offers and credit extensions, with maker-checker approval above the collector's authority."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.dates import record_date
from accounts.models import Account
from payments.models import Settlement, SettlementKind, SettlementStatus

from .common import account_status_sync, is_supervisor, lock_account, money, rescore_later
from .status import settlement_status_change

HUNDRED = Decimal("100")


def settlement_create(*, account: Account, user, kind: str = SettlementKind.SETTLEMENT, amount=None,
                      discount_pct=None, installments: int = 1, expires_on: date | None = None,
                      new_due_date: date | None = None, new_terms_days: int | None = None,
                      reason: str = "") -> Settlement:
    """Make an offer. A settlement within the creditor's authority is approved at once; above it, and
    every credit extension, waits in the supervisor's queue (the maker can never approve it)."""
    errors = {}
    balance = account.current_balance
    if kind not in SettlementKind.values:
        raise ValidationError({"kind": f"Unknown kind {kind!r}; use one of {', '.join(SettlementKind.values)}."})
    if balance <= 0:
        raise ValidationError("Nothing is owed on this account.")
    if kind == SettlementKind.SETTLEMENT:
        if amount in (None, "") and discount_pct in (None, ""):
            errors["amount"] = "Give the settlement amount or the discount percent."
        else:
            try:
                if amount not in (None, ""):
                    amount = money(amount, field="amount")
                    discount_pct = ((balance - amount) / balance * HUNDRED).quantize(Decimal("0.01"), ROUND_HALF_UP)
                else:
                    discount_pct = money(discount_pct, field="discount_pct")
                    amount = (balance * (HUNDRED - discount_pct) / HUNDRED).quantize(Decimal("0.01"), ROUND_HALF_UP)
                if not (Decimal("0") < amount < balance):
                    errors["amount"] = f"A settlement is more than 0 and less than the balance ({balance})."
            except ValidationError as exc:
                errors.update(exc.message_dict)
        if not 1 <= int(installments or 1) <= 24:
            errors["installments"] = "Lump sum (1) or up to 24 installments."
        if expires_on is None or expires_on < record_date():
            errors["expires_on"] = "An offer needs an expiry date today or later."
    else:
        if account.debt_type != "commercial":
            errors["kind"] = "Credit extensions (new due date or terms) are for commercial invoices."
        if not new_due_date and not new_terms_days:
            errors["new_due_date"] = "Give a new due date or new terms (e.g. Net 30)."
        if new_terms_days is not None and int(new_terms_days) not in (15, 30, 45, 60, 90):
            errors["new_terms_days"] = "Terms are Net 15, 30, 45, 60 or 90."
        amount, discount_pct, installments = None, None, 1
    if errors:
        raise ValidationError(errors)
    within = (kind == SettlementKind.SETTLEMENT and discount_pct <= account.creditor.settlement_authority_pct)
    with transaction.atomic():
        locked = lock_account(account.pk)
        if Settlement.objects.filter(account_id=locked.pk, status__in=[SettlementStatus.AWAITING_APPROVAL,
                                                                       SettlementStatus.APPROVED]).exists():
            raise ValidationError("The account already has an open offer; it must be decided or expire first.")
        settlement = Settlement.objects.create(
            account=locked, kind=kind, balance_at_offer=balance, amount=amount, discount_pct=discount_pct,
            installments=int(installments or 1), expires_on=expires_on, new_due_date=new_due_date,
            new_terms_days=new_terms_days, reason=reason[:255], created_by=user,
            status=SettlementStatus.AWAITING_APPROVAL)
        if within:
            _approved(settlement, locked, user=None)
    return settlement


def _approved(settlement: Settlement, account: Account, *, user) -> None:
    if settlement.kind == SettlementKind.EXTENSION:
        settlement_status_change(settlement=settlement, to_status=SettlementStatus.APPLIED,
                                 fields={"decided_by": user, "decided_at": timezone.now()})
        changes = {}
        if settlement.new_due_date:
            changes["due_date"] = settlement.new_due_date
        if settlement.new_terms_days:
            changes["terms_days"] = settlement.new_terms_days
        Account.objects.filter(pk=account.pk).update(**changes)
    else:
        settlement_status_change(settlement=settlement, to_status=SettlementStatus.APPROVED,
                                 fields={"decided_by": user, "decided_at": timezone.now() if user else None})
        if settlement.installments > 1:
            from .plans import plan_create

            transaction.on_commit(lambda: plan_create(
                account=Account.objects.get(pk=account.pk), total=settlement.amount, down_payment=0,
                frequency="monthly", start_date=record_date(),
                installments=settlement.installments, user=settlement.created_by, settlement=settlement))
    account_status_sync(account=account)
    rescore_later(account.pk)


def settlement_approve(*, settlement: Settlement, user, note: str = "") -> Settlement:
    """Maker-checker: a supervisor other than the maker approves."""
    if not is_supervisor(user):
        raise ValidationError("Only a supervisor can approve an offer above the collector's authority.")
    if settlement.created_by_id == user.pk:
        raise ValidationError("The maker of an offer cannot approve it (maker-checker).")
    with transaction.atomic():
        account = lock_account(settlement.account_id)
        settlement = Settlement.objects.select_for_update().get(pk=settlement.pk)
        if settlement.status != SettlementStatus.AWAITING_APPROVAL:
            raise ValidationError(f"The offer is {settlement.get_status_display().lower()}, not awaiting approval.")
        Settlement.objects.filter(pk=settlement.pk).update(decision_note=note[:255])
        _approved(settlement, account, user=user)
    return settlement


def settlement_reject(*, settlement: Settlement, user, note: str = "") -> Settlement:
    if not is_supervisor(user):
        raise ValidationError("Only a supervisor can reject an offer.")
    if settlement.created_by_id == user.pk:
        raise ValidationError("The maker of an offer cannot decide it (maker-checker).")
    with transaction.atomic():
        settlement_status_change(settlement=settlement, to_status=SettlementStatus.REJECTED,
                                 fields={"decided_by": user, "decided_at": timezone.now(),
                                         "decision_note": note[:255]})
    return settlement
