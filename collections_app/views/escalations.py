"""Escalation pages: the open escalations (create one), and one escalation (reassign, suit stage, resolve,
billing adjustment proposed by anyone and approved by a supervisor). Views parse, call a service, respond."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import ADMIN, COLLECTOR, SUPERVISOR, allow_roles, has_role
from accounts.errors import form_errors_text, validation_text
from accounts.models import Account
from accounts.money import money_display
from collections_app.escalations import services
from collections_app.escalations.forms import (
    AdjustmentForm,
    DecideForm,
    EscalationForm,
    EscalationUpdateForm,
    ResolveForm,
)
from collections_app.models import Escalation

ROLES = (COLLECTOR, SUPERVISOR, ADMIN)
LIST_LIMIT = 200


@allow_roles(*ROLES)
def escalation_list(request):
    wanted = request.GET.get("account") or ""
    named = Account.objects.select_related("creditor").filter(pk=wanted).first() if wanted.isdigit() else None
    # the workspace's "Escalate" link names the account by id: the form shows it as people see it
    form = EscalationForm(request.POST or None, initial={
        "account": f"{named.creditor_account_number} · {named.creditor.code}" if named else None})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        account = data.pop("account")
        try:
            escalation = services.escalation_create(account=account, user=request.user, **data)
        except ValidationError as exc:
            messages.error(request, validation_text(exc))
        else:
            messages.success(request, _("%(kind)s #%(number)s opened; the account is off the worklist until "
                                        "resolved.") % {"kind": escalation.get_kind_display(),
                                                        "number": escalation.pk})
            return redirect("escalations:detail", escalation_id=escalation.pk)
    mine = request.GET.get("mine") == "1"
    rows = Escalation.objects.filter(status__in=["open", "in_progress"]).select_related("owner", "account__debtor")
    if mine:
        rows = rows.filter(owner=request.user)
    return render(request, "escalations/list.html", {"escalations": rows.order_by("due_on", "id")[:LIST_LIMIT],
                                                     "form": form, "mine": mine})


@allow_roles(*ROLES)
def escalation_detail(request, escalation_id: int):
    escalation = get_object_or_404(Escalation.objects.select_related("owner", "account__debtor", "created_by",
                                                                     "adjustment_proposed_by"), pk=escalation_id)
    return render(request, "escalations/detail.html", {
        "e": escalation, "update_form": EscalationUpdateForm(initial={"suit_stage": escalation.suit_stage},
                                                             auto_id="update_%s"),
        "resolve_form": ResolveForm(auto_id="resolve_%s"), "adjustment_form": AdjustmentForm(auto_id="adjust_%s"),
        "decide_form": DecideForm(auto_id="decide_%s"),
        "can_decide": has_role(request.user, SUPERVISOR, ADMIN)
        and escalation.adjustment_proposed_by_id != request.user.pk,
    })


def _post(request, escalation_id: int, form_class, act):
    escalation = get_object_or_404(Escalation, pk=escalation_id)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
    else:
        try:
            messages.success(request, act(escalation, form.cleaned_data))
        except ValidationError as exc:
            messages.error(request, validation_text(exc))
    return redirect("escalations:detail", escalation_id=escalation.pk)


@require_POST
@allow_roles(*ROLES)
def escalation_update(request, escalation_id: int):
    def act(escalation, data):
        services.escalation_update(
            escalation=escalation, user=request.user, owner=data["owner"], due_on=data["due_on"],
            status="in_progress" if data["start_work"] and escalation.status == "open" else None,
            suit_stage=data["suit_stage"] or None, court_case_number=data["court_case_number"] or None)
        return _("Escalation updated.")
    return _post(request, escalation_id, EscalationUpdateForm, act)


@require_POST
@allow_roles(*ROLES)
def escalation_resolve(request, escalation_id: int):
    def act(escalation, data):
        escalation = services.escalation_resolve(escalation=escalation, user=request.user, **data)
        return _("%(kind)s #%(number)s: %(status)s.") % {
            "kind": escalation.get_kind_display(), "number": escalation.pk,
            "status": str(escalation.get_status_display()).lower()}
    return _post(request, escalation_id, ResolveForm, act)


@require_POST
@allow_roles(*ROLES)
def escalation_adjustment(request, escalation_id: int):
    def act(escalation, data):
        services.discrepancy_adjustment_propose(escalation=escalation, user=request.user, **data)
        return _("Adjustment of %(amount)s proposed; a supervisor approves it before it is posted.") % {
            "amount": money_display(data["amount"])}
    return _post(request, escalation_id, AdjustmentForm, act)


@require_POST
@allow_roles(SUPERVISOR, ADMIN)
def escalation_decide(request, escalation_id: int):
    def act(escalation, data):
        escalation = services.discrepancy_adjustment_decide(escalation=escalation, user=request.user, **data)
        return (_("Adjustment approved and posted to the ledger.") if escalation.adjustment_status == "posted"
                else _("Adjustment rejected."))
    return _post(request, escalation_id, DecideForm, act)
