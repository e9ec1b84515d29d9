"""Direct prior consents: the consumer's own consent to calls, a call time, or contact at work."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import allow_roles, has_role
from compliance import forms, services
from compliance.models import DirectPriorConsent

from .dashboard import EDITORS, READERS


@allow_roles(*READERS)
def direct_consent_list(request):
    form = forms.DirectConsentForm(request.POST or None, initial={"account_ref": request.GET.get("account")})
    if request.method == "POST" and has_role(request.user, *EDITORS) and form.is_valid():
        data = form.cleaned_data
        account = data["account_ref"]
        try:
            services.direct_consent_record(
                debtor=account.debtor, account=None if data["whole_debtor"] else account, scope=data["scope"],
                given_at=data["given_at"], given_via=data["given_via"],
                fields={**form.time_fields(), "given_by": data.get("given_by")},
                statement=data["statement"], notes=data["notes"], user=request.user,
                meta=services.client_meta(request))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Direct prior consent recorded."))
            return redirect("compliance:direct_consents")
    consents = (DirectPriorConsent.objects.select_related("debtor", "account", "created_by", "revoked_by")
                .order_by("-given_at", "-id")[:200])
    return render(request, "compliance/direct_consents.html", {
        "form": form, "consents": consents, "can_edit": has_role(request.user, *EDITORS)})


@require_POST
@allow_roles(*EDITORS)
def direct_consent_revoke(request, pk: int):
    consent = get_object_or_404(DirectPriorConsent, pk=pk)
    form = forms.RevokeDirectConsentForm(request.POST)
    if form.is_valid():
        try:
            services.direct_consent_revoke(consent=consent, user=request.user, notes=form.cleaned_data["notes"],
                                           meta=services.client_meta(request))
            messages.success(request, _("Consent revoked."))
        except ValidationError as exc:
            messages.error(request, "; ".join(exc.messages))
    else:
        messages.error(request, _("Record what the consumer said."))
    return redirect("compliance:direct_consents")
