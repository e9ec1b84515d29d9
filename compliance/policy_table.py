"""Between the engine's policy dict and the rows of the state policy table (pure; no ORM).

The engine takes ``{"federal": {...}, "states": {"MA": {...}, "NYC": {...}}}`` (see
``compliance.rules.state_policy``). Staff edit the numbers they know as columns: a call cap per
window, allowed hours, a time-barred disclosure, statute-of-limitations years. Everything else
for a jurisdiction stays in the row's ``rules`` JSON, verbatim, so no engine entry is lost.
"""

from __future__ import annotations

import copy
from datetime import date, time
from typing import Any

from django.utils.translation import gettext_lazy as _

# Which engine entry a row's call cap feeds, per jurisdiction. The engine has no generic state
# cap: for a state not listed here the cap is kept (as "call_limit") for reference only.
CALL_CAP_KEYS = {"MA": "call_limit_residence_or_cell", "WA": "communication_limit", "NYC": "attempt_limit"}
FEDERAL = "federal"
SOL_KEYS = {"consumer_credit": "consumer_credit_sol_years"}
DEFAULT_START = "2000-01-01"


def _clock(value: time | None) -> str | None:
    return value.strftime("%H:%M") if value else None


def _parse_clock(value: str | None) -> time | None:
    return time.fromisoformat(value) if value else None


def split_jurisdiction(key: str, entries: dict[str, Any]) -> dict[str, Any]:
    """Column values (+ leftover ``rules``) for one jurisdiction of the engine's policy dict."""
    rules = copy.deepcopy(entries)
    row: dict[str, Any] = {"call_cap": None, "call_cap_days": None, "allowed_start": None, "allowed_end": None,
                           "time_barred_disclosure": "", "sol_years": {}, "effective_from": None}
    starts: list[str] = []
    if key == FEDERAL:
        window = rules.pop("contact_window", None) or {}
        row["allowed_start"], row["allowed_end"] = _parse_clock(window.get("start")), _parse_clock(window.get("end"))
        cap = rules.pop("call_frequency", None) or {}
        row["call_cap"], row["call_cap_days"] = cap.get("max_calls"), cap.get("days")
    else:
        cap = rules.pop(CALL_CAP_KEYS.get(key, "call_limit"), None) or {}
        row["call_cap"], row["call_cap_days"] = cap.get("max"), cap.get("days")
        if cap.get("effective_from"):
            starts.append(cap["effective_from"])
        quiet = rules.pop("residence_quiet_hours", None) or {}
        # Quiet hours 21:00-07:30 are allowed hours 07:30-21:00.
        row["allowed_start"], row["allowed_end"] = _parse_clock(quiet.get("end")), _parse_clock(quiet.get("start"))
        disclosure = rules.pop("time_barred_disclosure", None)
        if isinstance(disclosure, dict):
            row["time_barred_disclosure"] = disclosure.get("text") or "(required; text not recorded)"
            if disclosure.get("effective_from"):
                starts.append(disclosure["effective_from"])
        for debt_type, engine_key in SOL_KEYS.items():
            if rules.get(engine_key) is not None:
                row["sol_years"][debt_type] = rules.pop(engine_key)
    row["effective_from"] = date.fromisoformat(min(starts) if starts else DEFAULT_START)
    row["rules"] = rules
    return row


def join_row(key: str, row: dict[str, Any]) -> dict[str, Any]:
    """The engine entries for one row (the inverse of ``split_jurisdiction``)."""
    entries = copy.deepcopy(row.get("rules") or {})
    start = row["effective_from"].isoformat() if row.get("effective_from") else None
    cap, days = row.get("call_cap"), row.get("call_cap_days")
    begin, end = _clock(row.get("allowed_start")), _clock(row.get("allowed_end"))
    if key == FEDERAL:
        if cap and days:
            entries["call_frequency"] = {"max_calls": cap, "days": days}
        if begin and end:
            entries["contact_window"] = {"start": begin, "end": end}
        return entries
    if cap and days:
        entries[CALL_CAP_KEYS.get(key, "call_limit")] = {"max": cap, "days": days, "effective_from": start}
    if begin and end:
        entries["residence_quiet_hours"] = {"start": end, "end": begin}
    if row.get("time_barred_disclosure"):
        entries["time_barred_disclosure"] = {"effective_from": start, "text": row["time_barred_disclosure"]}
    for debt_type, engine_key in SOL_KEYS.items():
        if (row.get("sol_years") or {}).get(debt_type) is not None:
            entries[engine_key] = row["sol_years"][debt_type]
    return entries


