"""Escalations: create, move, resolve; legal referrals (suit stage, legal hold); fraud (a compliance fraud
claim: the gate holds every channel incl. credit reporting); billing-discrepancy research ending in a
ledger adjustment a supervisor approves (maker-checker, as settlements above authority).

While an escalation is open the account is off the worklist (collections_app.worklist.holds).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import ADMIN, COLLECTOR, SUPERVISOR, has_role
from accounts.audit import audit_record
from accounts.models import Account, EntryKind, EntrySource
from accounts.services import ledger_entry_post
from collections_app.models.escalations import (
    ESCALATION_TRANSITIONS,
    SUIT_STAGES,
    AdjustmentStatus,
    Escalation,
    EscalationKind,
    EscalationStatus,
    SuitStage,
)
from collections_app.worklist.holds import work_item_hold_refresh
from compliance.models.holds import HoldKind, LegalHold
from compliance.services.fraud import fraud_claim_record
from compliance.services.holds import place_hold, release_hold
from payments.services.common import account_status_sync, lock_account

CENT = Decimal("0.01")
# the largest adjustment billing research may post (a bigger correction is a re-placement by the creditor)
ADJUSTMENT_LIMIT = Decimal("100000.00")


def _user(user):
    return user if getattr(user, "is_authenticated", False) else None


def escalation_status_change(*, escalation: Escalation, to_status: str, fields: dict | None = None) -> Escalation:
    """The one place an escalation's status moves (ESCALATION_TRANSITIONS)."""
    if escalation.status != to_status and to_status not in ESCALATION_TRANSITIONS.get(escalation.status,
                                                                                     frozenset()):
        raise ValidationError(_("An escalation cannot move from '%(status)s' to '%(to_status)s'.")
                              % {"status": escalation.status, "to_status": to_status})
    changes = {"status": to_status, **(fields or {})}
    if not Escalation.objects.filter(pk=escalation.pk, status=escalation.status).update(**changes):
        raise ValidationError(_("The escalation changed meanwhile; reload and try again."))
    for name, value in changes.items():
        setattr(escalation, name, value)
    return escalation


def _suit_hold(escalation: Escalation, *, user) -> None:
    """A suit on file holds the account's records; a dismissed or settled suit releases that hold."""
    ref = f"escalation-{escalation.pk}"
    held = LegalHold.objects.active().filter(account_id=escalation.account_id, ref=ref)
    if escalation.suit_stage in SUIT_STAGES and escalation.is_open:
        if not held.exists():
            place_hold(escalation.account, HoldKind.SUIT,
                       f"suit ({escalation.get_suit_stage_display()}) by {escalation.attorney_name or 'counsel'}"
                       + (f", case {escalation.court_case_number}" if escalation.court_case_number else ""),
                       ref=ref, user=user)
    elif escalation.suit_stage in (SuitStage.DISMISSED, SuitStage.SETTLED):
        for hold in held:
            release_hold(hold, user=user)


def escalation_create(*, account: Account, kind: str, reason: str, owner, due_on: date, user,
                      attorney_name: str = "", attorney_firm: str = "", suit_stage: str = "",
                      court_case_number: str = "", disputed_amount=None, fraud_kind: str = "identity_theft",
                      identity_theft_report: bool = False) -> Escalation:
    """Escalate ``account``: every problem is reported at once."""
    problems = {}
    if kind not in EscalationKind.values:
        problems["kind"] = _("Choose one of %(choices)s.") % {"choices": ', '.join(EscalationKind.values)}
    if not (reason or "").strip():
        problems["reason"] = _("Say why the account is escalated.")
    if owner is None or not has_role(owner, COLLECTOR, SUPERVISOR, ADMIN):
        problems["owner"] = _("The owner must be a collector or a supervisor.")
    if not isinstance(due_on, date) or due_on < timezone.localdate():
        problems["due_on"] = _("The due date must be today or later.")
    if kind == EscalationKind.LEGAL:
        if not attorney_name.strip():
            problems["attorney_name"] = _("A legal referral names the attorney.")
        if suit_stage and suit_stage not in SuitStage.values:
            problems["suit_stage"] = _("Choose one of %(choices)s.") % {"choices": ', '.join(SuitStage.values)}
    if kind == EscalationKind.BILLING and disputed_amount not in (None, ""):
        try:
            disputed_amount = Decimal(str(disputed_amount)).quantize(CENT)
        except InvalidOperation:
            problems["disputed_amount"] = _("Not an amount.")
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        escalation = Escalation.objects.create(
            account=account, kind=kind, reason=reason.strip(), owner=owner, due_on=due_on, created_by=user,
            attorney_name=attorney_name.strip()[:200], attorney_firm=attorney_firm.strip()[:200],
            suit_stage=(suit_stage or (SuitStage.REFERRED if kind == EscalationKind.LEGAL else "")),
            court_case_number=court_case_number.strip()[:60],
            disputed_amount=disputed_amount if kind == EscalationKind.BILLING and disputed_amount not in (None, "")
            else None)
        if kind == EscalationKind.FRAUD:
            claim = fraud_claim_record(account=account, user=user, kind=fraud_kind,
                                       identity_theft_report=identity_theft_report,
                                       statement=f"escalation #{escalation.pk}: {reason.strip()}"[:2000])
            Escalation.objects.filter(pk=escalation.pk).update(fraud_claim_id=claim.pk)
            escalation.fraud_claim_id = claim.pk
        if kind == EscalationKind.LEGAL:
            _suit_hold(escalation, user=user)
        audit_record(user=user, action="create", obj=escalation,
                     summary=f"{escalation}: to {owner.username} by {due_on}: {reason.strip()[:200]}")
        work_item_hold_refresh(account_id=account.pk)
    return escalation


