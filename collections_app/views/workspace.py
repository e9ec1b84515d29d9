"""The account workspace: balance, ledger, debtor, and the Contact panel driven by the gate.

It lives here, not in ``accounts``, because it shows compliance decisions and accounts may
not import compliance (imports flow accounts <- compliance <- payments <- collections_app).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts import selectors as account_selectors
from accounts.access import ADMIN, COLLECTOR, COMPLIANCE, SUPERVISOR, WORKSPACE_ROLES, allow_roles, has_role
from accounts.audit import audit_record, client_meta
from accounts.errors import form_errors_text
from accounts.models import Account
from collections_app.forms import ContactForm, InboundContactForm
from collections_app.models import AbilityToPay
from collections_app.templatetags.display import code_label
from collections_app.worklist.dispositions import SHORTCUTS, SIMPLE
from collections_app.worklist.selectors import work_item_view
from compliance import selectors as compliance_selectors
from compliance.forms import DirectConsentQuickForm
from compliance.gate import answerable_inbound, contact_inbound_record, contact_options, contact_send
from compliance.medical import medical_summary
from compliance.models import CallOutcome, DirectPriorConsent
from compliance.rules import DEFAULT_RULES
from compliance.services import direct_consent_record
from payments.models import PaymentMethod

CONTACT_ROLES = (COLLECTOR, SUPERVISOR, COMPLIANCE, ADMIN)
CHANNEL_LABELS = {"call": _("Call"), "sms": _("Text"), "email": _("Email"), "letter": _("Letter")}
# Restrictions that end collection contact altogether (the others limit a time, place, number or medium).
STOPPING_RESTRICTIONS = frozenset({"cease", "attorney", "bankruptcy", "deceased"})
# Rules a block from which waiting never lifts (a cease, a bankruptcy ...): named beside "no lawful time".
WAITABLE_RULES = frozenset(rule.id for rule in DEFAULT_RULES if rule.time_based)


def _zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (KeyError, ValueError):
        return ZoneInfo("UTC")


def _when(moment: datetime, zone: ZoneInfo) -> str:
    return date_format(moment.astimezone(zone), "D M d, H:i T")  # day and month names in the user's language


def _contact_panel_context(request, account: Account, *, now: datetime, result=None, form=None) -> dict:
    zones = account_selectors.debtor_zones(debtor=account.debtor)
    user_zone = _zone(getattr(request.user, "time_zone", None))
    history = compliance_selectors.contact_history(account=account)
    options = []
    for option in contact_options(account=account, user=request.user, now=now):
        next_at = datetime.fromisoformat(option["next_allowed_at"]) if option["next_allowed_at"] else None
        options.append({
            **option,
            "label": f"{CHANNEL_LABELS[option['channel']]} {option['to']}",
            "channel_label": CHANNEL_LABELS[option["channel"]].lower(),
            "lasting": list(dict.fromkeys(code_label(v["reason"]) for v in option["violations"]
                                          if v["rule"] not in WAITABLE_RULES)),
            "allowed": option["decision"] == "allow",
            "violations": option["violations"],
            "warnings": option.get("warnings") or [],
            "next_user": _when(next_at, user_zone) if next_at else "",
            "next_local": [{"zone": z, "at": _when(next_at, ZoneInfo(z))} for z in zones] if next_at else [],
            "key": uuid.uuid4().hex,
        })
    return {
        "account": account,
        "options": options,
        "user_zone": user_zone.key,
        "debtor_now": [{"zone": z, "at": _when(now, ZoneInfo(z))} for z in zones],
        "can_contact": has_role(request.user, *CONTACT_ROLES),
        "outcomes": CallOutcome.choices,
        "history": history,
        "answerable": answerable_inbound(history=history, now=now),
        "result": result,
        "form": form,
        "inbound_form": InboundContactForm(initial={"idempotency_key": uuid.uuid4().hex}),
        "consent_form": DirectConsentQuickForm(initial={"given_at": now}).for_debtor(account.debtor),
        "direct_consents": list(DirectPriorConsent.objects.for_account(account).order_by("-given_at")[:10]),
    }


@allow_roles(*WORKSPACE_ROLES)
def account_workspace(request, account_id: int):
    try:
        account = account_selectors.account_get(account_id=account_id)
    except Account.DoesNotExist:
        account = get_object_or_404(Account, pk=account_id)
    now = timezone.now()
    zones = account_selectors.debtor_zones(debtor=account.debtor)
    audit_record(user=request.user, action="view", obj=account, meta=client_meta(request),
                 summary=f"opened account workspace {account.creditor_account_number}")
    # The status alone ("Active collection") would hide a cease or a bankruptcy: show them beside it.
    restrictions = [{**r, "stops": r["kind"] in STOPPING_RESTRICTIONS}
                    for r in compliance_selectors.active_restrictions(debtor=account.debtor)
                    if r["obj"].account_id in (None, account.pk)]
    context = {
        "debtor": account.debtor,
        "restrictions": restrictions,
        "contact_stopped": any(r["stops"] for r in restrictions),
        "balances": account_selectors.account_balance_by_kind(account=account),
        "ledger": account_selectors.ledger_with_running_balance(account=account),
        "ledger_count": account_selectors.ledger_count(account=account),
        "local_times": account_selectors.local_times(zones=zones, now=now),
        "medical": medical_summary(account=account, user=request.user),
        **_contact_panel_context(request, account, now=now),
    }
    context.update(_work_context(request, account, zones=zones, options=context["options"], now=now))
    return render(request, "workspace/account.html", context)


def _work_context(request, account: Account, *, zones: list[str], options: list[dict], now: datetime) -> dict:
    """The worklist panel: the score's reasons, and the disposition bar for those who work accounts."""
    return {
        "work": work_item_view(account_id=account.pk, user=request.user, now=now) or {"item": None},
        "work_allowed": has_role(request.user, COLLECTOR, SUPERVISOR, ADMIN),
        "simple_dispositions": [{"code": c.value, "label": c.label, "key": SHORTCUTS[c]} for c in SIMPLE],
        "call_allowed": any(o["channel"] == "call" and o["allowed"] for o in options),
        "debtor_zones": zones,
        "hardships": AbilityToPay.Hardship.choices,
        "payment_methods": PaymentMethod.choices,
    }


