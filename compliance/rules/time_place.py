"""Time and place of contact (15 USC 1692c(a)(1), (3); 12 CFR 1006.6(b)(1))."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from compliance.context import Context, get_zone, lower, parse_clock, parse_datetime
from compliance.rules.base import Rule, Violation
from compliance.rules.consent import clock_window_covers, consent_allows_place, consent_allows_time


def _window(ctx: Context) -> tuple[time, time]:
    spec = ctx.federal.get("contact_window") or {}
    return parse_clock(spec.get("start"), time(8)), parse_clock(spec.get("end"), time(21))


def _next_start(local: datetime, start: time, zone: ZoneInfo) -> datetime:
    day = local.date() if local.time() < start else local.date() + timedelta(days=1)
    return datetime.combine(day, start, tzinfo=zone)


def next_lawful_instant(zones: list[ZoneInfo], moment: datetime, start: time, end: time) -> datetime | None:
    """Earliest instant >= moment inside [start, end) local time in every zone."""
    for _ in range(16):
        failing = [z for z in zones if not start <= moment.astimezone(z).time() < end]
        if not failing:
            return moment
        moment = max(_next_start(moment.astimezone(z), start, z) for z in failing)
    return None  # zones too far apart for any common window


def _time_exception(ctx: Context) -> str | None:
    if ctx.action_flag("court_permission", "court_order_permits_time"):
        return "court permission"
    if consent_allows_time(ctx, ctx.now, ctx.target_key):
        return "direct prior consent"
    return None


class InconvenientTime(Rule):
    """FED-TIME-01/01a: only [08:00, 21:00) local time in every candidate zone.

    15 USC 1692c(a)(1); 12 CFR 1006.6(b)(1)(i): absent knowledge to the contrary, a time
    "before 8:00 a.m. and after 9:00 p.m. local time at the consumer's location" is
    inconvenient. [POL] 21:00:00 itself is blocked. When the collector's information points to
    several zones (address, area codes of every phone on file, the number called) the contact
    must be convenient in all of them (comment 6(b)(1)(i)); a location the consumer states
    replaces them. Calls, texts, emails and other electronic messages are judged when sent;
    letters are not time-gated. Exceptions: direct prior consent, court permission (1006.6(b)(4)).
    """

    id = "FED-TIME-01"

    rule_set = "fdcpa"
    reason = "INCONVENIENT_TIME"
    citation = "15 USC 1692c(a)(1); 12 CFR 1006.6(b)(1)(i); comment 6(b)(1)(i)"
    time_based = True

    def _zones(self, ctx: Context) -> list[ZoneInfo]:
        return [get_zone(n) for n in ctx.candidate_zone_names()]

    def check(self, ctx: Context) -> list[Violation]:
        if not ctx.is_time_gated or ctx.recipient_kind == "professional" or _time_exception(ctx):
            return []
        if not ctx.federal.get("contact_window"):
            return []
        start, end = _window(ctx)
        zones = self._zones(ctx)
        nxt = next_lawful_instant(zones, ctx.now, start, end)
        out = []
        for zone in zones:
            local = ctx.now.astimezone(zone)
            if start <= local.time() < end:
                continue
            when = (f"next lawful time {nxt.astimezone(zone).isoformat(timespec='minutes')[:16]} local"
                    if nxt else "no time is lawful in every candidate zone")
            out.append(self.fail(
                f"{local:%H:%M} in {zone.key} is outside {start:%H:%M}\u2013{end:%H:%M}; {when}."))
        return out

    def earliest(self, ctx: Context) -> datetime | None:
        start, end = _window(ctx)
        return next_lawful_instant(self._zones(ctx), ctx.now, start, end)


def _designations(ctx: Context) -> list[dict]:
    person = ctx.target_person if ctx.recipient_kind == "consumer" and ctx.target_person else ctx.consumer
    items = [i for i in person.get("inconvenient_times") or [] if isinstance(i, dict)]
    live = []
    for item in items:
        if item.get("one_time") or item.get("applies_to_single_contact"):
            continue  # "I'm busy right now" covers only that contact (comment 6(b)(1)-1)
        stated = parse_datetime(item.get("stated_at"))
        withdrawn = parse_datetime(item.get("withdrawn_at") or item.get("revoked_at"))
        media = {lower(m) for m in item.get("channels") or item.get("media") or []}
        if (stated and stated > ctx.now) or (withdrawn and withdrawn <= ctx.now):
            continue
        if media and ctx.channel not in media:
            continue
        live.append(item)
    return live


def _covering(ctx: Context) -> list[dict]:
    out = []
    for item in _designations(ctx):
        spec = {**item, "start_local": item.get("start_local") or item.get("start"),
                "end_local": item.get("end_local") or item.get("end")}
        if item.get("all_day"):
            spec.update(start_local="00:00", end_local="24:00")
        if clock_window_covers(spec, ctx.now, ctx):
            out.append(spec)
    return out


class ConsumerDesignatedTime(Rule):
    """FED-TIME-02/03: times the consumer said are inconvenient.

    12 CFR 1006.6(b)(1); comment 6(b)(1)-1: the consumer need not say "inconvenient";
    "don't call me before noon" is enough. Exceptions (1006.6(b)(4); comment 6(b)(1)-2):
    direct prior consent, court permission, or one same-medium response when the consumer
    initiated contact at that time.
    """

    id = "FED-TIME-02"

    rule_set = "fdcpa"
    reason = "CONSUMER_DESIGNATED_INCONVENIENT_TIME"
    citation = "15 USC 1692c(a)(1); 12 CFR 1006.6(b)(1), (b)(4); comment 6(b)(1)-1, -2"
    time_based = True

    def check(self, ctx: Context) -> list[Violation]:
        if not ctx.is_time_gated or ctx.recipient_kind == "professional" or _time_exception(ctx):
            return []
        if ctx.responding_to_consumer:
            return []
        out = []
        for spec in _covering(ctx):
            zone = get_zone(spec.get("timezone")) or ctx.home_zone
            days = ",".join(map(str, spec.get("days_of_week") or [])) or "every day"
            said = f' ("{spec["statement"]}")' if spec.get("statement") else ""
            out.append(self.fail(
                f"{ctx.now.astimezone(zone):%a %H:%M} in {zone.key} falls in the consumer's "
                f"inconvenient window {days} {spec['start_local']}\u2013{spec['end_local']}{said}."))
        return out

    def earliest(self, ctx: Context) -> datetime | None:
        ends = []
        for spec in _covering(ctx):
            zone = get_zone(spec.get("timezone")) or ctx.home_zone
            local = ctx.now.astimezone(zone)
            start, end, day = parse_clock(spec["start_local"]), parse_clock(spec["end_local"]), local.date()
            if end == time.max:
                end, day = time(0), day + timedelta(days=1)
            elif not (start < end or local.time() < end):
                day += timedelta(days=1)  # evening part of a window that wraps midnight
            ends.append(datetime.combine(day, end, tzinfo=zone))
        return max(ends) if ends else None


def _workplace_target(ctx: Context) -> str | None:
    phone = ctx.target_phone
    if ctx.channel in {"call", "voicemail", "sms"} and phone.get("is_workplace"):
        return f"{phone.get('number')} is a workplace number"
    email = ctx.email(ctx.action.get("to"))
    if ctx.channel == "email" and email and email.get("is_work_email"):
        return f"{email.get('address')} is a work email address"
    if "work" in lower(ctx.action.get("place")) or ctx.action_flag("to_is_workplace", "at_workplace"):
        return "the contact is at the consumer's workplace"
    return None


class Workplace(Rule):
    """FED-PLACE-01: no contact at work when the employer forbids it or the consumer objects.

    15 USC 1692c(a)(3); 12 CFR 1006.6(b)(1)(ii), (b)(3): a collector may not communicate at
    the consumer's place of employment if it knows or has reason to know the employer
    prohibits it, nor at a place it knows is inconvenient. A state's shorter life for an oral
    request (MA 209 CMR 18.16(1)(c): 10 days) never relaxes the federal rule (1006.104).
    """

    id = "FED-PLACE-01"

    rule_set = "fdcpa"
    reason = "INCONVENIENT_PLACE_WORKPLACE"
    citation = "15 USC 1692c(a)(1), (a)(3); 12 CFR 1006.6(b)(1)(ii), (b)(3); 12 CFR 1006.104"

    def check(self, ctx: Context) -> list[Violation]:
        if not ctx.is_communication or ctx.recipient_kind == "professional" or ctx.responding_to_consumer:
            return []
        where = _workplace_target(ctx)
        if not where:
            return []
        grounds = []
        if ctx.consumer.get("workplace_contact_prohibited"):
            grounds.append("the employer prohibits such contact")
        for place in ctx.consumer.get("inconvenient_places") or []:
            if not isinstance(place, dict) or "work" not in lower(place.get("place")):
                continue
            stated = parse_datetime(place.get("stated_at"))
            if stated and stated > ctx.now:
                continue
            consent = consent_allows_place(ctx, ctx.target_key)
            if consent and stated and parse_datetime(consent.get("given_at")) > stated:
                continue
            said = f' ("{place["statement"]}")' if place.get("statement") else ""
            grounds.append(f"the consumer said on {ctx.date(stated) if stated else 'record'} "
                           f"({place.get('method') or 'unspecified method'}) that work is inconvenient{said}")
        if not grounds:
            return []
        return [self.fail(f"Workplace contact blocked: {where} and " + "; ".join(grounds) + ".")]


RULES = [InconvenientTime(), ConsumerDesignatedTime(), Workplace()]
