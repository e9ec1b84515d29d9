"""Telephone Consumer Protection Act (47 USC 227(b); 47 CFR 64.1200)."""

from __future__ import annotations

from datetime import datetime, timedelta

from compliance.context import Context, digits, lower
from compliance.rules.base import Rule, Violation
from compliance.rules.consent import entry_channel, in_dates, is_outbound

MANUAL_DIALERS = {"manual", "manual_live_agent", "manual_dial", "human", "click_to_dial",
                  "manual_click_to_dial", "live_agent"}
CELL_LINE_TYPES = {"cell", "mobile", "wireless", "voip", ""}
CONSUMER_SOURCES = {"consumer", "debtor", "consumer_provided", "application", "credit_application",
                    "creditor", "original_creditor", "creditor_record", "account_opening", "consumer_statement"}
RESIDENTIAL_LINE_TYPES = {"landline_residential", "residential", "landline"}


def dialer(ctx: Context) -> str:
    return lower(ctx.action.get("dialer") or ctx.action.get("platform"))


def prerecorded(ctx: Context) -> bool:
    d = dialer(ctx)
    return ctx.action_flag("prerecorded", "artificial_voice") or "prerecorded" in d or "artificial" in d


def automated(ctx: Context) -> bool:
    """[POL] every automated dialer or SMS platform is treated as needing consent."""
    if ctx.channel not in {"call", "voicemail", "sms"}:
        return False
    d = dialer(ctx)
    if prerecorded(ctx):
        return True
    if d:
        return d not in MANUAL_DIALERS
    return ctx.channel == "sms"


def line_type(ctx: Context) -> str:
    return lower(ctx.target_phone.get("line_type") or ctx.action.get("line_type"))


def revoked_at(ctx: Context):
    phone = ctx.target_phone
    if ctx.before_now(phone.get("tcpa_consent_revoked_at")):
        return phone["tcpa_consent_revoked_at"]
    for rev in ctx.consumer.get("tcpa_revocations") or []:
        if isinstance(rev, dict) and digits(rev.get("number")) == digits(ctx.action.get("to")) and ctx.before_now(
                rev.get("at") or rev.get("revoked_at")):
            return rev.get("at") or rev.get("revoked_at")
    return None


def consent_missing(ctx: Context) -> str | None:
    """None when the number has prior express consent; otherwise why not (for the message).

    Consent comes from the consumer providing the number in connection with the debt (FCC 2008
    ACA ruling) or agreeing directly. A number found by skip tracing or from a directory was
    not provided by the consumer, so a consent flag on it only counts when its source is the
    consumer's own statement (``phones[].number_source``, COMPLIANCE.md §3).
    """
    phone = ctx.target_phone
    if not phone.get("tcpa_prior_express_consent"):
        return ""
    source = lower(phone.get("number_source"))
    consent_source = lower(phone.get("tcpa_consent_source"))
    if source and source not in CONSUMER_SOURCES and not any(w in consent_source for w in ("consumer", "direct")):
        return f" (the number came from {source}, not from the consumer)"
    return None


class NoConsent(Rule):
    """TCPA-01: autodialed or prerecorded calls and texts to a cell need prior express consent.

    47 USC 227(b)(1)(A)(iii); 47 CFR 64.1200(a)(1): no call "using any automatic telephone
    dialing system or an artificial or prerecorded voice" to a cellular number without the
    called party's prior express consent. Consent given to the creditor in connection with the
    debt passes to the collector (FCC 2008 ACA ruling). [POL] Unknown line types are cells.
    """

    id = "TCPA-01"

    rule_set = "tcpa"
    reason = "TCPA_NO_CONSENT"
    citation = "47 USC 227(b)(1)(A)(iii); 47 CFR 64.1200(a)(1)"

    def check(self, ctx: Context) -> list[Violation]:
        if not automated(ctx) or line_type(ctx) not in CELL_LINE_TYPES:
            return []
        why = consent_missing(ctx)
        if why is None:
            return []
        return [self.fail(f"{dialer(ctx) or 'automated'} {ctx.channel} to {ctx.action.get('to')} "
                          f"({line_type(ctx) or 'unknown line, treated as cell'}) without prior express consent"
                          f"{why}.")]


