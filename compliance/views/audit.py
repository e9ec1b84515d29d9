"""The audit log: search, and a CSV export that is itself audited."""

import csv

from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from accounts.access import ADMIN, COMPLIANCE, allow_roles
from accounts.keyset import keyset_page, other_params
from compliance import forms, selectors, services

PAGE_SIZE = 50
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value) -> str:
    """A cell a spreadsheet will not run as a formula (OWASP CSV injection): prefix a quote."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


def _search(request):
    form = forms.AuditSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    return form, selectors.audit_search(**{k: v for k, v in filters.items() if v})


@allow_roles(COMPLIANCE, ADMIN)
def audit_log(request):
    form, events = _search(request)
    query = other_params(request)
    page = keyset_page(events, field="at", after=request.GET.get("after"), before=request.GET.get("before"),
                       size=PAGE_SIZE, params=query)
    return render(request, "compliance/audit.html", {"form": form, "page": page, "query": query})


class _Echo:
    def write(self, value):
        return value


@allow_roles(COMPLIANCE, ADMIN)
def audit_export(request):
    form, events = _search(request)
    services.audit_record(user=request.user, action="export", object_type="compliance.AuditEvent",
                          summary=f"audit log CSV export {request.GET.urlencode()}"[:500],
                          meta=services.client_meta(request))
    writer = csv.writer(_Echo())
    header = ["at", "user", "action", "object_type", "object_id", "summary", "ip_address", "user_agent"]

    def rows():
        yield writer.writerow(header)
        for e in events.iterator(chunk_size=2000):
            yield writer.writerow([spreadsheet_safe(v) for v in (
                e.at.isoformat(), e.user.username if e.user else "", e.action, e.object_type, e.object_id,
                e.summary, e.ip_address or "", e.user_agent)])

    response = StreamingHttpResponse(rows(), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="audit-{timezone.now():%Y%m%d-%H%M}.csv"'
    return response