def escalation_update(*, escalation: Escalation, user, owner=None, due_on: date | None = None,
                      status: str | None = None, suit_stage: str | None = None, attorney_name: str | None = None,
                      attorney_firm: str | None = None, court_case_number: str | None = None) -> Escalation:
    """Reassign, re-date, start work, or move a legal referral's suit stage (a suit places a legal hold)."""
    with transaction.atomic():
        escalation = Escalation.objects.select_for_update().select_related("account").get(pk=escalation.pk)
        if not escalation.is_open:
            raise ValidationError(_("The escalation is %(status)s.")
                                  % {"status": escalation.get_status_display().lower()})
        fields = {}
        if owner is not None:
            if not has_role(owner, COLLECTOR, SUPERVISOR, ADMIN):
                raise ValidationError({"owner": _("The owner must be a collector or a supervisor.")})
            fields["owner"] = owner
        if due_on is not None:
            fields["due_on"] = due_on
        if escalation.kind == EscalationKind.LEGAL:
            if suit_stage:
                if suit_stage not in SuitStage.values:
                    raise ValidationError({"suit_stage": _("Choose one of %(choices)s.")
                                                         % {"choices": ', '.join(SuitStage.values)}})
                fields["suit_stage"] = suit_stage
            for name, value in (("attorney_name", attorney_name), ("attorney_firm", attorney_firm),
                                ("court_case_number", court_case_number)):
                if value is not None:
                    fields[name] = value.strip()[:200]
        elif suit_stage:
            raise ValidationError({"suit_stage": _("Only a legal referral has a suit stage.")})
        if fields:
            Escalation.objects.filter(pk=escalation.pk).update(**fields)
            for name, value in fields.items():
                setattr(escalation, name, value)
        if status and status != escalation.status:
            if status == EscalationStatus.RESOLVED:
                raise ValidationError({"status": _("Resolve with a resolution (escalation_resolve).")})
            escalation_status_change(escalation=escalation, to_status=status)
        if escalation.kind == EscalationKind.LEGAL:
            _suit_hold(escalation, user=user)
        audit_record(user=user, action="update", obj=escalation,
                     summary=f"{escalation}: " + ", ".join(f"{k}={getattr(v, 'username', v)}" for k, v in
                                                          {**fields, **({"status": status} if status else {})}.items()))
        work_item_hold_refresh(account_id=escalation.account_id)
    return escalation


def escalation_resolve(*, escalation: Escalation, user, resolution: str, cancel: bool = False) -> Escalation:
    """Resolve (or cancel) with what was done; the account returns to its queue if nothing else holds it.

    A fraud escalation's claim stays until compliance ends it (the gate keeps holding the account).
    """
    if not (resolution or "").strip():
        raise ValidationError({"resolution": _("Say how the escalation was resolved.")})
    with transaction.atomic():
        escalation = Escalation.objects.select_for_update().get(pk=escalation.pk)
        if escalation.adjustment_status == AdjustmentStatus.AWAITING:
            raise ValidationError(_("An adjustment awaits approval: a supervisor decides it first."))
        escalation_status_change(escalation=escalation, to_status=EscalationStatus.CANCELLED if cancel
                                 else EscalationStatus.RESOLVED,
                                 fields={"resolved_at": timezone.now(), "resolution": resolution.strip()})
        audit_record(user=user, action="update", obj=escalation,
                     summary=f"{escalation}: {escalation.status}: {resolution.strip()[:300]}")
        work_item_hold_refresh(account_id=escalation.account_id)
    return escalation