class ResidentialPrerecordedLimit(Rule):
    """TCPA-02: at most 3 prerecorded non-telemarketing calls per 30 days to a residential line.

    47 CFR 64.1200(a)(3)(ii) (effective 2023-07-20): exempt prerecorded calls to a residential
    line without consent are limited to three within any consecutive 30-day period, each with
    an automated opt-out.
    """

    id = "TCPA-02"

    rule_set = "tcpa"
    reason = "TCPA_RESIDENTIAL_PRERECORDED_LIMIT"
    citation = "47 CFR 64.1200(a)(3)(ii)"
    time_based = True

    def _setup(self, ctx: Context):
        spec = ctx.federal.get("tcpa_residential_prerecorded")
        if not spec or ctx.channel not in {"call", "voicemail"} or not prerecorded(ctx):
            return None
        if line_type(ctx) not in RESIDENTIAL_LINE_TYPES:
            return None
        if consent_missing(ctx) is None and not revoked_at(ctx):
            return None
        start = ctx.date(spec.get("effective_from"))
        if start and ctx.today < start:
            return None
        number = digits(ctx.action.get("to"))

        def keep(e):
            d = lower(e.get("dialer"))
            return (entry_channel(e) in {"call", "voicemail"} and is_outbound(e)
                    and digits(e.get("to_or_from")) == number
                    and ("prerecorded" in d or "artificial" in d or e.get("prerecorded")
                         or lower(e.get("outcome")) == "prerecorded_message_delivered"))
        return int(spec["max_calls"]), int(spec["days"]), keep

    def _count(self, ctx: Context, day, days, keep) -> int:
        return sum(1 for e in ctx.history if keep(e) and in_dates(ctx, e, day - timedelta(days=days - 1), day))

    def check(self, ctx: Context) -> list[Violation]:
        setup = self._setup(ctx)
        if not setup:
            return []
        cap, days, keep = setup
        n = self._count(ctx, ctx.today, days, keep)
        if n + 1 <= cap:
            return []
        return [self.fail(f"{n} prerecorded calls to residential line {ctx.action.get('to')} in the last {days} "
                          f"days; at most {cap} are allowed without consent.")]

    def earliest(self, ctx: Context) -> datetime | None:
        setup = self._setup(ctx)
        if not setup:
            return None
        cap, days, keep = setup
        for offset in range(1, days + 1):
            day = ctx.today + timedelta(days=offset)
            if self._count(ctx, day, days, keep) + 1 <= cap:
                return ctx.midnight(day)
        return None


class ConsentRevoked(Rule):
    """TCPA-03: honour revocation of consent made by any reasonable means.

    47 CFR 64.1200(a)(10); FCC 24-18: consent may be revoked by any reasonable means ("STOP",
    "quit", "end", "revoke", "opt out", "cancel", "unsubscribe", key-press opt-outs) and must be
    honoured within 10 business days (effective 2025-04-11). [POL] The engine honours it at once.
    """

    id = "TCPA-03"

    rule_set = "tcpa"
    reason = "TCPA_CONSENT_REVOKED"
    citation = "47 CFR 64.1200(a)(10); FCC 24-18"

    def check(self, ctx: Context) -> list[Violation]:
        if not automated(ctx) or ctx.purpose == "opt_out_confirmation":
            return []
        when = revoked_at(ctx)
        if not when:
            return []
        return [self.fail(f"TCPA consent for {ctx.action.get('to')} was revoked {ctx.date(when)}; automated "
                          f"{ctx.channel} to it is not allowed.")]


RULES = [NoConsent(), ResidentialPrerecordedLimit(), ConsentRevoked()]
