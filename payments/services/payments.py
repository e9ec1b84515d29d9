"""Posting payments (idempotent, allocated by the creditor's waterfall), returns and refunds."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from accounts.dates import record_date
from accounts.models import Account, EntryKind, EntrySource, LedgerEntry
from accounts.records import english_label
from accounts.selectors import account_balance_by_kind
from accounts.services import ledger_entry_post, ledger_entry_reverse
from payments.allocation import allocate
from payments.models import (
    Installment,
    InstallmentStatus,
    Payment,
    PaymentAllocation,
    PaymentMethod,
    PaymentPlan,
    PaymentStatus,
    PlanStatus,
    Promise,
    PromiseStatus,
    Refund,
    ReturnReason,
    Settlement,
    SettlementStatus,
)

from .common import account_status_sync, lock_account, money, rescore_later, settings_for
from .status import (
    installment_status_change,
    payment_status_change,
    plan_status_change,
    promise_status_change,
    settlement_status_change,
)

ZERO = Decimal("0.00")


class IdempotencyConflict(Exception):
    """The same idempotency key came with a different request (HTTP 409)."""

    def __init__(self, payment: Payment):
        self.payment = payment
        super().__init__(f"Idempotency key {payment.idempotency_key!r} was already used for a different payment "
                         f"(#{payment.pk}: {payment.amount} {payment.method} on account {payment.account_id}).")


def _request_hash(*, account_id: int, amount: Decimal, method: str, received_at: datetime, reference: str) -> str:
    moment = received_at.astimezone(UTC).isoformat()
    return hashlib.sha256(f"{account_id}|{amount}|{method}|{moment}|{reference}".encode()).hexdigest()


def _replay(existing: Payment, request_hash: str) -> tuple[Payment, bool]:
    if existing.request_hash != request_hash:
        raise IdempotencyConflict(existing)
    return existing, False


def payment_post(*, account: Account, amount, method: str, received_at: datetime, idempotency_key: str,
                 source: str, reference: str = "", user=None) -> tuple[Payment, bool]:
    """Post a payment once per ``idempotency_key``; returns (payment, created).

    In one transaction: the payment row, one ledger entry per bucket the creditor's waterfall
    retires (plus the overpayment as a credit), the cached balance (by ``ledger_entry_post``), and
    what it satisfies (open promises, plan installments, an approved settlement, whose remainder is
    then written off). The same key with the same request returns the original and ``False``; with
    a different request raises IdempotencyConflict. Concurrent requests with one key: the unique
    constraint decides, the loser returns the winner's payment.
    """
    errors = {}
    key = (idempotency_key or "").strip()
    if not key or len(key) > 100:
        errors["idempotency_key"] = "An idempotency key of 1 to 100 characters is required."
    try:
        amount = money(amount, field="amount")
        if amount <= 0:
            errors["amount"] = "The amount must be positive."
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if method not in PaymentMethod.values:
        errors["method"] = f"Unknown method {method!r}; use one of {', '.join(PaymentMethod.values)}."
    if not isinstance(received_at, datetime) or timezone.is_naive(received_at):
        errors["received_at"] = "received_at must be a date and time with a zone."
    elif received_at > timezone.now() + timedelta(minutes=5):
        errors["received_at"] = "received_at is in the future."
    if errors:
        raise ValidationError(errors)
    reference = (reference or "").strip()[:100]
    request_hash = _request_hash(account_id=account.pk, amount=amount, method=method, received_at=received_at,
                                 reference=reference)
    existing = Payment.objects.filter(idempotency_key=key).first()
    if existing is not None:
        return _replay(existing, request_hash)
    try:
        with transaction.atomic():
            locked = lock_account(account.pk)
            existing = Payment.objects.filter(idempotency_key=key).first()  # a same-account twin got here first
            if existing is not None:
                return _replay(existing, request_hash)
            payment = Payment.objects.create(
                account=locked, creditor_id=locked.creditor_id, amount=amount, method=method,
                received_at=received_at, idempotency_key=key, request_hash=request_hash, reference=reference,
                source=source, created_by=user)
            _allocate_and_post(payment=payment, account=locked, user=user)
            payment.satisfied = _satisfy(payment=payment, account=locked)
            payment.save(update_fields=["satisfied", "credit_amount"])
            Account.objects.filter(pk=locked.pk).update(last_payment_date=record_date(received_at))
            account_status_sync(account=locked)
            rescore_later(locked.pk)
    except IntegrityError:
        # Another process committed the same key between our check and our insert.
        existing = Payment.objects.filter(idempotency_key=key).first()
        if existing is None:
            raise
        return _replay(existing, request_hash)
    account.current_balance, account.status = locked.current_balance, locked.status
    return payment, True


def _allocate_and_post(*, payment: Payment, account: Account, user) -> None:
    balances = account_balance_by_kind(account=account)
    posted_on = record_date(payment.received_at)
    for bucket, part in allocate(payment.amount, balances, account.creditor.allocation_order):
        entry, _ = ledger_entry_post(
            account=account, kind=EntryKind.PAYMENT, amount=-part, posted_date=posted_on, source=EntrySource.PAYMENT,
            reference=f"PAY-{payment.pk}-{bucket}", created_by=user,
            memo=f"Payment #{payment.pk} ({english_label(payment, 'method')}) to {bucket}")
        PaymentAllocation.objects.create(payment=payment, bucket=bucket, amount=part, ledger_entry_id=entry.pk)
        if bucket == "credit":
            payment.credit_amount = part


def _satisfy(*, payment: Payment, account: Account) -> dict:
    """Apply the payment to what the debtor committed to; return what it satisfied (for a return)."""
    satisfied = {"promises": [], "installments": [], "settlement": None, "write_off_entry": None,
                 "plans_completed": []}
    left = payment.amount
    for promise in Promise.objects.filter(account_id=account.pk, status=PromiseStatus.OPEN).order_by("due_date", "id"):
        take = min(left, promise.amount - promise.amount_paid)
        if take <= 0:
            continue
        paid = promise.amount_paid + take
        if paid >= promise.amount:
            promise_status_change(promise=promise, to_status=PromiseStatus.KEPT,
                                  fields={"amount_paid": paid, "judged_on": record_date()})
        else:
            Promise.objects.filter(pk=promise.pk).update(amount_paid=paid)
        satisfied["promises"].append([promise.pk, str(take)])
        left -= take
        if left <= 0:
            break
    left = payment.amount  # a payment toward a plan also counts toward a promise made alongside it
    for plan in PaymentPlan.objects.filter(account_id=account.pk, status=PlanStatus.ACTIVE):
        for inst in plan.installments.filter(status__in=[InstallmentStatus.SCHEDULED, InstallmentStatus.MISSED]) \
                .order_by("seq"):
            take = min(left, inst.amount - inst.amount_paid)
            if take <= 0:
                continue
            paid = inst.amount_paid + take
            if paid >= inst.amount:
                installment_status_change(installment=inst, to_status=InstallmentStatus.PAID,
                                          fields={"amount_paid": paid, "paid_on": record_date()})
            else:
                Installment.objects.filter(pk=inst.pk).update(amount_paid=paid)
            satisfied["installments"].append([inst.pk, str(take), inst.status if paid < inst.amount else "paid"])
            left -= take
            if left <= 0:
                break
        if not plan.installments.exclude(status__in=[InstallmentStatus.PAID, InstallmentStatus.CANCELLED]).exists():
            plan_status_change(plan=plan, to_status=PlanStatus.COMPLETED, fields={"ended_on": record_date()})
            satisfied["plans_completed"].append(plan.pk)
    settlement = (Settlement.objects.filter(account_id=account.pk, kind="settlement",
                                            status=SettlementStatus.APPROVED).order_by("id").first())
    if settlement is not None:
        paid = settlement.amount_paid + payment.amount
        fields = {"amount_paid": paid}
        satisfied["settlement"] = [settlement.pk, str(payment.amount)]
        account.refresh_from_db(fields=["current_balance"])
        if paid >= settlement.amount:
            remainder = account.current_balance
            if remainder > 0:
                entry, _ = ledger_entry_post(
                    account=account, kind=EntryKind.WRITE_OFF, amount=-remainder,
                    posted_date=record_date(), source=EntrySource.PAYMENT,
                    reference=f"SETTLE-{settlement.pk}-{payment.pk}",
                    memo=f"Settlement #{settlement.pk} paid: remainder written off")
                fields["write_off_entry_id"] = entry.pk
                satisfied["write_off_entry"] = entry.pk
            settlement_status_change(settlement=settlement, to_status=SettlementStatus.PAID, fields=fields)
        else:
            Settlement.objects.filter(pk=settlement.pk).update(**fields)
    return satisfied


def payment_return(*, payment: Payment, reason: str, user=None) -> Payment:
    """A returned payment (NSF, chargeback, reversal): reversal entries, and re-open what it satisfied."""
    if reason not in ReturnReason.values:
        raise ValidationError({"reason": f"Unknown return reason {reason!r}; "
                                         f"use one of {', '.join(ReturnReason.values)}."})
    with transaction.atomic():
        account = lock_account(payment.account_id)
        payment = Payment.objects.select_for_update().get(pk=payment.pk)
        if payment.status == PaymentStatus.RETURNED:
            return payment  # returning twice changes nothing
        with translation.override("en"):  # the ledger's memos are records: one language
            label = str(ReturnReason(reason).label)
        entry_ids = [a.ledger_entry_id for a in payment.allocations.all()]
        satisfied = payment.satisfied or {}
        if satisfied.get("write_off_entry"):
            entry_ids.append(satisfied["write_off_entry"])
        for entry in LedgerEntry.objects.filter(pk__in=entry_ids).select_related("account"):
            ledger_entry_reverse(entry=entry, reason=f"Payment #{payment.pk} returned: {label}", created_by=user)
        _reopen(satisfied, account=account)
        payment_status_change(payment=payment, to_status=PaymentStatus.RETURNED,
                              fields={"return_reason": reason, "returned_at": timezone.now(), "returned_by": user})
        account.refresh_from_db(fields=["current_balance", "status"])
        account_status_sync(account=account)
        rescore_later(account.pk)
    return payment


def _reopen(satisfied: dict, *, account: Account) -> None:
    today = record_date()
    for promise_id, take in satisfied.get("promises", []):
        promise = Promise.objects.get(pk=promise_id)
        paid = max(promise.amount_paid - Decimal(take), ZERO)
        if promise.status in (PromiseStatus.KEPT, PromiseStatus.PARTIAL):
            # Open again: the night judges it anew (broken if its date has passed with nothing kept).
            promise_status_change(promise=promise, to_status=PromiseStatus.OPEN,
                                  fields={"amount_paid": paid, "judged_on": None})
        else:
            Promise.objects.filter(pk=promise_id).update(amount_paid=paid)
    for plan_id in satisfied.get("plans_completed", []):
        plan = PaymentPlan.objects.get(pk=plan_id)
        if plan.status == PlanStatus.COMPLETED:
            plan_status_change(plan=plan, to_status=PlanStatus.ACTIVE, fields={"ended_on": None})
    for inst_id, take, *_ in satisfied.get("installments", []):
        inst = Installment.objects.select_related("plan").get(pk=inst_id)
        paid = max(inst.amount_paid - Decimal(take), ZERO)
        if inst.status == InstallmentStatus.PAID:
            late = inst.due_date + timedelta(days=inst.plan.grace_days) < today
            installment_status_change(installment=inst,
                                      to_status=InstallmentStatus.MISSED if late else InstallmentStatus.SCHEDULED,
                                      fields={"amount_paid": paid, "paid_on": None})
        else:
            Installment.objects.filter(pk=inst_id).update(amount_paid=paid)
    if satisfied.get("settlement"):
        settlement_id, take = satisfied["settlement"]
        settlement = Settlement.objects.get(pk=settlement_id)
        paid = max(settlement.amount_paid - Decimal(take), ZERO)
        if settlement.status == SettlementStatus.PAID:
            settlement_status_change(settlement=settlement, to_status=SettlementStatus.APPROVED,
                                     fields={"amount_paid": paid, "write_off_entry_id": None})
        else:
            Settlement.objects.filter(pk=settlement_id).update(amount_paid=paid)


def credit_refund(*, account: Account, amount, method: str, idempotency_key: str, user=None) -> Refund:
    """Refund (part of) a credit balance: an adjustment entry bringing the balance up toward zero."""
    amount = money(amount, field="amount")
    if amount <= 0:
        raise ValidationError({"amount": "The refund must be positive."})
    if method not in PaymentMethod.values:
        raise ValidationError({"method": f"Unknown method {method!r}."})
    with transaction.atomic():
        locked = lock_account(account.pk)
        existing = Refund.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
        credit = -locked.current_balance
        if amount > credit:
            raise ValidationError({"amount": f"The account's credit balance is {max(credit, ZERO)}; "
                                             f"a refund of {amount} would exceed it."})
        with translation.override("en"):  # the ledger's memos are records: one language
            method_label = str(PaymentMethod(method).label)
        entry, _ = ledger_entry_post(account=locked, kind=EntryKind.ADJUSTMENT, amount=amount,
                                     posted_date=record_date(), source=EntrySource.USER,
                                     reference=f"REFUND-{idempotency_key}"[:100], created_by=user,
                                     memo=f"Refund of credit balance ({method_label})")
        refund = Refund.objects.create(account=locked, amount=amount, method=method, ledger_entry_id=entry.pk,
                                       idempotency_key=idempotency_key, created_by=user)
    account.current_balance = locked.current_balance
    return refund


__all__ = ["IdempotencyConflict", "credit_refund", "payment_post", "payment_return", "settings_for"]
