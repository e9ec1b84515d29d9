"""Lenient, read-only access to one evaluation context ``{"id", "facts", "action"}``.

Absent, null and empty fields all mean "none"; unknown fields are ignored. Nothing here reads
the clock: "now" is ``facts.now`` (or the instant passed to ``Context.at``).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from compliance.calendar import validation_period_end

UTC = UTC
CHANNEL_ALIASES = {
    "text": "sms", "text_message": "sms", "sms_message": "sms", "mms": "sms",
    "mail": "letter", "postal_mail": "letter", "postal": "letter", "letter_mail": "letter",
    "phone": "call", "voice": "call", "telephone": "call", "phone_call": "call", "outbound_call": "call",
    "ringless_voicemail": "voicemail", "voicemail_drop": "voicemail", "voice_message": "voicemail",
    "e-mail": "email", "electronic_mail": "email",
    "in_person": "visit", "home_visit": "visit", "field_visit": "visit",
    "social": "social_media", "social_media_message": "social_media", "direct_message": "social_media",
    "credit_reporting": "credit_report", "furnishing": "credit_report", "metro2": "credit_report",
    "credit_bureau": "credit_report", "suit": "lawsuit", "litigation": "lawsuit", "legal_action": "lawsuit",
}
TIME_GATED_CHANNELS = {"call", "voicemail", "sms", "email", "visit", "social_media", "chat", "push"}
COMMUNICATION_CHANNELS = TIME_GATED_CHANNELS | {"letter"}
KNOWN_CHANNELS = TIME_GATED_CHANNELS | {"letter", "credit_report", "lawsuit", "payment_allocation", "payment",
                                        "debt_sale", "sale", "transfer", "placement", "foreclosure",
                                        "repossession"}
ELECTRONIC_CHANNELS = {"sms", "email", "social_media", "chat", "push"}
PROFESSIONAL_RECIPIENTS = {
    "consumer_attorney", "attorney", "creditor", "creditor_attorney", "collector_attorney",
    "debt_collector_attorney", "cra", "consumer_reporting_agency", "credit_bureau",
}
CONSUMER_RELATIONSHIPS = (
    "consumer", "self", "spouse", "surviving_spouse", "guardian", "legal_guardian", "co_obligor", "co_signer",
    "co_maker", "cosigner", "joint_obligor",
)
SPOUSES = {"spouse", "surviving_spouse", "husband", "wife", "widow", "widower", "civil_union_partner",
           "domestic_partner_spouse"}
# "I am the executor" with nothing to show for it is not confirmation
WEAK_PR_EVIDENCE = {"none", "self_reported", "self_asserted", "oral_claim", "verbal_claim", "claimed", "unverified",
                    "no_document", "none_provided"}
TOLL_FREE_AREA_CODES = {"800", "833", "844", "855", "866", "877", "888"}
NYC_CITIES = {"new york", "new york city", "nyc", "manhattan", "brooklyn", "bronx", "the bronx",
              "queens", "staten island"}
NYC_ZIP_PREFIXES = ("100", "101", "102", "103", "104", "112", "113", "114", "116")


def parse_datetime(value: Any) -> datetime | None:
    """Aware datetime from an ISO string (naive values are taken as UTC); dates give None."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if not isinstance(value, str):
        return None
    text = value.strip().replace("Z", "+00:00").replace("z", "+00:00")
    # lenient: "2025-06-06 9:00", "2025-06-06T9:00:00-04:00" (single-digit hour)
    text = re.sub(r"^(\d{4}-\d{2}-\d{2})[T ](\d):", r"\g<1>T0\2:", text)
    text = re.sub(r"^(\d{4}-\d{2}-\d{2}) (\d{2}:)", r"\g<1>T\2", text)
    if "T" not in text:
        return None
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def get_zone(name: Any) -> ZoneInfo | None:
    if not name or not isinstance(name, str):
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def parse_clock(value: Any, default: time | None = None) -> time | None:
    """``HH:MM[:SS]`` to a time; ``24:00`` maps to ``time.max``."""
    if not isinstance(value, str) or not re.fullmatch(r"\d{1,2}:\d{2}(:\d{2})?", value):
        return default
    if value.startswith("24:"):
        return time.max
    return time.fromisoformat(value.zfill(5) if len(value) == 4 else value)


