"""Credit reporting pages: runs (create, detail, file), and the paid/settled list for creditors.

Accounting and compliance (and admin) only: a Metro 2 file carries every reported consumer's identity.
"""

import io

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import ACCOUNTING, ADMIN, COMPLIANCE, allow_roles
from accounts.audit import audit_record, client_meta
from accounts.ledger_csv import safe_csv_writer
from compliance.models import Metro2Run

from . import selectors, services
from .forms import Metro2RunForm, PaidListForm

REPORTING_ROLES = (ACCOUNTING, COMPLIANCE, ADMIN)


@allow_roles(*REPORTING_ROLES)
def home(request):
    return render(request, "compliance/bureau/home.html", {
        "form": Metro2RunForm(), "runs": selectors.runs(limit=50)})


@require_POST
@allow_roles(*REPORTING_ROLES)
def run_create(request):
    form = Metro2RunForm(request.POST)
    if not form.is_valid():
        return render(request, "compliance/bureau/home.html", {"form": form, "runs": selectors.runs(limit=50)},
                      status=400)
    run = services.metro2_run_create(creditor=form.cleaned_data["creditor"], as_of=form.cleaned_data["as_of"],
                                     user=request.user, meta=client_meta(request))
    messages.success(request, _("Metro 2 file written: %(records)s base records, %(blocked)s blocked.")
                     % {"records": run.records, "blocked": run.blocked})
    return redirect("bureau:run_detail", pk=run.pk)


@allow_roles(*REPORTING_ROLES)
def run_detail(request, pk: int):
    run = get_object_or_404(Metro2Run.objects.select_related("creditor", "created_by"), pk=pk)
    return render(request, "compliance/bureau/run_detail.html", {
        "run": run, "blocked": selectors.run_items(run=run, outcome="blocked")[:500],
        "reported": selectors.run_items(run=run, outcome="reported")[:500],
        "skipped": selectors.run_items(run=run, outcome="skipped")[:500]})


@allow_roles(*REPORTING_ROLES)
def run_file(request, pk: int):
    run = get_object_or_404(Metro2Run.objects.select_related("creditor"), pk=pk)
    audit_record(user=request.user, action="export", obj=run, meta=client_meta(request),
                 summary=f"downloaded Metro 2 file {run.file.name} (sha256 {run.sha256})")
    # streamed from storage: a million-account file is ~460 MB
    return FileResponse(run.file.open("rb"), as_attachment=True, content_type="text/plain; charset=us-ascii",
                        filename=f"metro2-{run.creditor.code}-{run.as_of:%Y%m%d}.txt")


def _paid_filters(request):
    form = PaidListForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    return form, {"creditor": data.get("creditor"), "start": data.get("start"), "end": data.get("end")}


@allow_roles(*REPORTING_ROLES)
def paid_list(request):
    form, filters = _paid_filters(request)
    return render(request, "compliance/bureau/paid_list.html", {
        "form": form, "rows": selectors.paid_list_rows(**filters, limit=500),
        "query": request.GET.urlencode()})


@allow_roles(*REPORTING_ROLES)
def paid_list_csv(request):
    """The paid and settled list a creditor receives: what was paid, when, and the status sent to the bureaus."""
    _form, filters = _paid_filters(request)
    rows = selectors.paid_list_rows(**filters)
    buffer = io.StringIO(newline="")
    writer = safe_csv_writer(buffer)
    columns = ["creditor", "creditor_account_number", "debtor", "status", "date_paid", "amount_paid",
               "original_balance", "current_balance", "metro2_status", "last_reported"]
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row[c] if row[c] is not None else "" for c in columns])
    audit_record(user=request.user, action="export", object_type="compliance.PaidList", meta=client_meta(request),
                 summary=f"paid/settled list CSV {request.GET.urlencode()}: {len(rows)} rows"[:500])
    response = HttpResponse(buffer.getvalue(), content_type="text/csv")
    creditor = filters["creditor"].code if filters["creditor"] else "all"
    response["Content-Disposition"] = f'attachment; filename="paid-settled-{creditor}.csv"'
    return response
