"""The what-if simulator's scenario builder: a few plain answers -> one engine context (pure).

A compliance officer describes a situation (who the debtor is, where, what kind of debt, what
happened lately, what restrictions are on file, what we want to do now); ``scenario_context``
turns it into the ``{"id", "facts", "action"}`` shape of examples.json, which the engine decides
exactly as it decides stored accounts. The generated JSON is shown so it can be edited raw.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

US_ZONES = ["America/New_York", "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles",
            "America/Anchorage", "Pacific/Honolulu"]
LCM_ELEMENTS = ["business_name_not_indicating_debt_collection", "request_to_reply", "natural_person_name",
                "callback_number", "salutation", "date_and_time", "suggested_reply_times",
                "may_speak_to_any_representative", "consumer_name"]
EXTRA_VOICEMAIL_ELEMENTS = ["amount_owed", "creditor_name", "debt_collector_disclosure", "provider_name"]
PHONE = "+14045550101"
EMAIL = "pat.doe@example.com"


def _history(now: datetime, zone: ZoneInfo, data: dict) -> list[dict]:
    """Unanswered calls spread over the last 6 days and today, plus an optional conversation."""
    out = []

    def call(at: datetime, outcome: str) -> dict:
        return {"at": at.isoformat(), "channel": "call", "direction": "outbound", "recipient": "consumer",
                "to_or_from": PHONE, "debt_ids": ["D1"], "outcome": outcome}

    local = now.astimezone(zone)
    for i in range(int(data.get("calls_today") or 0)):
        at = local - timedelta(minutes=int(data.get("minutes_since_last_call") or 60) + 60 * i)
        out.append(call(at, "no_answer"))
    for i in range(int(data.get("calls_earlier_this_week") or 0)):
        day = local - timedelta(days=1 + i % 6)
        out.append(call(day.replace(hour=10 + i // 6, minute=0, second=0, microsecond=0), "no_answer"))
    days = data.get("conversation_days_ago")
    if days not in (None, ""):
        out.append(call((local - timedelta(days=int(days))).replace(hour=12, minute=0, second=0, microsecond=0),
                        "conversation"))
    return sorted(out, key=lambda e: e["at"])


def _action(data: dict) -> dict:
    channel = data.get("channel") or "call"
    action: dict = {"channel": channel, "recipient": "consumer", "debt_ids": ["D1"], "purpose": "collection"}
    if channel in ("call", "sms"):
        action.update(to=PHONE, dialer=data.get("dialer") or "manual_live_agent")
        if channel == "sms":
            action.update(platform=action.pop("dialer"), includes_opt_out_notice=True)
    elif channel == "email":
        action.update(to=EMAIL, platform="manual", includes_opt_out_notice=True)
    elif channel == "letter":
        action.update(letter_type="collection_demand", addressed_to=data.get("name") or "Pat Doe",
                      content={"threatens_legal_action": False},
                      envelope={"exterior_text": [t.strip() for t in (data.get("envelope_text") or "").split(";")
                                                  if t.strip()], "return_name": "Northstar Recovery LLC"})
    elif channel == "credit_report":
        action.update(report_type="initial", recipient="cra",
                      metro2={"account_status": "93", "current_balance": data.get("balance") or "0",
                              "date_of_first_delinquency": data.get("date_of_first_delinquency") or None})
    if channel == "call" and data.get("voicemail_elements"):
        action["voicemail_if_unanswered"] = {"script_elements": list(data["voicemail_elements"])}
    return action


def scenario_context(data: dict) -> dict:
    """The engine context for the simulator form's cleaned data (see ``SimulatorScenarioForm``)."""
    zone = ZoneInfo(data.get("address_zone") or "America/New_York")
    phone_zone = data.get("phone_zone") or zone.key
    local_now = data["now"]
    now = local_now.replace(tzinfo=zone) if local_now.tzinfo is None else local_now
    kind = data.get("debt_kind") or "consumer"
    debtor_kind = data.get("debtor_kind") or "person"
    debt = {"id": "D1", "type": {"medical": "medical", "commercial": "commercial"}.get(kind, "credit_card"),
            "purpose": "business" if kind == "commercial" else "personal_family_household",
            "medical": kind == "medical", "current_creditor": "Acme Bank, N.A.",
            "original_creditor": "Acme Bank, N.A.", "balance": str(data.get("balance") or "1843.27"),
            "original_balance": str(data.get("balance") or "1843.27"),
            "date_of_first_delinquency": data.get("date_of_first_delinquency") or "2024-08-15",
            "statute_of_limitations_expires_on": "2030-08-15", "obligors": ["CON-1"]}
    if kind == "medical":
        debt.update(date_of_service=debt["date_of_first_delinquency"], creditor_classification_metro2="02",
                    insurance_status="pending" if data.get("insurance_pending") else "none")
    received = (now - timedelta(days=3)).isoformat()
    consumer = {
        "id": "CON-1", "kind": debtor_kind, "name": data.get("name") or "Pat Doe", "state": data.get("state") or "GA",
        "city": data.get("city") or "", "address_timezone": zone.key, "location_known": True,
        "deceased": bool(data.get("deceased")),
        "phones": [{"number": PHONE, "area_code": "404", "area_code_timezone": phone_zone,
                    "line_type": data.get("line_type") or "cell", "is_workplace": False, "status": "active",
                    "tcpa_prior_express_consent": bool(data.get("tcpa_consent"))}],
        "emails": [{"address": EMAIL, "is_work_email": bool(data.get("work_email")),
                    "acquired_via": "creditor" if data.get("work_email") else "consumer_emailed_collector",
                    "consumer_emailed_collector_from_this_address_at":
                        None if data.get("work_email") else (now - timedelta(days=30)).isoformat()}],
        "medium_opt_outs": [{"medium": data["channel"], "requested_at": received}] if data.get("opted_out") else [],
        "attorney": {"name": "Dana Whitfield, Esq.", "known_since": received} if data.get("attorney") else None,
        "direct_prior_consents": [], "related_persons": [], "inconvenient_times": [], "inconvenient_places": [],
    }
    facts = {
        "now": now.isoformat(),
        "collector": {"type": "third_party_debt_collector", "name": "Northstar Recovery LLC"},
        "consumer": consumer,
        "debts": [debt],
        "initial_communication": {"at": (now - timedelta(days=60)).isoformat(), "channel": "letter"},
        "validation_notice": {"provided_at": (now - timedelta(days=60)).isoformat(), "method": "mail",
                              "addressed_to": consumer["name"]},
        "disputes": [{"received_at": received, "method": "mail", "debt_ids": ["D1"]}]
        if data.get("dispute") else [],
        "cease_notice": {"received_at": received, "method": "mail"} if data.get("cease") else None,
        "bankruptcy": {"debtor_ids": ["CON-1"], "chapter": 7, "petition_filed_on": received[:10],
                       "status": "pending", "notice_received_at": received} if data.get("bankruptcy") else None,
        "contact_history": _history(now, zone, data),
        "credit_reporting": {"previously_furnished": False, "undeliverable_notices": []},
    }
    if data.get("dispute"):  # a dispute inside the validation period: the notice went out 10 days ago
        facts["validation_notice"]["provided_at"] = (now - timedelta(days=10)).isoformat()
        facts["initial_communication"]["at"] = facts["validation_notice"]["provided_at"]
    return {"id": "simulated", "facts": facts, "action": _action(data)}


