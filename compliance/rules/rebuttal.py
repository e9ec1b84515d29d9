"""Warnings: the CFPB's signals that rebut the 7-in-7 presumption of compliance.

12 CFR 1006.14(b)(2)-(3) and the CFPB's call-frequency FAQs: staying under seven calls in seven
days is only a presumption of compliance with 1692d(5). It is rebutted by calls in rapid
succession, a high concentration of calls, calls concentrated on Sundays or holidays, and calls
after the person said stop, refused to pay or disputed. [POL] These do not block: the decision
stays ``allow`` with a warning the collector must confirm before calling (COMPLIANCE.md §2 A).
"""

from __future__ import annotations

from datetime import timedelta

from compliance.calendar import legal_public_holidays
from compliance.context import PROFESSIONAL_RECIPIENTS, Context, digits, lower
from compliance.rules.base import Rule, Violation
from compliance.rules.consent import entry_at, entry_debt_keys, is_call, is_outbound
from compliance.rules.disputes import disputes_for, is_written

RAPID_SUCCESSION = timedelta(minutes=5)  # CFPB FAQ: 2 calls to the same number within 5 minutes
DAILY_CONCENTRATION = 4  # [POL] warn from the 4th call to the same person in one local day
SUNDAY_LOOKBACK_DAYS = 28  # [POL] a Sunday/holiday call after another in the last 4 weeks is a pattern
REFUSAL_WORDS = ("refus", "said_stop", "stop_calling", "do_not_call", "dispute", "cease", "not_my_debt",
                 "wont_pay", "will_not_pay")


def _calls_to_person(ctx: Context) -> list[dict]:
    return [e for e in ctx.history if is_call(e) and is_outbound(e) and entry_at(e)
            and lower(e.get("recipient")) not in PROFESSIONAL_RECIPIENTS and ctx.person_key(e) == ctx.target_key]


def _proposed_call(ctx: Context) -> bool:
    return ctx.channel in {"call", "voicemail"} and ctx.recipient_kind != "professional" \
        and not ctx.responding_to_consumer


class RapidSuccession(Rule):
    """WARN-FREQ-RAPID: a second call to the same number within 5 minutes (CFPB rebuttal factor)."""

    id = "WARN-FREQ-RAPID"
    rule_set = "fdcpa"
    severity = "warning"
    reason = "CALLS_IN_RAPID_SUCCESSION"
    citation = "15 USC 1692d(5); 12 CFR 1006.14(b)(2)-(3); CFPB call-frequency FAQ (rebuttal)"

    def check(self, ctx: Context) -> list[Violation]:
        number = digits(ctx.action.get("to"))
        if not _proposed_call(ctx) or not number:
            return []
        recent = [e for e in ctx.history if is_call(e) and is_outbound(e) and entry_at(e)
                  and digits(e.get("to_or_from")) == number and ctx.now - entry_at(e) < RAPID_SUCCESSION]
        if not recent:
            return []
        last = max(entry_at(e) for e in recent)
        return [self.fail(f"{ctx.action.get('to')} was called {int((ctx.now - last).total_seconds() // 60)} "
                          "minute(s) ago; two calls to one number within 5 minutes can rebut the 7-in-7 presumption.")]


class HighConcentration(Rule):
    """WARN-FREQ-DAY: [POL] the 4th or later call to the same person in one local day."""

    id = "WARN-FREQ-DAY"
    rule_set = "fdcpa"
    severity = "warning"
    reason = "CALLS_HIGHLY_CONCENTRATED"
    citation = "15 USC 1692d(5); 12 CFR 1006.14(b)(2)-(3); CFPB call-frequency FAQ (rebuttal)"

    def check(self, ctx: Context) -> list[Violation]:
        if not _proposed_call(ctx):
            return []
        today = [e for e in _calls_to_person(ctx) if ctx.date(entry_at(e)) == ctx.today]
        if len(today) + 1 < DAILY_CONCENTRATION:
            return []
        return [self.fail(f"This would be call {len(today) + 1} to {ctx.target_key} today ({ctx.today}); "
                          f"{DAILY_CONCENTRATION}+ calls in one day can rebut the 7-in-7 presumption.")]


