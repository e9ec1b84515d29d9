"""Payment plans: schedule, guardrails and approval, the agreement letter through the gate."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.dates import record_date
from accounts.models import Account
from payments.models import Frequency, Installment, PaymentPlan, PlanStatus, Promise, PromiseStatus
from payments.schedule import build_schedule

from .common import account_status_sync, is_supervisor, lock_account, money, rescore_later, settings_for
from .status import installment_status_change, plan_status_change, promise_status_change


def plan_guardrail_breaches(*, account: Account, total: Decimal, schedule: list[dict]) -> list[str]:
    rules = settings_for(account.creditor_id)
    breaches = []
    parts = [row for row in schedule if row["seq"] > 0]
    if len(parts) > rules.plan_max_installments:
        breaches.append(f"more than {rules.plan_max_installments} installments")
    if parts and min(row["amount"] for row in parts) < min(rules.plan_min_installment, total):
        breaches.append(f"an installment below {rules.plan_min_installment}")
    if total < account.current_balance:
        breaches.append(f"plan total {total} is less than the balance {account.current_balance}")
    return breaches


def plan_create(*, account: Account, total, down_payment, frequency: str, start_date: date, user,
                installments: int | None = None, installment_amount=None, language: str | None = None,
                settlement=None) -> PaymentPlan:
    """Schedule a plan whose installments sum exactly to ``total``.

    Inside the creditor's guardrails (or made by a supervisor) it is active at once and its agreement
    letter goes out through the compliance gate after commit; outside them it waits for approval.
    """
    errors = {}
    try:
        total = money(total, field="total")
        if total > account.current_balance and settlement is None:
            errors["total"] = f"The plan total is more than the balance ({account.current_balance})."
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        down_payment = money(down_payment or 0, field="down_payment")
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if frequency not in Frequency.values:
        errors["frequency"] = f"Unknown frequency {frequency!r}; use one of {', '.join(Frequency.values)}."
    if not isinstance(start_date, date) or start_date < record_date():
        errors["start_date"] = "The first installment must be due today or later."
    if installments is not None and not (1 <= int(installments) <= 520):
        errors["installments"] = "Between 1 and 520 installments."
    if errors:
        raise ValidationError(errors)
    try:
        schedule = build_schedule(total=total, down_payment=down_payment, frequency=frequency, start_date=start_date,
                                  installments=installments,
                                  installment_amount=money(installment_amount, field="installment_amount")
                                  if installment_amount not in (None, "") else None)
    except ValueError as exc:
        raise ValidationError({"installments": str(exc)}) from None
    rules = settings_for(account.creditor_id)
    breaches = [] if settlement is not None else plan_guardrail_breaches(account=account, total=total,
                                                                          schedule=schedule)
    active = not breaches or is_supervisor(user)
    with transaction.atomic():
        locked = lock_account(account.pk)
        if PaymentPlan.objects.filter(account_id=locked.pk, status__in=[PlanStatus.AWAITING_APPROVAL,
                                                                        PlanStatus.ACTIVE]).exists():
            raise ValidationError("The account already has a live payment plan; cancel it first.")
        if locked.status in ("disputed", "hold", "recalled", "closed", "paid", "settled"):
            raise ValidationError(f"The account is {locked.get_status_display().lower()}: no plan can be set up.")
        plan = PaymentPlan.objects.create(
            account=locked, total=total, down_payment=down_payment, frequency=frequency,
            installment_count=sum(1 for row in schedule if row["seq"] > 0), start_date=start_date,
            grace_days=rules.plan_grace_days, default_after_misses=rules.plan_default_after_misses,
            status=PlanStatus.ACTIVE if active else PlanStatus.AWAITING_APPROVAL, outside_guardrails=breaches,
            language=language or locked.debtor.preferred_language or "en", settlement=settlement,
            approved_by=user if active and breaches else None, created_by=user)
        Installment.objects.bulk_create([Installment(plan=plan, **row) for row in schedule])
        if active:
            _activated(plan, locked)
    return plan


def _activated(plan: PaymentPlan, account: Account) -> None:
    """A live plan replaces open promises; the account goes on the plan; the agreement is mailed."""
    from payments import tasks

    for promise in Promise.objects.filter(account_id=account.pk, status=PromiseStatus.OPEN):
        promise_status_change(promise=promise, to_status=PromiseStatus.CANCELLED)
    account_status_sync(account=account)
    rescore_later(account.pk)
    transaction.on_commit(lambda: tasks.send_plan_agreement.delay(plan.pk))


def plan_approve(*, plan: PaymentPlan, user) -> PaymentPlan:
    if not is_supervisor(user):
        raise ValidationError("Only a supervisor can approve a plan outside the guardrails.")
    if plan.created_by_id == user.pk:
        raise ValidationError("The maker of a plan cannot approve it.")
    with transaction.atomic():
        account = lock_account(plan.account_id)
        plan_status_change(plan=plan, to_status=PlanStatus.ACTIVE, fields={"approved_by": user})
        _activated(plan, account)
    return plan


def plan_reject(*, plan: PaymentPlan, user) -> PaymentPlan:
    if not is_supervisor(user):
        raise ValidationError("Only a supervisor can reject a plan.")
    with transaction.atomic():
        plan_status_change(plan=plan, to_status=PlanStatus.REJECTED, fields={"approved_by": user})
        _close_installments(plan)
    return plan


def plan_cancel(*, plan: PaymentPlan, user) -> PaymentPlan:
    with transaction.atomic():
        account = lock_account(plan.account_id)
        plan_status_change(plan=plan, to_status=PlanStatus.CANCELLED, fields={"ended_on": record_date()})
        _close_installments(plan)
        account_status_sync(account=account)
        rescore_later(account.pk)
    return plan


def _close_installments(plan: PaymentPlan) -> None:
    for inst in plan.installments.filter(status__in=["scheduled", "missed"]):
        installment_status_change(installment=inst, to_status="cancelled")
