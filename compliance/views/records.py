"""Restrictions, TCPA consents, disputes and original-creditor requests: list, record, move on."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import allow_roles, has_role
from compliance import forms, selectors, services
from compliance.models import RESTRICTION_MODELS, Dispute, OriginalCreditorRequest, TcpaConsent

from .dashboard import EDITORS, READERS


def _meta(request) -> dict:
    return services.client_meta(request)


def _fail(form, exc: ValidationError):
    form.add_error(None, exc)


@allow_roles(*READERS)
def restriction_list(request):
    return render(request, "compliance/restrictions.html", {
        "restrictions": selectors.active_restrictions(limit=200),
        "kinds": [(k, m._meta.verbose_name) for k, m in RESTRICTION_MODELS.items()],
        "can_edit": has_role(request.user, *EDITORS),
    })


@allow_roles(*EDITORS)
def restriction_add(request, kind: str):
    if kind not in RESTRICTION_MODELS:
        raise Http404("Unknown restriction kind.")
    form_class = forms.restriction_form_class(kind)
    form = form_class(request.POST or None, initial={"account_ref": request.GET.get("account")})
    if request.method == "POST" and form.is_valid():
        account = form.cleaned_data["account_ref"]
        try:
            services.restriction_create(kind=kind, debtor=account.debtor,
                                        account=None if form.cleaned_data["whole_debtor"] else account,
                                        user=request.user, fields=form.restriction_fields(),
                                        notes=form.cleaned_data["notes"], meta=_meta(request))
        except ValidationError as exc:
            _fail(form, exc)
        else:
            messages.success(request, _("%(kind)s recorded.") % {"kind": RESTRICTION_MODELS[kind]._meta.verbose_name})
            return redirect("compliance:restrictions")
    return render(request, "compliance/form.html", {
        "form": form, "title": _("Add %(kind)s") % {"kind": RESTRICTION_MODELS[kind]._meta.verbose_name},
        "back": "compliance:restrictions"})


@require_POST
@allow_roles(*EDITORS)
def restriction_end(request, kind: str, pk: int):
    model = RESTRICTION_MODELS.get(kind)
    if model is None:
        raise Http404("Unknown restriction kind.")
    restriction = get_object_or_404(model, pk=pk)
    form = forms.EndRestrictionForm(request.POST)
    if form.is_valid():
        try:
            services.restriction_end(restriction=restriction, user=request.user, reason=form.cleaned_data["reason"],
                                     meta=_meta(request))
            messages.success(request, _("Ended: %(restriction)s") % {"restriction": restriction})
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
    else:
        messages.error(request, _("Say why the restriction ends."))
    return redirect("compliance:restrictions")


@allow_roles(*READERS)
def consent_list(request):
    form = forms.TcpaConsentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and has_role(request.user, *EDITORS) and form.is_valid():
        data = form.cleaned_data
        services.tcpa_consent_record(phone=data["phone"], source=data["source"], scope=data["scope"],
                                     given_at=data["given_at"], evidence=data["evidence"],
                                     evidence_file=data.get("evidence_file"), user=request.user, meta=_meta(request))
        messages.success(request, _("TCPA consent recorded."))
        return redirect("compliance:consents")
    consents = TcpaConsent.objects.select_related("phone", "phone__debtor", "created_by").order_by("-given_at")[:200]
    return render(request, "compliance/consents.html", {
        "form": form, "consents": consents, "revoke_form": forms.RevokeConsentForm(),
        "can_edit": has_role(request.user, *EDITORS)})


@require_POST
@allow_roles(*EDITORS)
def consent_revoke(request, pk: int):
    consent = get_object_or_404(TcpaConsent.objects.select_related("phone"), pk=pk)
    form = forms.RevokeConsentForm(request.POST)
    if form.is_valid():
        try:
            services.tcpa_consent_revoke(consent=consent, user=request.user, words=form.cleaned_data["words"],
                                         channel=form.cleaned_data["channel"], meta=_meta(request))
            messages.success(request, _("Consent revoked."))
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
    else:
        messages.error(request, _("Record the words the consumer used."))
    return redirect("compliance:consents")


@allow_roles(*READERS)
def dispute_list(request):
    form = forms.DisputeForm(request.POST or None)
    if request.method == "POST" and has_role(request.user, *EDITORS) and form.is_valid():
        data = form.cleaned_data
        try:
            services.dispute_record(account=data["account_ref"], method=data["method"],
                                    received_at=data["received_at"], postmarked_on=data["postmarked_on"],
                                    scope=data["scope"], description=data["description"], user=request.user,
                                    meta=_meta(request))
        except ValidationError as exc:
            _fail(form, exc)
        else:
            messages.success(request, _("Dispute recorded; collection on the account halts while it is open."))
            return redirect("compliance:disputes")
    disputes = Dispute.objects.select_related("account", "account__debtor", "created_by").order_by("-received_at")
    return render(request, "compliance/disputes.html", {
        "form": form, "disputes": disputes[:200], "status_form": forms.DisputeStatusForm(),
        "can_edit": has_role(request.user, *EDITORS)})


@require_POST
@allow_roles(*EDITORS)
def dispute_status(request, pk: int):
    dispute = get_object_or_404(Dispute.objects.select_related("account"), pk=pk)
    form = forms.DisputeStatusForm(request.POST)
    if form.is_valid():
        try:
            services.dispute_status_change(dispute=dispute, to_status=form.cleaned_data["to_status"],
                                           resolution=form.cleaned_data["resolution"], user=request.user,
                                           meta=_meta(request))
            messages.success(request, _("Dispute #%(id)s: %(status)s.") % {"id": dispute.pk,
                                                                           "status": dispute.get_status_display()})
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
    return redirect("compliance:disputes")


@allow_roles(*READERS)
def oc_request_list(request):
    form = forms.OriginalCreditorRequestForm(request.POST or None)
    if request.method == "POST" and has_role(request.user, *EDITORS) and form.is_valid():
        data = form.cleaned_data
        services.original_creditor_request_record(account=data["account_ref"], received_at=data["received_at"],
                                                  method=data["method"], notes=data["notes"], user=request.user,
                                                  meta=_meta(request))
        messages.success(request, _("Original-creditor request recorded."))
        return redirect("compliance:oc_requests")
    requests_ = OriginalCreditorRequest.objects.select_related("account", "account__debtor").order_by("-received_at")
    return render(request, "compliance/oc_requests.html", {
        "form": form, "requests": requests_[:200], "can_edit": has_role(request.user, *EDITORS)})


@require_POST
@allow_roles(*EDITORS)
def oc_request_provided(request, pk: int):
    oc_request = get_object_or_404(OriginalCreditorRequest, pk=pk)
    try:
        services.original_creditor_request_provide(request=oc_request, user=request.user, meta=_meta(request))
        messages.success(request, _("Marked as provided."))
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    return redirect("compliance:oc_requests")
