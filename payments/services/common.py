"""Helpers shared by the payments services: money parsing, guardrails, account status, rescoring."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.access import ADMIN, SUPERVISOR, has_role
from accounts.models import Account, AccountStatus
from accounts.models.account import ACCOUNT_TRANSITIONS
from accounts.services import account_status_change
from payments.models import PaymentPlan, PaymentSettings, PlanStatus, Promise, PromiseStatus, Settlement

CENT = Decimal("0.01")
RESCORE_TASK = "collections_app.tasks.rescore_account"


def money(value, *, field: str) -> Decimal:
    """A positive-or-zero amount in whole cents, or a ValidationError naming the field."""
    try:
        amount = Decimal(str(value).replace("$", "").replace(",", "").strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({field: f"{value!r} is not an amount."}) from None
    if not amount.is_finite() or amount != amount.quantize(CENT):
        raise ValidationError({field: f"{value} must be in whole cents."})
    return amount.quantize(CENT)


def settings_for(creditor_id: int) -> PaymentSettings:
    found = PaymentSettings.objects.filter(creditor_id=creditor_id).first()
    return found or PaymentSettings(creditor_id=creditor_id)


def is_supervisor(user) -> bool:
    return user is not None and has_role(user, SUPERVISOR, ADMIN)


def lock_account(account_id: int) -> Account:
    """Payments, promises and plans of one account are written one at a time (row lock)."""
    return Account.objects.select_for_update().select_related("creditor", "debtor").get(pk=account_id)


def account_status_sync(*, account: Account) -> Account:
    """Move the account to the status its money and commitments say, where the table allows it.

    Paid in full when nothing is owed; settled once a settlement is paid; on a plan while one is
    active; promise while one is open; otherwise back to active collection. Disputes and holds
    (compliance's business) are left alone: those statuses only move to what their table allows.
    """
    if Settlement.objects.filter(account_id=account.pk, status="paid").exists():
        wanted = AccountStatus.SETTLED
    elif account.current_balance <= 0:
        wanted = AccountStatus.PAID
    elif PaymentPlan.objects.filter(account_id=account.pk, status=PlanStatus.ACTIVE).exists():
        wanted = AccountStatus.PLAN
    elif Promise.objects.filter(account_id=account.pk, status=PromiseStatus.OPEN).exists():
        wanted = AccountStatus.PROMISE
    else:
        wanted = AccountStatus.ACTIVE
    if wanted == account.status:
        return account
    if wanted not in ACCOUNT_TRANSITIONS.get(account.status, frozenset()):
        # e.g. PAID -> PLAN must pass through ACTIVE (a returned payment re-opens the debt first).
        if (AccountStatus.ACTIVE in ACCOUNT_TRANSITIONS.get(account.status, frozenset())
                and wanted in ACCOUNT_TRANSITIONS[AccountStatus.ACTIVE]
                and account.status in (AccountStatus.PAID, AccountStatus.SETTLED, AccountStatus.NEW)):
            account = account_status_change(account=account, to_status=AccountStatus.ACTIVE)
        else:
            return account
    return account_status_change(account=account, to_status=wanted)


def rescore_later(account_id: int) -> None:
    """Ask the worklist (collections_app) to rescore the account once this transaction commits.

    By task name: payments may not import collections_app (imports flow one way).
    """
    from celery import current_app

    transaction.on_commit(lambda: current_app.send_task(RESCORE_TASK, args=[account_id]))
