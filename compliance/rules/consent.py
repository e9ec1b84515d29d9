"""Shared readings of contact history and direct prior consents (not rules themselves)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from compliance.context import Context, get_zone, lower, parse_clock, parse_datetime

NOT_CONNECTED_OUTCOMES = {
    "busy_signal", "busy", "number_not_in_service", "not_in_service", "not_connected",
    "fast_busy", "failed", "failed_to_connect", "invalid_number",
}
FREQUENCY_CONSENT_TYPES = {
    "", "call", "calls", "telephone", "call_frequency", "additional_calls", "callback",
    "call_back", "contact", "communication",
}
# any consent naming calls or contact in general (not only a time, a place, email or texts)
FREQUENCY_CONSENT_WORDS = ("call", "phone", "telephone", "contact", "communicat", "frequency", "follow")
TIME_CONSENT_TYPES = {"time_of_day", "time", "inconvenient_time", "call_time", "contact_time"}
PLACE_CONSENT_TYPES = {"place", "workplace", "work", "inconvenient_place", "work_phone"}
WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def entry_channel(entry: dict) -> str:
    raw = lower(entry.get("channel"))
    return {"text": "sms", "mail": "letter", "phone": "call", "voice": "call"}.get(raw, raw)


def is_call(entry: dict) -> bool:
    return entry_channel(entry) in {"call", "voicemail"}


def is_outbound(entry: dict) -> bool:
    return lower(entry.get("direction")) != "inbound"


def is_conversation(entry: dict) -> bool:
    return is_call(entry) and "conversation" in lower(entry.get("outcome"))


def entry_at(entry: dict) -> datetime | None:
    return parse_datetime(entry.get("at"))


def entry_debt_keys(ctx: Context, entry: dict) -> set[str]:
    """Particular debts a contact was about (no debt list: every debt, conservatively)."""
    return ctx.debt_keys(entry.get("debts_discussed") or entry.get("debt_ids"))


def in_dates(ctx: Context, entry: dict, first: date, last: date) -> bool:
    at = entry_at(entry)
    return at is not None and first <= ctx.date(at) <= last


def weekday_matches(days: list | None, moment: datetime) -> bool:
    if not days:
        return True
    return WEEKDAYS[moment.weekday()] in {lower(d)[:3] for d in days if isinstance(d, str)}


def clock_window_covers(spec: dict, moment: datetime, ctx: Context,
                        start_key: str = "start_local", end_key: str = "end_local") -> bool:
    """Whether ``moment`` falls inside a local ``[start, end)`` window (wrapping midnight)."""
    zone = get_zone(spec.get("timezone")) or ctx.home_zone
    local = moment.astimezone(zone)
    start, end = parse_clock(spec.get(start_key)), parse_clock(spec.get(end_key))
    if start is None or end is None:
        return False
    now_t = local.time()
    if start < end:
        return weekday_matches(spec.get("days_of_week"), local) and start <= now_t < end
    if now_t >= start:  # wraps midnight: the evening part belongs to the listed day
        return weekday_matches(spec.get("days_of_week"), local)
    return now_t < end and weekday_matches(spec.get("days_of_week"), local - timedelta(days=1))


def consent_kind(consent: dict) -> str:
    return lower(consent.get("type") or consent.get("scope") or consent.get("kind"))


def consent_giver(ctx: Context, consent: dict) -> str:
    """Who gave a consent, as a person key ("consumer" for the consumer themself)."""
    by = (consent.get("given_directly_by") or consent.get("given_by") or consent.get("person_id")
          or consent.get("related_person_id") or "consumer")
    if by in ("consumer", "self", ctx.consumer.get("id")) or lower(by) in {"consumer", "self"} or (
            lower(by) == lower(ctx.consumer.get("name")) and by):
        return "consumer"
    return str(by)


def is_direct(consent: dict) -> bool:
    """Given directly to the debt collector (not to the creditor or anyone else)."""
    if consent.get("given_directly") is False or consent.get("direct") is False:
        return False
    to = lower(consent.get("to") or consent.get("given_to"))
    return not any(word in to for word in ("creditor", "original", "lender", "seller", "prior_collector"))


def _live(ctx: Context, consent: dict, at: datetime) -> bool:
    given = parse_datetime(consent.get("given_at"))
    if given is None or given > at:
        return False
    revoked = parse_datetime(consent.get("revoked_at"))
    return not (revoked and revoked <= at) and is_direct(consent)


def _direct_and_live(ctx: Context, consent: dict, at: datetime, person_key: str) -> bool:
    """A live consent given directly to the collector by the person contacted.

    For a contact with the consumer, a consent given by someone 1006.6(a) treats as the consumer
    (spouse, parent of a minor, guardian, the estate's representative, a confirmed successor)
    counts as the consumer's own.
    """
    if not _live(ctx, consent, at):
        return False
    by = consent_giver(ctx, consent)
    if by == person_key:
        return True
    return person_key == "consumer" and ctx.consumer_side_person(by)


def consumer_consent_to_third_party(ctx: Context, target_key: str) -> dict | None:
    """1006.6(d)(1): the consumer's direct prior consent to communicate with this third party.

    Only the consumer (or someone 1006.6(a) treats as the consumer) can give it; a third
    party's own wish to be called is not the consumer's consent.
    """
    for consent in ctx.consents:
        kind = consent_kind(consent)
        if not any(w in kind for w in ("third_party", "disclos", "contact_other", "speak_with", "talk_to")):
            continue
        if not _live(ctx, consent, ctx.now) or not ctx.consumer_side_person(consent_giver(ctx, consent)):
            continue
        scope = consent.get("third_party_id") or consent.get("related_person_id") or consent.get("with_person_id")
        if not scope or ctx.person_key({"third_party_id": scope}) == target_key:
            return consent
    return None


def consent_covers_debts(ctx: Context, consent: dict, keys: set[str]) -> bool:
    return not consent.get("debt_ids") or bool(ctx.debt_keys(consent["debt_ids"]) & keys)


def time_slot_covers(ctx: Context, consent: dict, at: datetime) -> bool:
    """A consent naming a time (``consented_at_local``) or a local window covers ``at``."""
    slot = parse_datetime(consent.get("consented_at_local") or consent.get("consented_at"))
    if slot is not None:
        tolerance = timedelta(minutes=ctx.federal.get("consented_time_tolerance_minutes") or 0)
        return abs(at - slot) <= tolerance
    until = ctx.date(consent.get("until") or consent.get("expires_on"))
    if until is not None and ctx.date(at) > until:
        return False
    return clock_window_covers(consent, at, ctx)


def consent_allows_time(ctx: Context, at: datetime, person_key: str) -> dict | None:
    """FED-TIME-03(a): a direct prior consent to be contacted at this time."""
    for consent in ctx.consents:
        if consent_kind(consent) in TIME_CONSENT_TYPES and _direct_and_live(
                ctx, consent, at, person_key) and consent_covers_debts(ctx, consent, ctx.action_debt_keys) \
                and time_slot_covers(ctx, consent, at):
            return consent
    return None


def consent_allows_place(ctx: Context, person_key: str) -> dict | None:
    for consent in ctx.consents:
        if consent_kind(consent) in PLACE_CONSENT_TYPES and _direct_and_live(
                ctx, consent, ctx.now, person_key):
            return consent
    return None


def consent_covers_call(ctx: Context, at: datetime, person_key: str, keys: set[str]) -> bool:
    """FED-FREQ-03(i): a call placed within 7 days of a direct prior consent to it.

    The consent date is day 1; the consent ends early when revoked or once a telephone
    conversation with the person happens after it (comment 14(b)(3)(i)-2).
    """
    window = ctx.federal.get("consent_window_days") or 7
    for consent in ctx.consents:
        kind = consent_kind(consent)
        if not _direct_and_live(ctx, consent, at, person_key) or not consent_covers_debts(ctx, consent, keys):
            continue
        given = parse_datetime(consent["given_at"])
        if not 0 <= (ctx.date(at) - ctx.date(given)).days < window:
            continue
        if kind in TIME_CONSENT_TYPES:
            if not time_slot_covers(ctx, consent, at):
                continue
        elif kind not in FREQUENCY_CONSENT_TYPES and (
                not any(w in kind for w in FREQUENCY_CONSENT_WORDS) or kind in PLACE_CONSENT_TYPES
                or any(w in kind for w in ("third_party", "email", "text", "sms", "electronic"))):
            continue
        used = any(is_conversation(e) and ctx.person_key(e) == person_key
                   and given < entry_at(e) < at for e in ctx.history if entry_at(e))
        if not used:
            return True
    return False
