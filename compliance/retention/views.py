"""Retention pages: policies, legal holds, purge preview (dry run), purge runs and their certificates.

Compliance and admin only (deny by default): a purge destroys personal data.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import ADMIN, COMPLIANCE, allow_roles
from accounts.audit import audit_record, client_meta
from accounts.errors import form_errors_text
from compliance.models import LegalHold, PurgeRun, RetentionPolicy
from compliance.services.holds import place_hold, release_hold

from . import selectors, services
from .forms import HoldForm, RetentionPolicyForm
from .services import purge_plan

RETENTION_ROLES = (COMPLIANCE, ADMIN)


def _page(request, *, hold_form=None, status=200):
    services.policies_ensure_defaults()
    return render(request, "compliance/retention/home.html", {
        "policies": [(p, RetentionPolicyForm(instance=p, prefix=f"p{p.pk}"))
                     for p in RetentionPolicy.objects.order_by("kind")],
        "holds": LegalHold.objects.active().select_related("account", "placed_by")[:200],
        "hold_form": hold_form or HoldForm(), "runs": selectors.recent_runs(20)}, status=status)


@allow_roles(*RETENTION_ROLES)
def home(request):
    return _page(request)


@require_POST
@allow_roles(*RETENTION_ROLES)
def policy_edit(request, pk: int):
    policy = get_object_or_404(RetentionPolicy, pk=pk)
    before = (policy.retention_days, policy.is_active)
    form = RetentionPolicyForm(request.POST, instance=policy, prefix=f"p{policy.pk}")
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect("retention:home")
    with transaction.atomic():
        policy = form.save(commit=False)
        policy.updated_by = request.user
        policy.save()
        audit_record(user=request.user, action="update", obj=policy, meta=client_meta(request),
                     summary=f"retention policy {policy.kind}: {before[0]} days active={before[1]} -> "
                             f"{policy.retention_days} days active={policy.is_active}")
    messages.success(request, _("Policy for %(kind)s saved.") % {"kind": policy.get_kind_display()})
    return redirect("retention:home")


@require_POST
@allow_roles(*RETENTION_ROLES)
def hold_place(request):
    form = HoldForm(request.POST)
    if form.is_valid():
        try:
            place_hold(form.cleaned_data["account_ref"], form.cleaned_data["kind"], form.cleaned_data["reason"],
                       ref=form.cleaned_data["ref"], user=request.user, meta=client_meta(request))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Legal hold placed."))
            return redirect("retention:home")
    return _page(request, hold_form=form, status=400)


@require_POST
@allow_roles(*RETENTION_ROLES)
def hold_release(request, pk: int):
    hold = get_object_or_404(LegalHold, pk=pk)
    try:
        release_hold(hold, user=request.user, meta=client_meta(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Legal hold released."))
    return redirect("retention:home")


@allow_roles(*RETENTION_ROLES)
def preview(request):
    """The dry run: what tonight's purge would take, per kind, and what holds keep back."""
    return render(request, "compliance/retention/preview.html", {"plan": purge_plan()})


@require_POST
@allow_roles(*RETENTION_ROLES)
def purge_now(request):
    """Queue the purge on a worker (the same task beat runs nightly); never inside a web request."""
    from compliance.tasks import retention_purge

    transaction.on_commit(lambda: retention_purge.delay())
    audit_record(user=request.user, action="delete", object_type="compliance.PurgeRun", meta=client_meta(request),
                 summary="retention purge queued from the retention page")
    messages.success(request, _("Purge queued; its certificate appears below when the worker finishes."))
    return redirect("retention:home")


@allow_roles(*RETENTION_ROLES)
def run_detail(request, pk: int):
    run = get_object_or_404(PurgeRun.objects.select_related("user"), pk=pk)
    return render(request, "compliance/retention/run_detail.html", {"run": run})
