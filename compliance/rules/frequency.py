"""Call frequency: the Regulation F 7-in-7 presumption (15 USC 1692d(5); 12 CFR 1006.14(b))."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from compliance.context import PROFESSIONAL_RECIPIENTS, Context, lower
from compliance.rules.base import Rule, Violation
from compliance.rules.consent import (
    NOT_CONNECTED_OUTCOMES,
    consent_covers_call,
    entry_at,
    entry_debt_keys,
    in_dates,
    is_call,
    is_conversation,
    is_outbound,
)


def _proposed_call_applies(ctx: Context) -> bool:
    """Outbound calls to a person (not to attorneys, creditors or CRAs), not under consent."""
    if ctx.channel not in {"call", "voicemail"} or ctx.recipient_kind == "professional":
        return False
    return not consent_covers_call(ctx, ctx.now, ctx.target_key, ctx.action_debt_keys)


def countable_call(ctx: Context, entry: dict, person_key: str) -> bool:
    """FED-FREQ-03/04: what counts toward the 7 calls.

    Counted: every outbound, connected call to the same person (unanswered, rang out,
    voicemail with or without a message, answered by someone else, dropped, conversation).
    Not counted: busy signals and not-in-service results, inbound calls, calls to the
    consumer's attorney, a CRA, the creditor or the attorneys (1006.6(d)(1)(ii)-(vi)), and
    calls placed within 7 days of the person's direct prior consent (1006.14(b)(3)).
    """
    at = entry_at(entry)
    return (
        at is not None
        and is_call(entry)
        and is_outbound(entry)
        and lower(entry.get("recipient")) not in PROFESSIONAL_RECIPIENTS
        and lower(entry.get("outcome")) not in NOT_CONNECTED_OUTCOMES
        and ctx.person_key(entry) == person_key
        and not consent_covers_call(ctx, at, person_key, entry_debt_keys(ctx, entry))
    )


def calls_in_window(ctx: Context, debt_key: str, day: date, days: int) -> list[dict]:
    first = day - timedelta(days=days - 1)
    return [
        e for e in ctx.history
        if countable_call(ctx, e, ctx.target_key) and debt_key in entry_debt_keys(ctx, e)
        and in_dates(ctx, e, first, day)
    ]


class SevenCallsInSevenDays(Rule):
    """FED-FREQ-01/04/05: no 8th countable call within 7 consecutive days about a debt.

    12 CFR 1006.14(b)(2)(i)(A): a collector is presumed to violate 1692d(5) if it places a
    telephone call to a person "in excess of seven times within a period of seven consecutive
    days" about a particular debt. For a call on local date D the engine counts calls on
    D-6..D plus this one; seven are allowed, the eighth is blocked. Counts are per person and
    per particular debt (a call about several debts counts for each; student loans under one
    servicing account at acquisition are one debt, 1006.14(b)(4)).
    """

    id = "FED-FREQ-01"

    rule_set = "fdcpa"
    reason = "CALL_FREQ_7_IN_7"
    citation = "15 USC 1692d(5); 12 CFR 1006.14(b)(2)(i)(A), (b)(2)(ii), (b)(3), (b)(4)"
    time_based = True

    def _limits(self, ctx: Context) -> tuple[int, int]:
        spec = ctx.federal.get("call_frequency") or {}
        return int(spec.get("max_calls") or 7), int(spec.get("days") or 7)

    def check(self, ctx: Context) -> list[Violation]:
        if not _proposed_call_applies(ctx) or not ctx.federal.get("call_frequency"):
            return []
        cap, days = self._limits(ctx)
        out = []
        for key in sorted(ctx.action_debt_keys):
            calls = calls_in_window(ctx, key, ctx.today, days)
            if len(calls) + 1 > cap:
                first = ctx.today - timedelta(days=days - 1)
                out.append(self.fail(
                    f"This would be call {len(calls) + 1} to {ctx.target_key} about debt {key} "
                    f"within {days} consecutive days ({first}..{ctx.today}); at most {cap} are allowed."))
        return out

    def earliest(self, ctx: Context) -> datetime | None:
        cap, days = self._limits(ctx)
        for offset in range(1, days + 1):
            day = ctx.today + timedelta(days=offset)
            if all(len(calls_in_window(ctx, k, day, days)) + 1 <= cap for k in ctx.action_debt_keys):
                return ctx.midnight(day)
        return None


class ConversationSevenDayWait(Rule):
    """FED-FREQ-02: no call within 7 days after a telephone conversation about the debt.

    12 CFR 1006.14(b)(2)(i)(B): presumed violation if a collector calls "within a period of
    seven consecutive days after having had a telephone conversation with the person in
    connection with the collection of such debt". The conversation date is day 1, so a
    conversation on C blocks calls on C..C+6 (calendar dates, consumer's zone). It applies
    whoever initiated the conversation (comment 14(b)(4)-1.ii; CFPB FAQ), so inbound
    conversations count too.
    """

    id = "FED-FREQ-02"

    rule_set = "fdcpa"
    reason = "CALL_WITHIN_7_DAYS_OF_CONVERSATION"
    citation = "12 CFR 1006.14(b)(2)(i)(B); comment 14(b)(4)-1.ii"
    time_based = True

    def _last_conversation(self, ctx: Context) -> tuple[date, dict] | None:
        days = int(ctx.federal.get("conversation_block_days") or 0)
        found = None
        for entry in ctx.history:
            if not is_conversation(entry) or not entry_at(entry) or ctx.person_key(entry) != ctx.target_key:
                continue
            if lower(entry.get("recipient")) in PROFESSIONAL_RECIPIENTS:
                continue
            if not entry_debt_keys(ctx, entry) & ctx.action_debt_keys:
                continue
            day = ctx.date(entry_at(entry))
            if 0 <= (ctx.today - day).days < days and (found is None or day > found[0]):
                found = (day, entry)
        return found

    def check(self, ctx: Context) -> list[Violation]:
        if not _proposed_call_applies(ctx):
            return []
        found = self._last_conversation(ctx)
        if not found:
            return []
        day, entry = found
        days = int(ctx.federal.get("conversation_block_days"))
        direction = lower(entry.get("direction")) or "outbound"
        return [self.fail(
            f"A telephone conversation ({direction}) with {ctx.target_key} on {day} about this debt "
            f"blocks calls through {day + timedelta(days=days - 1)}; the first allowed date is "
            f"{day + timedelta(days=days)}.")]

    def earliest(self, ctx: Context) -> datetime | None:
        found = self._last_conversation(ctx)
        if not found:
            return None
        return ctx.midnight(found[0] + timedelta(days=int(ctx.federal.get("conversation_block_days"))))


RULES = [SevenCallsInSevenDays(), ConversationSevenDayWait()]