def _sunday_or_holiday(day) -> bool:
    return day.weekday() == 6 or day in legal_public_holidays(day.year)


class SundayHolidayConcentration(Rule):
    """WARN-FREQ-SUNDAY: [POL] calls concentrated on Sundays or legal holidays."""

    id = "WARN-FREQ-SUNDAY"
    rule_set = "fdcpa"
    severity = "warning"
    reason = "CALLS_CONCENTRATED_ON_SUNDAYS_OR_HOLIDAYS"
    citation = "15 USC 1692d(5); 12 CFR 1006.14(b)(2)-(3); CFPB call-frequency FAQ (rebuttal)"

    def check(self, ctx: Context) -> list[Violation]:
        if not _proposed_call(ctx) or not _sunday_or_holiday(ctx.today):
            return []
        first = ctx.today - timedelta(days=SUNDAY_LOOKBACK_DAYS)
        earlier = [e for e in _calls_to_person(ctx)
                   if first <= ctx.date(entry_at(e)) < ctx.today and _sunday_or_holiday(ctx.date(entry_at(e)))]
        if not earlier:
            return []
        return [self.fail(f"{ctx.today} is a Sunday or legal holiday and {len(earlier)} earlier call(s) in the last "
                          f"{SUNDAY_LOOKBACK_DAYS} days were too; calls concentrated on such days can rebut the "
                          "7-in-7 presumption.")]


class AfterRefusalOrDispute(Rule):
    """WARN-AFTER-REFUSAL: calling after the person said stop, refused to pay or disputed.

    A written cease or a timely written dispute blocks (FED-CEASE-01, FED-DISP-01); an oral
    "stop", an oral refusal, or a dispute that does not trigger the cease duty (oral, late, or
    verified) still rebuts the presumption of compliance (CFPB FAQ), so the collector is warned.
    """

    id = "WARN-AFTER-REFUSAL"
    rule_set = "fdcpa"
    severity = "warning"
    reason = "CALL_AFTER_REFUSAL_OR_DISPUTE"
    citation = "15 USC 1692d; 12 CFR 1006.14(a)-(b); CFPB call-frequency FAQ (rebuttal)"

    def check(self, ctx: Context) -> list[Violation]:
        if not _proposed_call(ctx) or not ctx.to_consumer_side:
            return []
        signals = []
        raw = ctx.facts.get("cease_notice")
        for notice in raw if isinstance(raw, list) else [raw]:
            if isinstance(notice, dict) and ctx.before_now(notice.get("received_at")) \
                    and not is_written(ctx, notice.get("method")):
                signals.append(f"an oral request on {ctx.date(notice['received_at'])} to stop or a refusal to pay")
        for dispute in disputes_for(ctx, ctx.action_debt_keys):
            if ctx.before_now(dispute.get("received_at")):
                signals.append(f"a dispute received {ctx.date(dispute['received_at'])}")
                break
        for entry in ctx.history:
            said = " ".join(lower(entry.get(k)) for k in ("outcome", "disposition", "result"))
            flagged = entry.get("consumer_refused_to_pay") or entry.get("consumer_said_stop") or entry.get(
                "consumer_disputed")
            if (flagged or any(w in said for w in REFUSAL_WORDS)) and entry_at(entry) \
                    and entry_debt_keys(ctx, entry) & ctx.action_debt_keys:
                signals.append(f"the {lower(entry.get('channel')) or 'contact'} on {ctx.date(entry_at(entry))} "
                               f"({said.strip() or 'refusal'})")
        if not signals:
            return []
        return [self.fail("Calling after " + "; ".join(dict.fromkeys(signals)) + " can rebut the presumption of "
                          "compliance: make sure this call has a lawful purpose.")]


RULES = [RapidSuccession(), HighConcentration(), SundayHolidayConcentration(), AfterRefusalOrDispute()]
