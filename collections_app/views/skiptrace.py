"""Skip-trace pages: the case list (open a case, vendor batch out and in) and one case (sources tried,
contact points found, location calls through the gate, located / not found / closed).
Views parse, call a service, respond."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import ADMIN, COLLECTOR, SUPERVISOR, allow_roles
from accounts.errors import form_errors_text, validation_text
from collections_app.models import SkipStatus, SkipTraceCase, SkipVendorBatch
from collections_app.skiptrace import services, vendor
from collections_app.skiptrace.forms import (
    CaseStatusForm,
    LeadForm,
    LocationCallForm,
    OpenCaseForm,
    SearchForm,
    VendorUploadForm,
)
from compliance.models import ContactAttempt, Purpose
from compliance.reason_labels import reason_labels

ROLES = (COLLECTOR, SUPERVISOR, ADMIN)
LIST_LIMIT = 200


@allow_roles(*ROLES)
def case_list(request):
    wanted = request.GET.get("status") or "live"
    cases = SkipTraceCase.objects.select_related("account__debtor", "owner")
    if wanted == "live":
        cases = cases.filter(status__in=[SkipStatus.OPEN, SkipStatus.SEARCHING, SkipStatus.NOT_FOUND])
    elif wanted in SkipStatus.values:
        cases = cases.filter(status=wanted)
    statuses = [("live", _("Live")), *SkipStatus.choices]
    return render(request, "skiptrace/list.html", {
        "cases": cases.order_by("opened_at", "id")[:LIST_LIMIT], "wanted": wanted,
        "wanted_label": dict(statuses).get(wanted, wanted), "statuses": statuses, "open_form": OpenCaseForm(),
        "batches": SkipVendorBatch.objects.order_by("-created_at")[:10], "upload_form": VendorUploadForm(),
    })


@require_POST
@allow_roles(*ROLES)
def case_open(request):
    form = OpenCaseForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect("skiptrace:list")
    case = services.skip_case_open(account=form.cleaned_data["account"], user=request.user,
                                   notes=form.cleaned_data["notes"])
    messages.success(request, _("Skip trace #%(case)s is open; the account is off the worklist until located.")
                     % {"case": case.pk})
    return redirect("skiptrace:detail", case_id=case.pk)


@allow_roles(*ROLES)
def case_detail(request, case_id: int):
    case = get_object_or_404(SkipTraceCase.objects.select_related("account__debtor", "account__creditor", "owner"),
                             pk=case_id)
    debtor = case.account.debtor
    calls = (ContactAttempt.objects.filter(account_id=case.account_id, purpose=Purpose.LOCATION)
             .order_by("-requested_at", "-id")[:50])
    return render(request, "skiptrace/detail.html", {
        "case": case, "debtor": debtor, "addresses": debtor.addresses.all(), "phones": debtor.phones.all(),
        "searches": case.searches.select_related("user"), "leads": case.leads.all(), "calls": calls,
        # four forms on one page share field names: distinct ids keep every label on its own field
        "search_form": SearchForm(auto_id="search_%s"), "lead_form": LeadForm(auto_id="lead_%s"),
        "call_form": LocationCallForm(auto_id="call_%s"), "status_form": CaseStatusForm(auto_id="status_%s"),
        "live": case.status != SkipStatus.CLOSED,
    })


def _case_post(request, case_id: int, form_class, act) -> HttpResponse:
    case = get_object_or_404(SkipTraceCase, pk=case_id)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
    else:
        try:
            messages.success(request, act(case, form.cleaned_data))
        except ValidationError as exc:
            messages.error(request, validation_text(exc))
    return redirect("skiptrace:detail", case_id=case.pk)


@require_POST
@allow_roles(*ROLES)
def case_search(request, case_id: int):
    def act(case, data):
        search = services.skip_search_record(case=case, user=request.user, **data)
        return _("%(source)s: %(result)s.") % {"source": search.get_source_display(),
                                                "result": str(search.get_result_display()).lower()}
    return _case_post(request, case_id, SearchForm, act)


@require_POST
@allow_roles(*ROLES)
def case_lead(request, case_id: int):
    def act(case, data):
        lead = services.skip_lead_add(case=case, user=request.user, **data)
        return _("Added %(kind)s %(value)s (source: %(source)s).") % {
            "kind": str(lead.get_kind_display()).lower(), "value": lead.value, "source": lead.get_source_display()}
    return _case_post(request, case_id, LeadForm, act)


@require_POST
@allow_roles(*ROLES)
def case_call(request, case_id: int):
    def act(case, data):
        attempt = services.skip_location_call(case=case, user=request.user, **data)
        if attempt.decision.get("decision") != "allow":
            raise ValidationError(_("The gate blocks this location call (logged, do not dial): %(reasons)s.")
                                  % {"reasons": reason_labels(attempt.reasons)})
        return _("Location call to %(number)s logged.") % {"number": attempt.to}
    return _case_post(request, case_id, LocationCallForm, act)


@require_POST
@allow_roles(*ROLES)
def case_status(request, case_id: int):
    actions = {"located": services.skip_case_locate, "not_found": services.skip_case_not_found,
               "closed": services.skip_case_close}

    def act(case, data):
        case = actions[data["to_status"]](case=case, user=request.user, notes=data["notes"])
        if case.status == SkipStatus.LOCATED:
            return _("Skip trace #%(case)s: %(status)s. The account is back on its queue.") % {
                "case": case.pk, "status": str(case.get_status_display()).lower()}
        return _("Skip trace #%(case)s: %(status)s.") % {"case": case.pk,
                                                        "status": str(case.get_status_display()).lower()}
    return _case_post(request, case_id, CaseStatusForm, act)


@require_POST
@allow_roles(*ROLES)
def vendor_export(request):
    try:
        batch, text = vendor.vendor_batch_create(user=request.user)
    except ValidationError as exc:
        messages.error(request, validation_text(exc))
        return redirect("skiptrace:list")
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="skip-trace-batch-{batch.pk}.csv"'
    return response


@require_POST
@allow_roles(*ROLES)
def vendor_import(request, batch_id: int):
    batch = get_object_or_404(SkipVendorBatch, pk=batch_id)
    form = VendorUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose the vendor's results file."))
        return redirect("skiptrace:list")
    try:
        result = vendor.vendor_batch_load(batch=batch, file=form.cleaned_data["file"], user=request.user)
    except ValidationError as exc:
        messages.error(request, _("File refused, nothing loaded: %(problem)s") % {"problem": validation_text(exc)})
        return redirect("skiptrace:list")
    messages.success(request, _("Batch #%(batch)s: %(rows)s rows, %(hits)s contact points added, %(errors)s rows "
                                "with problems.") % {"batch": batch.pk, "rows": result["rows"], "hits": result["hits"],
                                                     "errors": result["error_count"]})
    for error in result["errors"][:10]:
        messages.warning(request, _("Line %(line)s: %(problem)s") % {"line": error["line"],
                                                                   "problem": error["message"]})
    return redirect("skiptrace:list")