def as_dict(value: Any) -> dict:
    """The value if it is a JSON object, else an empty one (lenient reading)."""
    return value if isinstance(value, dict) else {}


def money(value: Any) -> Decimal | None:
    """A money amount as Decimal (JSON numbers and strings alike; floats via their repr), or None."""
    if value is None or isinstance(value, bool) or value == "":
        return None
    try:
        return Decimal(str(value).replace("$", "").replace(",", "").strip())
    except (InvalidOperation, ValueError):
        return None


def digits(number: Any) -> str:
    return re.sub(r"\D", "", str(number or ""))[-10:]


def lower(value: Any) -> str:
    return str(value or "").strip().lower()


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class Context:
    """One context, evaluated as of ``now``. ``at(t)`` gives the same facts as of ``t``."""

    def __init__(self, raw: dict, policy: dict, now: datetime | None = None):
        self.raw = raw if isinstance(raw, dict) else {}
        self.id = self.raw.get("id")
        self.facts: dict = as_dict(self.raw.get("facts"))
        self.action: dict = as_dict(self.raw.get("action"))
        self.policy = policy or {}
        self.now = now or parse_datetime(self.facts.get("now"))
        if self.now is None:
            raise ValueError(f"{self.id}: facts.now must be an ISO-8601 datetime with an offset")

    def at(self, when: datetime) -> Context:
        return Context(self.raw, self.policy, when)

    # --- policy -------------------------------------------------------------------------
    @property
    def federal(self) -> dict:
        return self.policy.get("federal") or {}

    def state_rule(self, jurisdiction: str, key: str) -> dict | None:
        """The policy entry if present and already effective on today's local date."""
        entry = ((self.policy.get("states") or {}).get(jurisdiction) or {}).get(key)
        if not isinstance(entry, dict):
            return None
        start = self.date(entry.get("effective_from"))
        return entry if start is None or start <= self.today else None

    def state_value(self, jurisdiction: str, key: str) -> Any:
        return ((self.policy.get("states") or {}).get(jurisdiction) or {}).get(key)

    # --- time ---------------------------------------------------------------------------
    @cached_property
    def home_zone(self) -> ZoneInfo:
        return get_zone(self.consumer.get("address_timezone")) or ZoneInfo("UTC")

    def date(self, value: Any, zone: ZoneInfo | None = None) -> date | None:
        """Calendar date of a date or datetime value (datetimes in ``zone``, default home)."""
        if isinstance(value, datetime):
            return value.astimezone(zone or self.home_zone).date()
        if isinstance(value, date):
            return value
        moment = parse_datetime(value)
        if moment:
            return moment.astimezone(zone or self.home_zone).date()
        if isinstance(value, str):
            try:
                return date.fromisoformat(value[:10])
            except ValueError:
                return None
        return None

    @cached_property
    def today(self) -> date:
        return self.now.astimezone(self.home_zone).date()

    def midnight(self, day: date, zone: ZoneInfo | None = None) -> datetime:
        return datetime.combine(day, time(0), tzinfo=zone or self.home_zone)

    def before_now(self, value: Any) -> bool:
        """True when a datetime/date value is at or before now (dates: on or before today)."""
        moment = parse_datetime(value)
        if moment:
            return moment <= self.now
        day = self.date(value)
        return day is not None and day <= self.today

    # --- facts --------------------------------------------------------------------------
    @cached_property
    def consumer(self) -> dict:
        return as_dict(self.facts.get("consumer"))

    @property
    def collector(self) -> dict:
        return as_dict(self.facts.get("collector"))

    @cached_property
    def debts(self) -> list[dict]:
        return [d for d in self.facts.get("debts") or [] if isinstance(d, dict)]

    @cached_property
    def history(self) -> list[dict]:
        entries = [e for e in self.facts.get("contact_history") or [] if isinstance(e, dict)]
        return [e for e in entries if (parse_datetime(e.get("at")) or self.now) <= self.now]

    @property
    def consents(self) -> list[dict]:
        return [c for c in self.consumer.get("direct_prior_consents") or [] if isinstance(c, dict)]

    @property
    def phones(self) -> list[dict]:
        return [p for p in self.consumer.get("phones") or [] if isinstance(p, dict)]

    @property
    def emails(self) -> list[dict]:
        return [e for e in self.consumer.get("emails") or [] if isinstance(e, dict)]

    @property
    def related_persons(self) -> list[dict]:
        return [p for p in self.consumer.get("related_persons") or [] if isinstance(p, dict)]

    @property
    def state(self) -> str:
        return str(self.consumer.get("state") or "").upper()

    @property
    def in_nyc(self) -> bool:
        flag = self.consumer.get("in_new_york_city")
        if flag is not None:
            return bool(flag)
        if self.state != "NY":
            return False
        return lower(self.consumer.get("city")) in NYC_CITIES or str(
            self.consumer.get("zip") or "").startswith(NYC_ZIP_PREFIXES)

    def debt(self, debt_id: Any) -> dict | None:
        return next((d for d in self.debts if d.get("id") == debt_id), None)

    def debt_key(self, debt_id: Any) -> str:
        """Particular-debt key: student loans under one servicing account are one debt."""
        account = (self.debt(debt_id) or {}).get("student_loan_servicing_account_at_acquisition")
        return f"student-loan-account:{account}" if account else str(debt_id)

    def debt_keys(self, debt_ids: Any) -> set[str]:
        ids = debt_ids or [d.get("id") for d in self.debts]
        return {self.debt_key(i) for i in ids}

    # --- action -------------------------------------------------------------------------
    @property
    def channel(self) -> str:
        raw = lower(self.action.get("channel"))
        return CHANNEL_ALIASES.get(raw, raw)

    @property
    def content(self) -> dict:
        return as_dict(self.action.get("content"))

    @property
    def purpose(self) -> str:
        return lower(self.action.get("purpose") or self.content.get("purpose"))

    @property
    def letter_type(self) -> str:
        return lower(self.action.get("letter_type"))

    @property
    def action_debts(self) -> list[dict]:
        ids = self.action.get("debt_ids")
        if not ids:
            return self.debts
        return [self.debt(i) or {"id": i} for i in ids]

    @property
    def action_debt_keys(self) -> set[str]:
        return self.debt_keys(self.action.get("debt_ids"))

    @property
    def content_flags(self) -> dict:
        return {**as_dict(self.content.get("content_flags")), **as_dict(self.action.get("content_flags"))}

    def action_flag(self, *names: str) -> bool:
        flags = self.content_flags
        return any(bool(self.action.get(n) or self.content.get(n) or flags.get(n)) for n in names)

    @property
    def legal_action_deadline(self) -> date | None:
        """``action.content.legal_action_deadline``: a date the message names for legal action."""
        return self.date(self.content.get("legal_action_deadline") or self.action.get("legal_action_deadline"))

    @property
    def threatens_legal_action(self) -> bool:
        return self.action_flag("threatens_legal_action", "threatens_lawsuit", "threatens_suit") or bool(
            self.content.get("legal_action_deadline") or self.action.get("legal_action_deadline"))

    @property
    def is_communication(self) -> bool:
        return self.channel in COMMUNICATION_CHANNELS

    @property
    def is_time_gated(self) -> bool:
        return self.channel in TIME_GATED_CHANNELS

    @property
    def is_validation_notice(self) -> bool:
        return "validation_notice" in (self.letter_type, self.purpose)

    @property
    def responding_to_consumer(self) -> bool:
        return self.action_flag("responding_to_consumer_initiated_contact",
                                "in_response_to_consumer_initiated_contact", "consumer_initiated")

    # --- recipient ----------------------------------------------------------------------
    def related_person(self, person_id: Any) -> dict | None:
        return next((p for p in self.related_persons if person_id and p.get("id") == person_id), None)

    @cached_property
    def consumer_is_minor(self) -> bool:
        """``consumer.is_minor``, else under 18 on today's date from ``consumer.date_of_birth``."""
        flag = self.consumer.get("is_minor", self.consumer.get("minor"))
        if flag is not None:
            return bool(flag)
        born = self.date(self.consumer.get("date_of_birth"))
        return born is not None and add_years(born, 18) > self.today

    def relationship_kind(self, person: dict) -> str:
        """``consumer`` for people 1006.6(a) treats as the consumer, else ``third_party``.

        Spouse (including a surviving spouse), parent of a minor, guardian, the executor,
        administrator or personal representative of a deceased consumer, and a confirmed
        successor in interest (1006.6(a)(1)-(5); comments 6(a)(1)-1, 6(a)(4)-1). A person
        recorded as not verified, or a representative whose evidence is only their own claim,
        is not confirmed and stays a third party.
        """
        if any(person.get("id") and person.get("id") in (d.get("obligors") or []) for d in self.debts):
            return "consumer"
        if person.get("verified") is False or person.get("confirmed") is False:
            return "third_party"
        rel = lower(person.get("relationship")).replace("-", "_").replace(" ", "_")
        if rel.startswith(("consumer", "self", "co_obligor", "co_signer", "cosigner", "co_maker", "joint_obligor")):
            return "consumer"
        if rel in SPOUSES or rel.startswith("spouse"):
            return "consumer"
        if rel.startswith(("guardian", "legal_guardian", "conservator")):
            return "consumer"
        if rel.startswith(("parent", "mother", "father")) and self.consumer_is_minor:
            return "consumer"
        if rel.startswith("successor_in_interest") and (person.get("verified") or person.get("confirmed")):
            return "consumer"
        if self.consumer.get("deceased") and self.is_personal_representative(person):
            return "consumer"
        return "third_party"

    def is_personal_representative(self, person: dict) -> bool:
        """Authorized to act for the estate (comment 6(a)(4)-1), shown by ``pr_evidence`` or the flag."""
        evidence = lower(person.get("pr_evidence"))
        if evidence in WEAK_PR_EVIDENCE:
            return False
        rel = lower(person.get("relationship"))
        return bool(person.get("is_personal_representative") or evidence
                    or rel.startswith(("executor", "administrator", "personal_representative")))

    def consumer_side_person(self, person_id: Any) -> bool:
        """Whether ``person_id`` is the consumer or someone 1006.6(a) treats as the consumer."""
        if person_id in (None, "", "consumer", "self") or person_id == self.consumer.get("id"):
            return True
        if lower(person_id) == lower(self.consumer.get("name")):
            return True
        person = self.related_person(person_id)
        return person is not None and self.relationship_kind(person) == "consumer"

    @cached_property
    def target_person(self) -> dict | None:
        """The related person the action is aimed at, when it is not the consumer."""
        third = as_dict(self.action.get("third_party"))
        found = (self.related_person(self.action.get("related_person_id"))
                 or self.related_person(self.action.get("recipient_person_id"))
                 or self.related_person(third.get("id")))
        if found:
            return {**third, **found} if third else found
        if third:
            return third
        # a number or address on file only for a related person reaches that person
        to = digits(self.action.get("to")) if "@" not in str(self.action.get("to") or "") else lower(
            self.action.get("to"))
        if to and not self.phone(self.action.get("to")) and not self.email(self.action.get("to")):
            for person in self.related_persons:
                points = [person.get("phone"), person.get("number"), person.get("email"),
                          *[p.get("number") if isinstance(p, dict) else p for p in person.get("phones") or []],
                          *[e.get("address") if isinstance(e, dict) else e for e in person.get("emails") or []]]
                if any(p and (digits(p) == to or lower(p) == to) for p in points):
                    return person
        return None

    @cached_property
    def recipient_kind(self) -> str:
        rec = lower(self.action.get("recipient")) or "consumer"
        if rec in PROFESSIONAL_RECIPIENTS:
            return "professional"
        if self.target_person and (self.target_person.get("relationship") or self.target_person.get("id")):
            if self.target_person.get("id") and self.target_person.get("id") == self.consumer.get("id"):
                return "consumer"
            return self.relationship_kind({"relationship": rec, **self.target_person})
        if rec == "consumer":
            return "consumer"
        if rec.startswith(("executor", "administrator", "personal_representative")):
            return "consumer" if self.consumer.get("deceased") else "third_party"
        if rec.startswith(("parent", "mother", "father")):
            return "consumer" if self.consumer_is_minor else "third_party"
        return "consumer" if rec.startswith(CONSUMER_RELATIONSHIPS) else "third_party"

    @property
    def to_consumer_side(self) -> bool:
        return self.recipient_kind == "consumer"

    def person_key(self, entry: dict) -> str:
        """Who a history entry or the action reached (consumer, related person, third party)."""
        third = entry.get("third_party") if isinstance(entry.get("third_party"), dict) else {}
        pid = (entry.get("recipient_person_id") or entry.get("related_person_id")
               or entry.get("third_party_id") or third.get("id"))
        if pid:
            return "consumer" if pid == self.consumer.get("id") else str(pid)
        rec = lower(entry.get("recipient")) or "consumer"
        if rec == "consumer" or rec in PROFESSIONAL_RECIPIENTS:
            return rec
        return f"{rec}:{digits(entry.get('to_or_from') or entry.get('to'))}"

    @cached_property
    def target_key(self) -> str:
        return self.person_key(self.action)

    def phone(self, number: Any) -> dict | None:
        wanted = digits(number)
        return next((p for p in self.phones if wanted and digits(p.get("number")) == wanted), None)

    def email(self, address: Any) -> dict | None:
        return next((e for e in self.emails if address and lower(e.get("address")) == lower(address)), None)

    @property
    def target_phone(self) -> dict:
        return self.phone(self.action.get("to")) or {}

    def candidate_zone_names(self) -> list[str]:
        """Zones the contacted person may be in (examples.json ``candidate_time_zones``)."""
        person = self.target_person if self.recipient_kind != "consumer" or self.target_person else None
        person = person or self.consumer
        stated = person.get("current_location_timezone_stated_by_consumer")
        if get_zone(stated):
            return [stated]
        names = [person.get("address_timezone"), person.get("timezone"),
                 person.get("phone_area_code_timezone"), person.get("area_code_timezone")]
        phones = self.phones if person is self.consumer else []
        for phone in [*phones, self.target_phone]:
            if str(phone.get("area_code") or "") not in TOLL_FREE_AREA_CODES and lower(
                    phone.get("line_type")) != "toll_free":
                names.append(phone.get("area_code_timezone"))
        names.append(self.action.get("to_area_code_timezone"))
        zones = list(dict.fromkeys(n for n in names if get_zone(n)))
        return zones or [self.home_zone.key]

    # --- validation period --------------------------------------------------------------
    @property
    def validation_notice(self) -> dict:
        return as_dict(self.facts.get("validation_notice"))

    @cached_property
    def validation_period(self) -> tuple[date, date] | None:
        """(start, end) of the validation period, or None if no notice has been provided."""
        notice = self.validation_notice
        start = self.date(notice.get("provided_at") or notice.get("sent_on"))
        if start is None:
            return None
        end = self.date(notice.get("stated_validation_period_end")) or validation_period_end(start)
        return start, end

    def window_dates(self, days: int) -> tuple[date, date]:
        """Dates D-(days-1)..D for today's local date D."""
        return self.today - timedelta(days=days - 1), self.today
