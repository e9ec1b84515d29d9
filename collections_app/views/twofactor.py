"""The TOTP second factor (django-otp): enrol a device, confirm a code; log out everywhere.

Which users must give a second factor: collections_app.auth.two_factor_required.
"""

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.access import ALL_ROLES, allow_roles

from ..auth import logout_everywhere, two_factor_required


class TokenForm(forms.Form):
    code = forms.CharField(label=gettext_lazy("6-digit code from your authenticator app"), min_length=6, max_length=8,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                                         "autofocus": True}))


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target.startswith("/") and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                                  require_https=request.is_secure()):
        return target
    return settings.LOGIN_REDIRECT_URL


@allow_roles(*ALL_ROLES)
@require_http_methods(["GET", "POST"])
def two_factor(request):
    """Confirm a code from the user's device; without a confirmed device, enrol one first (QR code)."""
    user = request.user
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    enrolling = device is None
    if enrolling:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first() or TOTPDevice.objects.create(
            user=user, name="authenticator app", confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"].strip()):
            if enrolling:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
            otp_login(request, device)
            return redirect(_next_url(request))
        form.add_error("code", "That code is not valid (or was already used). Wait for the next one and try again.")
    context = {"form": form, "enrolling": enrolling, "required": two_factor_required(user),
               "next": _next_url(request)}
    if enrolling:
        context["qr_svg"] = segno.make(device.config_url, error="m").svg_inline(scale=4)
        context["secret"] = _base32(device.bin_key)
    return render(request, "registration/two_factor.html", context)


def _base32(key: bytes) -> str:
    from base64 import b32encode

    return b32encode(key).decode().rstrip("=")


@allow_roles(*ALL_ROLES)
@require_POST
def logout_everywhere_view(request):
    logout_everywhere(request=request)
    messages.info(request, _("You are logged out on every device."))
    return redirect(settings.LOGOUT_REDIRECT_URL)
