"""Complaints (compliance, admin): log one with its deadline, move it to a response, close it."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from accounts.access import ADMIN, COMPLIANCE, allow_roles
from accounts.errors import validation_text
from compliance import services
from compliance.forms import AccountField, LocalTimesMixin
from compliance.models import Complaint, ComplaintSource

ROLES = (COMPLIANCE, ADMIN)
LIST_LIMIT = 200


class ComplaintForm(LocalTimesMixin, forms.Form):
    account = AccountField()
    source = forms.ChoiceField(choices=ComplaintSource.choices, label=_lazy("Source"))
    regulator = forms.CharField(max_length=120, required=False, label=_lazy("Regulator (regulator complaints)"))
    reference = forms.CharField(max_length=64, required=False, label=_lazy("Portal or regulator case number"))
    received_at = forms.DateTimeField(required=False, label=_lazy("Received (blank: now)"),
                                      widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    category = forms.CharField(max_length=80, required=False, label=_lazy("Category"))
    description = forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
                                  label=_lazy("Description"))


class ComplaintActionForm(forms.Form):
    action = forms.ChoiceField(choices=[("investigate", _lazy("Investigating")), ("respond", _lazy("Responded")),
                                        ("close", _lazy("Close"))], label=_lazy("Action"))
    response = forms.CharField(max_length=5000, required=False, label=_lazy("Response sent"))


@allow_roles(*ROLES)
def complaint_list(request):
    form = ComplaintForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        account = data.pop("account")
        try:
            complaint = services.complaint_record(account=account, user=request.user,
                                                  meta=services.client_meta(request), **data)
        except ValidationError as exc:
            messages.error(request, validation_text(exc))
        else:
            messages.success(request, _("Complaint #%(number)s logged; respond by %(due)s.") % {
                "number": complaint.pk, "due": date_format(timezone.localtime(complaint.due_at), "Y-m-d H:i T")})
            return redirect("compliance:complaints")
    show = request.GET.get("show") or "open"
    rows = Complaint.objects.select_related("account__debtor", "owner")
    rows = rows.filter(status__in=["open", "investigating"]) if show == "open" else rows.order_by("-received_at")
    return render(request, "compliance/complaints.html", {
        "complaints": rows[:LIST_LIMIT], "form": form, "counts": services.complaint_counts(), "now": timezone.now(),
        "show": show, "action_form": ComplaintActionForm()})


@require_POST
@allow_roles(*ROLES)
def complaint_action(request, pk: int):
    complaint = get_object_or_404(Complaint, pk=pk)
    form = ComplaintActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose what happened."))
        return redirect("compliance:complaints")
    action, meta = form.cleaned_data["action"], services.client_meta(request)
    try:
        if action == "investigate":
            services.complaint_investigate(complaint=complaint, user=request.user, meta=meta)
        elif action == "respond":
            services.complaint_respond(complaint=complaint, user=request.user, meta=meta,
                                       response=form.cleaned_data["response"])
        else:
            services.complaint_close(complaint=complaint, user=request.user, meta=meta)
        messages.success(request, _("Complaint #%(number)s: %(status)s.") % {
            "number": complaint.pk, "status": str(complaint.get_status_display()).lower()})
    except ValidationError as exc:
        messages.error(request, validation_text(exc))
    return redirect("compliance:complaints")
