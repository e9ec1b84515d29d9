"""Disputes (open -> verification_sent -> resolved) and original-creditor requests."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_record
from accounts.models import AccountStatus
from accounts.records import english_label
from accounts.services import account_status_change
from compliance.models import DISPUTE_TRANSITIONS, Dispute, DisputeStatus, OriginalCreditorRequest

from .restrictions import worklist_refresh_later


def dispute_record(*, account, method: str, received_at: datetime, user, scope: str = Dispute.Scope.ENTIRE,
                   postmarked_on=None, description: str = "", meta: dict | None = None) -> Dispute:
    """Record a dispute; the account goes on the "disputed" status so collection halts while it is open."""
    with transaction.atomic():
        dispute = Dispute(account=account, method=method, received_at=received_at, scope=scope,
                          postmarked_on=postmarked_on, description=description, created_by=user)
        dispute.full_clean()
        dispute.save()
        if account.status != AccountStatus.DISPUTED and AccountStatus.DISPUTED in _next(account.status):
            account_status_change(account=account, to_status=AccountStatus.DISPUTED)
        audit_record(user=user, action="create", obj=dispute, meta=meta,
                     summary=f"{english_label(dispute, 'method')} dispute on account {account.pk}")
        worklist_refresh_later(debtor_id=account.debtor_id, account_id=account.pk)
    return dispute


def disputes_open_from_import(*, batch, user=None) -> int:
    """Open a dispute for every account of the batch's creditor that the creditor's file flagged as
    disputed and that has none from that flag yet. Called inside the import's transaction (see
    settings.LEDGER_IMPORT_AFTER); safe to run again (a flagged account gets one such dispute)."""
    from accounts.models import Account

    already = Dispute.objects.filter(method=Dispute.Method.CREDITOR).values("account_id")
    flagged = (Account.objects.filter(creditor_id=batch.creditor_id, placed_disputed=True)
               .exclude(id__in=already).order_by("id"))
    opened = 0
    received_at = batch.finished_at or timezone.now()
    for account in flagged:
        dispute_record(account=account, method=Dispute.Method.CREDITOR, received_at=received_at,
                       user=user or batch.uploaded_by,
                       description=f"Flagged disputed by the creditor in import #{batch.pk} ({batch.original_name}).",
                       meta={"import_batch": batch.pk})
        opened += 1
    return opened


def _next(status: str) -> frozenset[str]:
    from accounts.models.account import ACCOUNT_TRANSITIONS
    return ACCOUNT_TRANSITIONS.get(status, frozenset())


def dispute_status_change(*, dispute: Dispute, to_status: str, user, at: datetime | None = None,
                          resolution: str = "", meta: dict | None = None) -> Dispute:
    """The one place a dispute's status moves, by DISPUTE_TRANSITIONS."""
    if to_status not in DISPUTE_TRANSITIONS.get(dispute.status, frozenset()):
        raise ValidationError(_("A dispute cannot move from %(status)s to %(to_status)s.")
                              % {"status": repr(dispute.status), "to_status": repr(to_status)})
    at = at or timezone.now()
    with transaction.atomic():
        fields = {"status": to_status}
        if to_status == DisputeStatus.VERIFICATION_SENT:
            fields["verification_sent_at"] = at
        if to_status == DisputeStatus.RESOLVED:
            fields.update(resolved_at=at, resolution=resolution)
        updated = Dispute.objects.filter(pk=dispute.pk, status=dispute.status).update(**fields)
        if not updated:
            raise ValidationError(_("The dispute changed meanwhile; reload and try again."))
        for name, value in fields.items():
            setattr(dispute, name, value)
        account = dispute.account
        still_open = Dispute.objects.filter(account=account).exclude(status=DisputeStatus.RESOLVED).exists()
        if to_status == DisputeStatus.RESOLVED and not still_open and account.status == AccountStatus.DISPUTED:
            account_status_change(account=account, to_status=AccountStatus.ACTIVE)
        audit_record(user=user, action="update", obj=dispute, meta=meta,
                     summary=f"dispute -> {to_status}" + (f": {resolution}" if resolution else ""))
        worklist_refresh_later(debtor_id=account.debtor_id, account_id=account.pk)
    return dispute


def original_creditor_request_record(*, account, received_at: datetime, user, method: str = "written_mail",
                                     notes: str = "", meta: dict | None = None) -> OriginalCreditorRequest:
    with transaction.atomic():
        request = OriginalCreditorRequest.objects.create(account=account, received_at=received_at, method=method,
                                                         notes=notes, created_by=user)
        audit_record(user=user, action="create", obj=request, meta=meta,
                     summary=f"original-creditor request on account {account.pk}")
    return request


def original_creditor_request_provide(*, request: OriginalCreditorRequest, user, provided_at: datetime | None = None,
                                      meta: dict | None = None) -> OriginalCreditorRequest:
    if request.provided_at:
        raise ValidationError(_("The original creditor's name and address were already provided."))
    with transaction.atomic():
        request.provided_at = provided_at or timezone.now()
        request.save(update_fields=["provided_at"])
        audit_record(user=user, action="update", obj=request, meta=meta, summary="original creditor provided")
    return request
