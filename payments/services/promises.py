"""Promises to pay: guardrails per creditor, supervisor override or approval, pick-up appointments."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.dates import record_date
from accounts.models import Account
from payments.models import PaymentMethod, Promise, PromiseStatus

from .common import account_status_sync, is_supervisor, lock_account, money, rescore_later, settings_for
from .status import promise_status_change


def promise_guardrail_breaches(*, account: Account, amount, due_date: date, today: date | None = None) -> list[str]:
    """Why a promise is outside the creditor's guardrails (empty when inside)."""
    today = today or record_date()
    rules = settings_for(account.creditor_id)
    breaches = []
    if due_date > today + timedelta(days=rules.promise_max_days):
        breaches.append(f"due date is more than {rules.promise_max_days} days away")
    floor = min(rules.promise_min_amount, account.current_balance)
    if amount < floor:
        breaches.append(f"amount is below the minimum of {floor}")
    return breaches


def promise_create(*, account: Account, amount, due_date: date, method: str, user,
                   pickup_start: datetime | None = None, pickup_end: datetime | None = None, pickup_place: str = "",
                   override_reason: str = "") -> Promise:
    """Record a promise. Outside the guardrails it waits for a supervisor, unless a supervisor makes it
    with an override reason. A pick-up appointment needs a window and a place."""
    errors = {}
    try:
        amount = money(amount, field="amount")
        if amount <= 0:
            errors["amount"] = "The promised amount must be positive."
        elif amount > account.current_balance:
            errors["amount"] = f"The promised amount is more than the balance ({account.current_balance})."
    except ValidationError as exc:
        errors.update(exc.message_dict)
    today = record_date()
    if not isinstance(due_date, date) or due_date < today:
        errors["due_date"] = "The promise date must be today or later."
    if method not in PaymentMethod.values:
        errors["method"] = f"Unknown method {method!r}; use one of {', '.join(PaymentMethod.values)}."
    if pickup_start or pickup_end or pickup_place:
        if not (pickup_start and pickup_end and pickup_place.strip()):
            errors["pickup_start"] = "A pick-up appointment needs a start, an end and a place."
        elif pickup_end <= pickup_start:
            errors["pickup_end"] = "The pick-up window must end after it starts."
    if errors:
        raise ValidationError(errors)
    breaches = promise_guardrail_breaches(account=account, amount=amount, due_date=due_date, today=today)
    status, approved_by = PromiseStatus.OPEN, None
    if breaches:
        if is_supervisor(user) and override_reason.strip():
            approved_by = user
        else:
            status = PromiseStatus.AWAITING_APPROVAL
    with transaction.atomic():
        locked = lock_account(account.pk)
        if locked.status in ("disputed", "hold", "recalled", "closed", "paid", "settled"):
            raise ValidationError(f"The account is {locked.get_status_display().lower()}: no promise can be taken.")
        promise = Promise.objects.create(
            account=locked, amount=amount, due_date=due_date, method=method, status=status,
            pickup_start=pickup_start, pickup_end=pickup_end, pickup_place=pickup_place.strip(),
            outside_guardrails=breaches, override_reason=override_reason.strip()[:255], approved_by=approved_by,
            created_by=user)
        account_status_sync(account=locked)
        rescore_later(locked.pk)
    return promise


def promise_approve(*, promise: Promise, user, note: str = "") -> Promise:
    if not is_supervisor(user):
        raise ValidationError("Only a supervisor can approve a promise outside the guardrails.")
    if promise.created_by_id == user.pk:
        raise ValidationError("The maker of a promise cannot approve it.")
    with transaction.atomic():
        account = lock_account(promise.account_id)
        promise_status_change(promise=promise, to_status=PromiseStatus.OPEN,
                              fields={"approved_by": user, "override_reason": note[:255] or promise.override_reason})
        account_status_sync(account=account)
        rescore_later(account.pk)
    return promise


def promise_reject(*, promise: Promise, user, note: str = "") -> Promise:
    if not is_supervisor(user):
        raise ValidationError("Only a supervisor can reject a promise.")
    with transaction.atomic():
        promise_status_change(promise=promise, to_status=PromiseStatus.REJECTED,
                              fields={"approved_by": user, "override_reason": note[:255]})
    return promise


def promise_cancel(*, promise: Promise, user) -> Promise:
    with transaction.atomic():
        account = lock_account(promise.account_id)
        promise_status_change(promise=promise, to_status=PromiseStatus.CANCELLED)
        account_status_sync(account=account)
        rescore_later(account.pk)
    return promise