def _kind(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    return {str: "text", dict: "object", list: "list"}.get(type(value), type(value).__name__)


def shapes_seen(contexts) -> dict[str, set[str]]:
    """For each part of a context (``facts.debts[].balance``), the JSON kinds the given contexts hold there."""
    seen: dict[str, set[str]] = {}

    def walk(path: str, value) -> None:
        seen.setdefault(path, set()).add(_kind(value))
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(f"{path}.{key}", inner)
        elif isinstance(value, list):
            for inner in value:
                walk(f"{path}[]", inner)

    for context in contexts:
        for part in ("facts", "action"):
            walk(part, context.get(part))
    return seen


CONTAINERS = ("object", "list")


def shape_problem(context: dict, seen: dict[str, set[str]]) -> tuple[str, set[str]] | None:
    """The first part of a pasted context whose kind the engine cannot read, judged against the worked
    examples (``shapes_seen``): an object or a list where the examples hold something else, or text,
    a number or true/false where they hold an object or a list. ``(part, the kinds it may be)``,
    e.g. ``("facts.debts", {"list"})``; None when nothing is out of shape."""
    def check(path: str, value) -> tuple[str, set[str]] | None:
        kinds, kind = seen.get(path), _kind(value)
        if kinds and kind not in kinds and (kinds & set(CONTAINERS) or kind in CONTAINERS):
            return path, kinds
        if isinstance(value, dict):
            return next((p for key, inner in value.items() if (p := check(f"{path}.{key}", inner))), None)
        if isinstance(value, list):
            return next((p for inner in value if (p := check(f"{path}[]", inner))), None)
        return None

    return check("facts", context.get("facts")) or check("action", context.get("action"))