@allow_roles(*WORKSPACE_ROLES)
def account_contact_panel(request, account_id: int):
    account = get_object_or_404(Account.objects.select_related("creditor", "debtor"), pk=account_id)
    return render(request, "workspace/_contact_panel.html",
                  _contact_panel_context(request, account, now=timezone.now()))


def _post_form(request, account_id: int, form_class, action):
    """The one shape of the workspace's POSTs: parse the form, call the service, answer with the panel."""
    account = get_object_or_404(Account.objects.select_related("creditor", "debtor"), pk=account_id)
    form = form_class(request.POST)
    result = None
    if form.is_valid():
        try:
            result = action(account, form.cleaned_data)
            form = None
        except ValidationError as exc:
            form.add_error(None, exc)
    return _respond(request, account, result=result, form=form)


@require_POST
@allow_roles(*CONTACT_ROLES)
def account_contact_send(request, account_id: int):
    return _post_form(request, account_id, ContactForm, lambda account, data: contact_send(
        account=account, channel=data["channel"], to=data["to"], user=request.user,
        outcome=data["outcome"] or None, notes=data["notes"], idempotency_key=data["idempotency_key"],
        responds_to=data["responds_to"], meta=client_meta(request),
        # the option rows show the gate's warnings: unchecked means "not confirmed" (refused);
        # the reply-once form shows none, so its reply is recorded with the warnings unconfirmed
        confirm_warnings=data["confirm_warnings"] if request.POST.get("warnings_shown") else None))


@require_POST
@allow_roles(*CONTACT_ROLES)
def account_inbound_log(request, account_id: int):
    """Log a call (or message) the consumer made: it is in the history the gate reads next time."""
    return _post_form(request, account_id, InboundContactForm, lambda account, data: contact_inbound_record(
        account=account, channel=data["channel"], from_=data["came_from"], user=request.user,
        outcome=data["outcome"] or None, notes=data["notes"], idempotency_key=data["idempotency_key"]))


@require_POST
@allow_roles(*CONTACT_ROLES)
def account_consent_record(request, account_id: int):
    """Record the consumer's direct prior consent (to further calls, a call time, or work contact)."""

    def record(account, data):
        consent = direct_consent_record(
            debtor=account.debtor, account=account, scope=data["scope"], given_at=data["given_at"],
            given_via=data["given_via"], fields={"consented_at": data["consented_at"], "given_by": data["given_by"]},
            statement=data["statement"], user=request.user, meta=client_meta(request))
        messages.success(request, _("Recorded: %(consent)s") % {"consent": consent})
        return None  # the panel shows the consent list; there is no attempt to report

    return _post_form(request, account_id, DirectConsentQuickForm, record)


def _respond(request, account: Account, *, result, form):
    """The whole page (redirect) without htmx, else only the refreshed Contact panel."""
    if not request.htmx:
        if result is not None:
            said = _("%(channel)s from %(to)s: %(status)s") if result.direction == "inbound" \
                else _("%(channel)s to %(to)s: %(status)s")
            messages.info(request, said % {"channel": result.get_channel_display(), "to": result.to or _("unknown"),
                                           "status": result.get_status_display()})
        elif form is not None:
            messages.error(request, "; ".join(form.errors.get("__all__", [])) or form_errors_text(form)
                           or _("Check the form."))
        return redirect("account-workspace", account_id=account.pk)
    return render(request, "workspace/_contact_panel.html",
                  _contact_panel_context(request, account, now=timezone.now(), result=result, form=form))
