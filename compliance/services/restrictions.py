"""Adding and ending restrictions (cease, attorney, bankruptcy, deceased, SCRA, DNC, times, places, opt-outs)."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_record
from accounts.models import Account
from compliance.models import RESTRICTION_MODELS

# The worklist rescores (and re-asks the gate about) an account when a restriction on it changes.
# By task name: compliance may not import collections_app (imports flow one way).
RESCORE_TASK = "collections_app.tasks.rescore_account"


def worklist_refresh_later(*, debtor_id: int, account_id: int | None = None) -> None:
    """Something the gate reads changed (a restriction, dispute or consent): once this transaction
    commits, the worklist rescores the account (or every account of the debtor) and forgets the lawful
    time the gate last stored for it, so the next pop asks the gate afresh."""
    from celery import current_app

    if account_id:
        ids = [account_id]
    else:
        ids = list(Account.objects.filter(debtor_id=debtor_id).values_list("pk", flat=True)[:100])
    transaction.on_commit(lambda: [current_app.send_task(RESCORE_TASK, args=[i]) for i in ids])


def _rescore_later(restriction) -> None:
    worklist_refresh_later(debtor_id=restriction.debtor_id, account_id=restriction.account_id)


# Restrictions that also keep the account's records from the purge while in force (a legal hold each).
HELD_KINDS = {"fraud_claim": "fraud"}


def _hold_ref(restriction) -> str:
    return f"{restriction._meta.model_name}-{restriction.pk}"


def _holds_place(restriction, kind: str, *, user, meta) -> None:
    from .holds import place_hold

    accounts = ([restriction.account] if restriction.account_id
                else Account.objects.filter(debtor_id=restriction.debtor_id).order_by("pk"))
    for account in accounts:
        place_hold(account, HELD_KINDS[kind], f"{restriction._meta.verbose_name}: {restriction}",
                   ref=_hold_ref(restriction), user=user, meta=meta)


def _holds_release(restriction, *, user, meta) -> None:
    from compliance.models.holds import LegalHold

    from .holds import release_hold

    for hold in LegalHold.objects.active().filter(ref=_hold_ref(restriction)):
        release_hold(hold, user=user, meta=meta)


def restriction_create(*, kind: str, debtor, account=None, user, fields: dict, notes: str = "",
                       meta: dict | None = None):
    """Record a restriction on the debtor (``account=None``) or on one of their accounts."""
    model = RESTRICTION_MODELS.get(kind)
    if model is None:
        raise ValidationError(_("Unknown restriction %(kind)s.") % {"kind": repr(kind)})
    if account is not None and account.debtor_id != debtor.pk:
        raise ValidationError(_("The account belongs to another debtor."))
    with transaction.atomic():
        restriction = model(debtor=debtor, account=account, notes=notes, created_by=user, **fields)
        restriction.full_clean()
        restriction.save()
        audit_record(user=user, action="create", obj=restriction, meta=meta,
                     summary=f"{model._meta.verbose_name} on debtor {debtor.pk}"
                             + (f" account {account.pk}" if account else "") + f": {restriction}")
        if kind in HELD_KINDS:
            _holds_place(restriction, kind, user=user, meta=meta)
        _rescore_later(restriction)
    return restriction


def restriction_end(*, restriction, user, reason: str, ended_at: datetime | None = None, meta: dict | None = None):
    """End a restriction; it stays on file with who ended it, when and why."""
    if restriction.ended_at is not None:
        raise ValidationError(_("This restriction has already ended."))
    if not reason.strip():
        raise ValidationError(_("Say why the restriction ends."))
    with transaction.atomic():
        restriction.ended_at = ended_at or timezone.now()
        restriction.ended_by = user
        restriction.end_reason = reason[:200]
        restriction.save(update_fields=["ended_at", "ended_by", "end_reason"])
        audit_record(user=user, action="update", obj=restriction, meta=meta,
                     summary=f"ended {restriction._meta.verbose_name}: {reason}"[:500])
        _holds_release(restriction, user=user, meta=meta)
        _rescore_later(restriction)
    return restriction