def split_policy(policy: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows (with ``state``/``city``) for a whole engine policy dict."""
    rows = [{"state": "US", "city": "", **split_jurisdiction(FEDERAL, policy.get("federal") or {})}]
    for key, entries in (policy.get("states") or {}).items():
        state, city = ("NY", key) if key == "NYC" else (key, "")
        rows.append({"state": state, "city": city, **split_jurisdiction(key, entries)})
    return rows


# Plain-language sentences for the engine's policy entries (the state policy page shows these,
# not the JSON), in the reader's language. Placeholders are filled from a dict entry, or %(v)s from a plain value.
DESCRIPTIONS = {
    "contact_window": _("Contact only between %(start)s and %(end)s local time"),
    "call_frequency": _("At most %(max_calls)s calls about a debt in %(days)s consecutive days"),
    "conversation_block_days": _("No call for %(v)s days after a telephone conversation (the conversation day counts)"),
    "consent_window_days": _("A direct prior consent covers calls for %(v)s days (the consent day counts)"),
    "consented_time_tolerance_minutes": _("A consent to a stated time covers calls within %(v)s minutes of it"),
    "validation_notice_due_days": _("The validation notice is due within %(v)s days after the initial communication"),
    "passive_collection_wait_days": _("Wait %(v)s days after a letter or electronic message before first reporting"),
    "attorney_nonresponse_days": _("An attorney who does not answer a letter for %(v)s days may be bypassed "
                                   "(with counsel's sign-off)"),
    "fcra_obsolete_years": _("Stop reporting %(v)s years after the date of first delinquency"),
    "scra_rate_cap_pct": _("Servicemembers' pre-service debts: interest capped at %(v)s%%"),
    "tcpa_residential_prerecorded": _("At most %(max_calls)s prerecorded calls in %(days)s days to a home line without "
                                      "consent"),
    "medical_min_reportable_balance": _("Medical collections under $%(v)s are never reported"),
    "medical_waiting_days": _("Unpaid medical collections wait %(v)s days before reporting"),
    "call_limit_residence_or_cell": _("At most %(max)s telephone communications per %(days)s days to a home or cell "
                                      "number, per debt"),
    "call_limit_other_numbers": _("At most %(max)s telephone communications per %(days)s days to other numbers, "
                                  "per debt"),
    "call_limit": _("Call cap %(max)s per %(days)s days (recorded for reference; no engine rule reads it)"),
    "communication_limit": _("At most %(max)s communications per %(days)s days, in any form"),
    "workplace_limit": _("At most %(max)s communication(s) at the workplace per %(days)s days"),
    "attempt_limit": _("At most %(max)s communication attempts per %(days)s days across all media, per creditor"),
    "residence_quiet_hours": _("No contact at the residence from %(start)s to %(end)s"),
    "electronic_consent_required": _("Email, text and social media need the consumer's consent"),
    "medical_reporting_ban": _("Medical debt may not be reported to credit bureaus"),
    "time_barred_disclosure": _("Written messages on time-barred debt carry the state disclosure"),
    "consumer_credit_sol_years": _("Consumer-credit lawsuits are time-barred after %(v)s years"),
}


def describe_entries(entries: dict[str, Any] | None) -> list[str]:
    """One plain sentence per policy entry, e.g. "At most 2 ... per 7 days (from 2013-01-01)"."""
    out = []
    for key, value in (entries or {}).items():
        template = DESCRIPTIONS.get(key)
        values = value if isinstance(value, dict) else {"v": value}
        try:
            text = str(template) % values if template else None
        except (KeyError, IndexError, TypeError, ValueError):
            text = None
        if text is None:
            detail = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in values.items() if k != "effective_from") \
                if isinstance(value, dict) else str(value)
            text = f"{key.replace('_', ' ').capitalize()}: {detail}" if detail else key.replace("_", " ").capitalize()
        start = values.get("effective_from") if isinstance(value, dict) else None
        out.append(_("%(rule)s (from %(start)s)") % {"rule": text, "start": start} if start else text)
    return out
