"""State overlays that are stricter than federal law (12 CFR 1006.104; 15 USC 1692n).

STATE-CA-01 (Rosenthal Act coverage of original creditors, Civ. 1788.2(c), 1788.17) needs no
separate check: [POL] the engine applies every federal gate to first-party accounts too.
California's time-barred notice and medical ban live in time_barred.py and medical.py.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from compliance.context import ELECTRONIC_CHANNELS, Context, lower, parse_clock
from compliance.rules.base import Rule, Violation
from compliance.rules.consent import (
    NOT_CONNECTED_OUTCOMES,
    entry_channel,
    entry_debt_keys,
    in_dates,
    is_outbound,
)

REACHED_OUTCOMES = ("conversation", "answered", "voicemail", "prerecorded_message_delivered")
FAILED = ("fail", "bounce", "undeliverable", "returned")
LEGALLY_REQUIRED = {"validation_notice", "verification", "debt_verification", "opt_out_confirmation"}
WORK_LINE_TYPES = {"landline_business", "business", "work"}
RESIDENCE_LINE_TYPES = {"landline_residential", "residential", "landline"}


def _consumer_requested(item: dict) -> bool:
    return bool(item.get("consumer_requested") or item.get("responding_to_consumer_initiated_contact"))


def _reached(entry: dict) -> bool:
    """A call that reached a person or voicemail, or a written/electronic message that went out."""
    outcome = lower(entry.get("outcome"))
    if entry_channel(entry) in {"call", "voicemail"}:
        return any(k in outcome for k in REACHED_OUTCOMES)
    return not any(k in outcome for k in FAILED)


def _count(ctx: Context, day, days: int, keep) -> int:
    first = day - timedelta(days=days - 1)
    return sum(1 for e in ctx.history if is_outbound(e) and not _consumer_requested(e)
               and in_dates(ctx, e, first, day) and keep(e))


def _first_day_under(ctx: Context, days: int, cap: int, keep) -> datetime | None:
    for offset in range(1, days + 1):
        day = ctx.today + timedelta(days=offset)
        if _count(ctx, day, days, keep) + 1 <= cap:
            return ctx.midnight(day)
    return None


class MassachusettsCallLimit(Rule):
    """STATE-MA-01: at most 2 telephone communications per 7 days (residence/cell), 2 per 30 (other).

    209 CMR 18.16(1)(d) (collectors) and 940 CMR 7.04(1)(f) (creditors): initiating a
    communication by telephone (live, text or recorded audio) "in excess of two ... in each
    seven-day period" to the residence, cellular or other telephone number provided as a
    personal number, or "in excess of two ... in each 30-day period" to other numbers, per
    debt; consumer-requested contacts are exempt. [POL] Calls that reach voicemail or are
    answered and delivered texts count (Watkins v. Glenn Assocs., 2016).
    """

    id = "STATE-MA-01"

    rule_set = "state_consumer"
    reason = "STATE_MA_CALL_LIMIT"
    citation = "209 CMR 18.16(1)(a), (c), (d), 18.17(6); 940 CMR 7.04(1)(f)"
    time_based = True

    def _bucket(self, ctx: Context, number) -> str:
        phone = ctx.phone(number) or {}
        work = phone.get("is_workplace") or lower(phone.get("line_type")) in WORK_LINE_TYPES
        return "call_limit_other_numbers" if work else "call_limit_residence_or_cell"

    def _setup(self, ctx: Context):
        if ctx.state != "MA" or ctx.channel not in {"call", "voicemail", "sms"} or not ctx.to_consumer_side:
            return None
        if _consumer_requested(ctx.action) or ctx.responding_to_consumer:
            return None
        bucket = self._bucket(ctx, ctx.action.get("to"))
        spec = ctx.state_rule("MA", bucket)
        if not spec:
            return None

        def keep_for(key):
            return lambda e: (entry_channel(e) in {"call", "voicemail", "sms"} and _reached(e)
                              and ctx.person_key(e) == ctx.target_key and key in entry_debt_keys(ctx, e)
                              and self._bucket(ctx, e.get("to_or_from")) == bucket)
        return bucket, int(spec["max"]), int(spec["days"]), keep_for

    def check(self, ctx: Context) -> list[Violation]:
        setup = self._setup(ctx)
        if not setup:
            return []
        bucket, cap, days, keep_for = setup
        out = []
        for key in sorted(ctx.action_debt_keys):
            n = _count(ctx, ctx.today, days, keep_for(key))
            if n + 1 > cap:
                kind = "other numbers" if bucket.endswith("other_numbers") else "residence or cell"
                out.append(self.fail(f"Massachusetts allows {cap} telephone communications per {days} days to "
                                     f"{kind} about debt {key}; {n} already made."))
        return out

    def earliest(self, ctx: Context) -> datetime | None:
        setup = self._setup(ctx)
        if not setup:
            return None
        _, cap, days, keep_for = setup
        found = [_first_day_under(ctx, days, cap, keep_for(k)) for k in ctx.action_debt_keys]
        return None if not found or None in found else max(found)


class WashingtonCommunicationLimit(Rule):
    """STATE-WA-01: WA harassment presumptions: >3 per week, >1 per week at work, 9 pm-7:30 am at home.

    RCW 19.16.250(13): communicating with the debtor or spouse more than three times in a
    single week, at the debtor's place of employment more than once in a single week, or at
    the residence between 9:00 p.m. and 7:30 a.m. is presumed harassment; responding to the
    debtor is exempt. [POL] A week is the rolling 7 local dates ending today.
    """

    id = "STATE-WA-01"

    rule_set = "state_consumer"
    reason = "STATE_WA_COMM_LIMIT"
    citation = "RCW 19.16.250(13); WA DFI guidance"
    time_based = True

    def _applies(self, ctx: Context) -> bool:
        return (ctx.state == "WA" and ctx.is_communication and ctx.to_consumer_side
                and not ctx.responding_to_consumer and not _consumer_requested(ctx.action))

    def _workplace(self, ctx: Context, entry: dict) -> bool:
        phone = ctx.phone(entry.get("to_or_from") or entry.get("to")) or {}
        email = ctx.email(entry.get("to_or_from") or entry.get("to")) or {}
        return bool(phone.get("is_workplace") or email.get("is_work_email") or "work" in lower(entry.get("place")))

    def _keep_all(self, ctx: Context):
        return lambda e: entry_channel(e) in {"call", "voicemail", "sms", "email", "letter", "visit"} and _reached(e) \
            and ctx.person_key(e) not in {"consumer_attorney", "creditor", "cra"}

    def _parts(self, ctx: Context) -> list[tuple[str, datetime | None]]:
        if not self._applies(ctx):
            return []
        parts = []
        limit = ctx.state_rule("WA", "communication_limit")
        keep = self._keep_all(ctx)
        if limit and _count(ctx, ctx.today, int(limit["days"]), keep) + 1 > int(limit["max"]):
            parts.append((f"more than {limit['max']} communications in {limit['days']} days",
                          _first_day_under(ctx, int(limit["days"]), int(limit["max"]), keep)))
        work = ctx.state_rule("WA", "workplace_limit")
        if work and self._workplace(ctx, ctx.action):
            keep_work = lambda e: keep(e) and self._workplace(ctx, e)  # noqa: E731
            if _count(ctx, ctx.today, int(work["days"]), keep_work) + 1 > int(work["max"]):
                parts.append((f"more than {work['max']} workplace communication in {work['days']} days",
                              _first_day_under(ctx, int(work["days"]), int(work["max"]), keep_work)))
        quiet = ctx.state_value("WA", "residence_quiet_hours")
        line = lower(ctx.target_phone.get("line_type"))
        at_home = (ctx.channel == "call" and line in RESIDENCE_LINE_TYPES) or (
            ctx.channel == "visit" and "work" not in lower(ctx.action.get("place")))
        if quiet and at_home:
            start, end = parse_clock(quiet.get("start"), time(21)), parse_clock(quiet.get("end"), time(7, 30))
            local = ctx.now.astimezone(ctx.home_zone)
            if local.time() >= start or local.time() < end:
                day = local.date() + timedelta(days=local.time() >= start)
                parts.append((f"{local:%H:%M} at the residence is within {start:%H:%M}-{end:%H:%M}",
                              datetime.combine(day, end, tzinfo=ctx.home_zone)))
        return parts

    def check(self, ctx: Context) -> list[Violation]:
        return [self.fail(f"Washington: {text}.") for text, _ in self._parts(ctx)]

    def earliest(self, ctx: Context) -> datetime | None:
        parts = self._parts(ctx)
        if not parts or any(when is None for _, when in parts):
            return None
        return max(when for _, when in parts)


class NycElectronicConsent(Rule):
    """STATE-NYC-01: in New York City, electronic communication needs the consumer's consent.

    6 RCNY 5-77 (as amended, published 2024-08-12): a collector may communicate by email, text
    or social media only with the consumer's consent, and respond only through the channel the
    consumer used. The effective date is a policy-table value.
    """

    id = "STATE-NYC-01"

    rule_set = "state_consumer"
    reason = "STATE_NYC_ELECTRONIC_CONSENT"
    citation = "6 RCNY 5-77, 2-191, 2-193"

    def check(self, ctx: Context) -> list[Violation]:
        if not ctx.in_nyc or ctx.channel not in ELECTRONIC_CHANNELS or not ctx.to_consumer_side:
            return []
        if not ctx.state_rule("NYC", "electronic_consent_required") or ctx.responding_to_consumer:
            return []
        email = ctx.email(ctx.action.get("to")) or {}
        phone = ctx.target_phone
        if ctx.before_now(email.get("consumer_consented_to_electronic_comms_at")) or ctx.before_now(
                phone.get("electronic_comms_consent_at") or phone.get("sms_consent_at")):
            return []
        for consent in ctx.consents:
            kind = lower(consent.get("type"))
            if (("electronic" in kind or ctx.channel in kind) and ctx.before_now(consent.get("given_at"))
                    and not ctx.before_now(consent.get("revoked_at"))):
                return []
        return [self.fail(f"New York City consumer has not consented to {ctx.channel} communication.")]


class NycAttemptLimit(Rule):
    """STATE-NYC-02: at most 3 communication attempts per 7 days across all media, per creditor.

    6 RCNY 5-77 (as amended): attempts by any medium count; consumer-initiated and legally
    required contacts are excluded (verify exemptions with counsel).
    """

    id = "STATE-NYC-02"

    rule_set = "state_consumer"
    reason = "STATE_NYC_ATTEMPT_LIMIT"
    citation = "6 RCNY 5-77 (as amended)"
    time_based = True

    def _setup(self, ctx: Context):
        spec = ctx.state_rule("NYC", "attempt_limit")
        if not spec or not ctx.in_nyc or not ctx.is_communication or not ctx.to_consumer_side:
            return None
        if ctx.responding_to_consumer or {ctx.letter_type, ctx.purpose} & LEGALLY_REQUIRED:
            return None
        creditors = {d.get("current_creditor") for d in ctx.action_debts}

        def keep(e):
            debts = [ctx.debt(i) or {} for i in e.get("debt_ids") or []]
            same = not debts or any(d.get("current_creditor") in creditors for d in debts)
            return (same and ctx.person_key(e) == ctx.target_key
                    and lower(e.get("outcome")) not in NOT_CONNECTED_OUTCOMES
                    and not {lower(e.get("purpose")), lower(e.get("letter_type"))} & LEGALLY_REQUIRED)
        return int(spec["max"]), int(spec["days"]), keep

    def check(self, ctx: Context) -> list[Violation]:
        setup = self._setup(ctx)
        if not setup:
            return []
        cap, days, keep = setup
        n = _count(ctx, ctx.today, days, keep)
        if n + 1 <= cap:
            return []
        return [self.fail(f"New York City allows {cap} attempts per {days} days per creditor; {n} already made.")]

    def earliest(self, ctx: Context) -> datetime | None:
        setup = self._setup(ctx)
        return _first_day_under(ctx, setup[1], setup[0], setup[2]) if setup else None


RULES = [MassachusettsCallLimit(), WashingtonCommunicationLimit(), NycElectronicConsent(), NycAttemptLimit()]

