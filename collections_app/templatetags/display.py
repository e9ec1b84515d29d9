"""How values read on every screen: money, times with their zone, codes as words.

    {% load display %}
    {{ account.current_balance|money }}      $1,250.40 / -$20.00 (accounts.money, as CSV and API use)
    {{ attempt.requested_at|when }}          2026-11-29 08:58 EST (the user's zone, always labelled)
    {{ attempt.requested_at|when:"America/Chicago" }}   the same instant in another zone
    {{ attempt.outcome|code_label }}         "Conversation (right party)" for "conversation"
"""

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

from accounts.money import money_display
from compliance import reason_labels as reason_labels_module
from compliance.models import CallOutcome

register = template.Library()

WHEN_FORMAT = "Y-m-d H:i T"
# Code vocabularies shown as words wherever a raw value would otherwise leak (models without choices).
CODE_LABELS = {**dict(CallOutcome.choices)}


@register.filter
def money(value, currency="USD"):
    """Two places, currency symbol, a leading minus for negatives; "" for None."""
    if value is None or value == "":
        return ""
    return money_display(value, currency=currency)


@register.filter
def when(value, zone=None):
    """A date and time with its zone's abbreviation, in `zone` or else the active (user's) zone."""
    if value in (None, ""):
        return ""
    if not isinstance(value, datetime):
        return value if not isinstance(value, date) else value.isoformat()
    if timezone.is_naive(value):
        value = timezone.make_aware(value, timezone.get_current_timezone())
    try:
        tz = ZoneInfo(zone) if zone else timezone.get_current_timezone()
    except (KeyError, ValueError):
        tz = timezone.get_current_timezone()
    return date_format(value.astimezone(tz), WHEN_FORMAT)


@register.filter
def code_label(value):
    """The human label of a stored code; an unknown code reads as words ("busy_signal" -> "Busy signal")."""
    if not value:
        return ""
    label = CODE_LABELS.get(value)
    if label is not None:
        return _(str(label))
    return str(value).replace("_", " ").capitalize()


# Status code -> badge kind (static/css/app.css: each kind has its own colour, symbol and shape).
STATUS_BADGES = {
    # accounts.AccountStatus
    "new": "info", "active": "info", "promise": "ok", "plan": "ok", "paid": "ok", "settled": "ok",
    "disputed": "warn", "hold": "warn", "closed": "", "recalled": "",
    # compliance: disputes and contact attempts
    "open": "warn", "verification_sent": "info", "resolved": "ok",
    "allowed": "ok", "sent": "ok", "queued": "info", "received": "info",
    "blocked": "block", "blocked_at_send": "block", "failed": "block",
}


@register.filter
def status_badge(code):
    """The badge class for a status code: `<span class="badge {{ s|status_badge }}">`."""
    return STATUS_BADGES.get(str(code), "")



@register.filter
def reason_label(code):
    """A gate reason code as words in the user's language ("CEASE_COMMUNICATION" -> "Cease communication")."""
    return reason_labels_module.reason_label(code)


@register.filter
def reason_labels(codes):
    """Several reason codes as words, comma-separated."""
    return reason_labels_module.reason_labels(codes)


@register.filter
def account_status(code):
    """An account status code as its label ("settled" -> "Settled in full"), in the user's language."""
    from accounts.models import AccountStatus

    return dict(AccountStatus.choices).get(code, code)


@register.filter
def record_kind(code):
    """A retention record kind's label ("import_files" -> "Import files"), in the user's language."""
    from compliance.models import RecordKind

    return dict(RecordKind.choices).get(code, code)


@register.filter
def retention_action(code):
    """What a retention policy does when a record's period ends ("anonymise" -> "Anonymise")."""
    from compliance.models import RetentionPolicy

    return dict(RetentionPolicy._meta.get_field("action").choices).get(code, code)


@register.filter
def reasons_coded(codes):
    """Reason codes as words followed by the code itself (compliance staff search by code)."""
    from django.utils.html import format_html, format_html_join

    return format_html_join(", ", "{} <code>{}</code>",
                            ((reason_labels_module.reason_label(c), c) for c in (codes or []))) or format_html("")



HOLD_PARTS = [
    (re.compile(r"^escalation #(\d+): (\w+)$"), "escalation"),
    (re.compile(r"^skip trace #(\d+) (\w+)$"), "skip"),
    (re.compile(r"^escalated: (\w+)$"), "escalated"),
]


@register.filter
def hold_label(reason):
    """A work item's stored hold reason ("escalation #3: legal; skip trace #4 open") in the user's words."""
    from collections_app.models import EscalationKind, SkipStatus

    parts = []
    for part in str(reason or "").split("; "):
        for pattern, kind in HOLD_PARTS:
            found = pattern.match(part)
            if found and kind == "escalation":
                label = dict(EscalationKind.choices).get(found[2], found[2])
                part = _("escalation #%(number)s: %(kind)s") % {"number": found[1], "kind": str(label).lower()}
                break
            if found and kind == "skip":
                label = dict(SkipStatus.choices).get(found[2], found[2])
                part = _("skip trace #%(number)s: %(status)s") % {"number": found[1], "status": str(label).lower()}
                break
            if found and kind == "escalated":
                labels = {**dict(EscalationKind.choices), "complaint": _("Complaint")}
                part = _("escalated: %(to)s") % {"to": str(labels.get(found[1], found[1])).lower()}
                break
        parts.append(part)
    return "; ".join(parts)


@register.filter
def entry_kind(code):
    """A ledger entry kind's label ("charge" -> "Charge / principal"); any other value as it is."""
    from accounts.models import EntryKind

    return dict(EntryKind.choices).get(code, code)


@register.filter
def debt_type(code):
    """A debt type's label ("credit_card" -> "Consumer credit card"); any other key as words."""
    from accounts.models import DebtType

    labels = {**dict(DebtType.choices), "consumer_credit": _("Consumer credit")}
    return labels.get(code) or str(code).replace("_", " ")


@register.simple_tag
def explanation(message):
    """A compliance engine message (or several joined by "; ") in the reader's language. The decision record
    keeps the engine's English; a message no template knows is shown as stored, marked lang="en"."""
    from django.utils.html import format_html
    from django.utils.translation import get_language

    from compliance.explanations import explanations

    text, translated = explanations(message)
    if translated or (get_language() or "en").startswith("en"):
        return format_html("<span>{}</span>", text)
    return format_html('<span lang="en">{}</span>', text)


@register.filter
def guardrails(breaches):
    """Why a promise or a plan is outside the creditor's guardrails (stored in English), in the reader's
    language, joined by "; "."""
    from payments.texts import guardrails_text

    return guardrails_text(breaches)
