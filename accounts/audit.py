"""The audit trail's one write: ``audit_record`` (who, what, when, from where).

At the bottom layer so that every app, ``accounts`` included, audits its own reads and writes.
"""

from __future__ import annotations

from django.utils import timezone

from .models import AuditEvent


def client_meta(request) -> dict:
    """IP address and user agent of a request, for the audit log.

    REMOTE_ADDR is the peer; behind a proxy, configure it (e.g. gunicorn --forwarded-allow-ips)
    rather than trusting X-Forwarded-For from anyone.
    """
    if request is None:
        return {}
    return {"ip_address": request.META.get("REMOTE_ADDR") or None,
            "user_agent": (request.META.get("HTTP_USER_AGENT") or "")[:300]}


def audit_record(*, user, action: str, obj=None, object_type: str = "", object_id="", summary: str = "",
                 meta: dict | None = None) -> AuditEvent:
    """Append one audit event. ``obj`` (a model instance) fills type and id when given."""
    if obj is not None:
        object_type = object_type or obj._meta.label
        object_id = object_id or obj.pk
    meta = meta or {}
    return AuditEvent.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None, action=action,
        object_type=object_type[:60], object_id=str(object_id or "")[:64], summary=summary[:500],
        ip_address=meta.get("ip_address"), user_agent=meta.get("user_agent", ""), at=timezone.now())


def audit_request(request, *, action: str, object_type: str, object_id="") -> AuditEvent:
    """Audit a read made through a page or an API call: the method, path and query are the summary."""
    query = request.GET.urlencode()
    return audit_record(user=request.user, action=action, object_type=object_type, object_id=object_id,
                        summary=f"{request.method} {request.path}{'?' + query if query else ''}",
                        meta=client_meta(request))
