"""Reads for compliance screens and the workspace (each with the joins it needs)."""

from __future__ import annotations

from datetime import date, datetime, time

from django.db.models import Q, QuerySet
from django.utils import timezone

from compliance.models import RESTRICTION_MODELS, AttemptStatus, AuditEvent, ContactAttempt, Dispute, DisputeStatus

HISTORY_ROWS = 50


def contact_history(*, account, limit: int = HISTORY_ROWS) -> list[ContactAttempt]:
    return list(ContactAttempt.objects.filter(account_id=account.pk).select_related("user")
                .defer("context").order_by("-requested_at", "-id")[:limit])


def open_disputes(*, limit: int = 100) -> QuerySet[Dispute]:
    return (Dispute.objects.exclude(status=DisputeStatus.RESOLVED)
            .select_related("account", "account__debtor", "account__creditor").order_by("received_at")[:limit])


def active_restrictions(*, debtor=None, limit: int = 50) -> list[dict]:
    """Active restrictions of every kind, newest first (one query per kind)."""
    rows = []
    for kind, model in RESTRICTION_MODELS.items():
        qs = model.objects.active().select_related("debtor", "account", "created_by")
        if debtor is not None:
            qs = qs.filter(debtor=debtor)
        rows += [{"kind": kind, "label": model._meta.verbose_name, "obj": r}
                 for r in qs.order_by("-created_at")[:limit]]
    rows.sort(key=lambda r: r["obj"].created_at, reverse=True)
    return rows[:limit]


def recent_blocked_attempts(*, limit: int = 50) -> QuerySet[ContactAttempt]:
    return (ContactAttempt.objects.filter(status__in=[AttemptStatus.BLOCKED, AttemptStatus.BLOCKED_AT_SEND])
            .select_related("account", "debtor", "user").defer("context").order_by("-requested_at")[:limit])


def audit_search(*, user: str = "", action: str = "", object_type: str = "", object_id: str = "",
                 date_from: date | None = None, date_to: date | None = None) -> QuerySet[AuditEvent]:
    """Audit events filtered by username, action, object and a date range (inclusive, UTC days)."""
    qs = AuditEvent.objects.select_related("user").order_by("-at", "-id")
    if user:
        qs = qs.filter(Q(user__username__iexact=user) | Q(user__username__istartswith=user))
    if action:
        qs = qs.filter(action=action)
    if object_type:
        qs = qs.filter(object_type__icontains=object_type)
    if object_id:
        qs = qs.filter(object_id=object_id)
    tz = timezone.get_current_timezone()
    if date_from:
        qs = qs.filter(at__gte=datetime.combine(date_from, time.min, tzinfo=tz))
    if date_to:
        qs = qs.filter(at__lte=datetime.combine(date_to, time.max, tzinfo=tz))
    return qs
