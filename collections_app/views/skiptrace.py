"""Skip-trace pages: the case list (open a case, vendor batch out and in) and one case (sources tried,
contact points found, location calls through the gate, located / not found / closed).
Views parse, call a service, respond."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.access import ADMIN, COLLECTOR, SUPERVISOR, allow_roles
from accounts.errors import validation_text
from accounts.models import Account
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
    return render(request, "skiptrace/list.html", {
        "cases": cases.order_by("opened_at", "id")[:LIST_LIMIT], "wanted": wanted,
        "statuses": [("live", "Live"), *SkipStatus.choices], "open_form": OpenCaseForm(),
        "batches": SkipVendorBatch.objects.order_by("-created_at")[:10], "upload_form": VendorUploadForm(),
    })


@require_POST
@allow_roles(*ROLES)
def case_open(request):
    form = OpenCaseForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give the account id.")
        return redirect("skiptrace:list")
    account = Account.objects.select_related("debtor").filter(pk=form.cleaned_data["account"]).first()
    if account is None:
        messages.error(request, f"No account {form.cleaned_data['account']}.")
        return redirect("skiptrace:list")
    case = services.skip_case_open(account=account, user=request.user, notes=form.cleaned_data["notes"])
    messages.success(request, f"Skip trace #{case.pk} is open; the account is off the worklist until located.")
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
        messages.error(request, "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()))
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
        return f"{search.get_source_display()}: {search.get_result_display().lower()}."
    return _case_post(request, case_id, SearchForm, act)


@require_POST
@allow_roles(*ROLES)
def case_lead(request, case_id: int):
    def act(case, data):
        lead = services.skip_lead_add(case=case, user=request.user, **data)
        return f"Added {lead.kind} {lead.value} (source: {lead.get_source_display()})."
    return _case_post(request, case_id, LeadForm, act)


@require_POST
@allow_roles(*ROLES)
def case_call(request, case_id: int):
    def act(case, data):
        attempt = services.skip_location_call(case=case, user=request.user, **data)
        if attempt.decision.get("decision") != "allow":
            raise ValidationError("The gate blocks this location call (logged, do not dial): "
                                  + " ".join(v["message"] for v in attempt.decision.get("violations", [])))
        return f"Location call to {attempt.to} logged."
    return _case_post(request, case_id, LocationCallForm, act)


@require_POST
@allow_roles(*ROLES)
def case_status(request, case_id: int):
    actions = {"located": services.skip_case_locate, "not_found": services.skip_case_not_found,
               "closed": services.skip_case_close}

    def act(case, data):
        case = actions[data["to_status"]](case=case, user=request.user, notes=data["notes"])
        back = " The account is back on its queue." if case.status == SkipStatus.LOCATED else ""
        return f"Skip trace #{case.pk}: {case.get_status_display().lower()}.{back}"
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
        messages.error(request, "Choose the vendor's results file.")
        return redirect("skiptrace:list")
    try:
        result = vendor.vendor_batch_load(batch=batch, file=form.cleaned_data["file"], user=request.user)
    except ValidationError as exc:
        messages.error(request, f"File refused, nothing loaded: {validation_text(exc)}")
        return redirect("skiptrace:list")
    messages.success(request, f"Batch #{batch.pk}: {result['rows']} rows, {result['hits']} contact points added, "
                              f"{result['error_count']} rows with problems.")
    for error in result["errors"][:10]:
        messages.warning(request, f"Line {error['line']}: {error['message']}")
    return redirect("skiptrace:list")