def discrepancy_adjustment_propose(*, escalation: Escalation, amount, memo: str, user) -> Escalation:
    """Billing research found an error: propose a signed adjustment (negative lowers the debt)."""
    try:
        amount = Decimal(str(amount).replace("$", "").replace(",", "").strip())
    except InvalidOperation:
        raise ValidationError({"amount": _("%(amount)s is not an amount.") % {"amount": repr(amount)}}) from None
    if not amount.is_finite() or amount != amount.quantize(CENT) or amount == 0 or abs(amount) > ADJUSTMENT_LIMIT:
        raise ValidationError({"amount": _("A non-zero amount in whole cents, at most %(limit)s either way.")
                                         % {"limit": ADJUSTMENT_LIMIT}})
    if not (memo or "").strip():
        raise ValidationError({"memo": _("Say what the adjustment corrects.")})
    with transaction.atomic():
        escalation = Escalation.objects.select_for_update().get(pk=escalation.pk)
        if escalation.kind != EscalationKind.BILLING:
            raise ValidationError(_("Only billing-discrepancy research ends in an adjustment."))
        if not escalation.is_open:
            raise ValidationError(_("The escalation is %(status)s.")
                                  % {"status": escalation.get_status_display().lower()})
        if escalation.adjustment_status in (AdjustmentStatus.AWAITING, AdjustmentStatus.POSTED):
            raise ValidationError(_("An adjustment is already %(status)s.")
                                  % {"status": escalation.get_adjustment_status_display().lower()})
        fields = {"adjustment_amount": amount, "adjustment_memo": memo.strip()[:200],
                  "adjustment_status": AdjustmentStatus.AWAITING, "adjustment_proposed_by": user,
                  "adjustment_decided_by": None}
        if escalation.status == EscalationStatus.OPEN:
            escalation_status_change(escalation=escalation, to_status=EscalationStatus.IN_PROGRESS, fields=fields)
        else:
            Escalation.objects.filter(pk=escalation.pk).update(**fields)
            for name, value in fields.items():
                setattr(escalation, name, value)
        audit_record(user=user, action="update", obj=escalation,
                     summary=f"{escalation}: adjustment {amount} proposed: {memo.strip()[:200]}")
    return escalation


def discrepancy_adjustment_decide(*, escalation: Escalation, user, approve: bool, note: str = "") -> Escalation:
    """Maker-checker: a supervisor other than the proposer approves (the entry is posted) or rejects."""
    if not has_role(user, SUPERVISOR, ADMIN):
        raise ValidationError(_("Only a supervisor can decide an adjustment."))
    with transaction.atomic():
        escalation = Escalation.objects.select_for_update().get(pk=escalation.pk)
        if escalation.adjustment_status != AdjustmentStatus.AWAITING:
            raise ValidationError(_("No adjustment awaits approval on this escalation."))
        if escalation.adjustment_proposed_by_id == user.pk:
            raise ValidationError(_("The proposer of an adjustment cannot approve it (maker-checker)."))
        if not approve:
            Escalation.objects.filter(pk=escalation.pk).update(adjustment_status=AdjustmentStatus.REJECTED,
                                                               adjustment_decided_by=user)
            escalation.adjustment_status, escalation.adjustment_decided_by = AdjustmentStatus.REJECTED, user
            audit_record(user=user, action="update", obj=escalation,
                         summary=f"{escalation}: adjustment rejected: {note[:200]}")
            return escalation
        account = lock_account(escalation.account_id)
        entry, _created = ledger_entry_post(
            account=account, kind=EntryKind.ADJUSTMENT, amount=escalation.adjustment_amount,
            posted_date=timezone.localdate(), source=EntrySource.USER, reference=f"DISC-{escalation.pk}",
            memo=f"Billing correction (escalation #{escalation.pk}): {escalation.adjustment_memo}"[:255],
            created_by=user)
        Escalation.objects.filter(pk=escalation.pk).update(adjustment_status=AdjustmentStatus.POSTED,
                                                           adjustment_decided_by=user, adjustment_entry_id=entry.pk)
        escalation.adjustment_status, escalation.adjustment_decided_by = AdjustmentStatus.POSTED, user
        escalation.adjustment_entry_id = entry.pk
        account_status_sync(account=account)
        audit_record(user=user, action="update", obj=escalation,
                     summary=f"{escalation}: adjustment {escalation.adjustment_amount} approved, ledger entry "
                             f"#{entry.pk}" + (f": {note[:200]}" if note else ""))
    return escalation
