"""Complaints (debtor, regulator, CFPB portal): logged with a deadline, held, tracked to a response.

A complaint places a legal hold (its records outlive the retention purge) until it is closed.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_record
from compliance.models import COMPLAINT_TRANSITIONS, Complaint, ComplaintSource, ComplaintStatus
from compliance.models.complaints import UNANSWERED, response_deadline
from compliance.models.holds import HoldKind, LegalHold

from .holds import place_hold, release_hold


def complaint_status_change(*, complaint: Complaint, to_status: str, fields: dict | None = None) -> Complaint:
    """The one place a complaint's status moves (COMPLAINT_TRANSITIONS)."""
    if complaint.status != to_status and to_status not in COMPLAINT_TRANSITIONS.get(complaint.status, frozenset()):
        raise ValidationError(_("A complaint cannot move from '%(status)s' to '%(to_status)s'.")
                              % {"status": complaint.status, "to_status": to_status})
    changes = {"status": to_status, **(fields or {})}
    if not Complaint.objects.filter(pk=complaint.pk, status=complaint.status).update(**changes):
        raise ValidationError(_("The complaint changed meanwhile; reload and try again."))
    for name, value in changes.items():
        setattr(complaint, name, value)
    return complaint


def complaint_record(*, account, source: str, description: str, user, received_at: datetime | None = None,
                     due_at: datetime | None = None, regulator: str = "", reference: str = "", category: str = "",
                     owner=None, meta: dict | None = None) -> Complaint:
    """Log a complaint with its response deadline (CFPB portal: 15 days) and hold the account's records."""
    problems = {}
    if source not in ComplaintSource.values:
        problems["source"] = _("Choose one of %(choices)s.") % {"choices": ', '.join(ComplaintSource.values)}
    if not (description or "").strip():
        problems["description"] = _("Say what the complaint is about.")
    received_at = received_at or timezone.now()
    if received_at > timezone.now():
        problems["received_at"] = _("A complaint cannot be received in the future.")
    if source == ComplaintSource.REGULATOR and not (regulator or "").strip():
        problems["regulator"] = _("Name the regulator.")
    if problems:
        raise ValidationError(problems)
    standard = response_deadline(source, received_at)
    if due_at is None:
        due_at = standard
    elif due_at <= received_at:
        raise ValidationError({"due_at": _("The deadline must be after the complaint was received.")})
    elif source == ComplaintSource.CFPB_PORTAL and due_at > standard:
        raise ValidationError({"due_at": _("The CFPB portal allows 15 days: respond by %(deadline)s.")
                                         % {"deadline": format(standard, "%Y-%m-%d %H:%M")}})
    with transaction.atomic():
        complaint = Complaint.objects.create(
            account=account, source=source, regulator=regulator.strip()[:120], reference=reference.strip()[:64],
            received_at=received_at, due_at=due_at, category=category.strip()[:80], description=description.strip(),
            owner=owner or user, created_by=user)
        hold = place_hold(account, HoldKind.COMPLAINT, f"complaint #{complaint.pk} ({complaint.get_source_display()})",
                          ref=f"complaint-{complaint.pk}", user=user, meta=meta)
        Complaint.objects.filter(pk=complaint.pk).update(legal_hold_id=hold.pk)
        complaint.legal_hold_id = hold.pk
        audit_record(user=user, action="create", obj=complaint, meta=meta,
                     summary=f"{complaint}: due {due_at:%Y-%m-%d}; {description.strip()[:200]}")
    return complaint


def complaint_investigate(*, complaint: Complaint, user, meta: dict | None = None) -> Complaint:
    with transaction.atomic():
        complaint_status_change(complaint=complaint, to_status=ComplaintStatus.INVESTIGATING)
        audit_record(user=user, action="update", obj=complaint, meta=meta, summary=f"{complaint}: investigating")
    return complaint


def complaint_respond(*, complaint: Complaint, response: str, user, responded_at: datetime | None = None,
                      meta: dict | None = None) -> Complaint:
    """Record the response sent; late responses stay visible as late (``responded_late``)."""
    if not (response or "").strip():
        raise ValidationError({"response": _("Write the response that was sent.")})
    responded_at = responded_at or timezone.now()
    if responded_at < complaint.received_at:
        raise ValidationError({"responded_at": _("The response cannot predate the complaint.")})
    with transaction.atomic():
        complaint_status_change(complaint=complaint, to_status=ComplaintStatus.RESPONDED,
                                fields={"response": response.strip(), "responded_at": responded_at,
                                        "responded_by": user})
        audit_record(user=user, action="update", obj=complaint, meta=meta,
                     summary=f"{complaint}: responded{' LATE' if complaint.responded_late else ''}")
    return complaint


def complaint_close(*, complaint: Complaint, user, meta: dict | None = None) -> Complaint:
    """Close a responded complaint and release its legal hold (other holds on the account stay)."""
    with transaction.atomic():
        complaint_status_change(complaint=complaint, to_status=ComplaintStatus.CLOSED,
                                fields={"closed_at": timezone.now()})
        hold = LegalHold.objects.active().filter(pk=complaint.legal_hold_id).first()
        if hold is not None:
            release_hold(hold, user=user, meta=meta)
        audit_record(user=user, action="update", obj=complaint, meta=meta, summary=f"{complaint}: closed")
    return complaint


def complaint_counts(*, now: datetime | None = None) -> dict:
    """Unanswered complaints and how many of them are past their deadline (one query)."""
    now = now or timezone.now()
    row = Complaint.objects.filter(status__in=UNANSWERED).aggregate(
        open=Count("id"), overdue=Count("id", filter=Q(due_at__lt=now)))
    return {"open": row["open"] or 0, "overdue": row["overdue"] or 0}
