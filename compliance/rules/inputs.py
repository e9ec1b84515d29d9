"""Facts the engine cannot read are never taken as "nothing to worry about".

COMPLIANCE.md: absent, null or empty fields mean "none", and unknown fields are ignored. A
field that is present but unreadable is different: an action on an unknown channel, or a cease
notice, dispute, bankruptcy or attorney record whose date cannot be parsed, would otherwise skip
the rules that need it and be allowed by silence. These checks block instead, naming the field.
"""

from __future__ import annotations

from compliance.context import KNOWN_CHANNELS, Context, as_dict, parse_datetime
from compliance.rules.base import Rule, Violation


def _unreadable_date(value) -> bool:
    if value in (None, "", [], {}):
        return False
    if not isinstance(value, str):
        return True
    return parse_datetime(value) is None and not _is_date(value)


def _is_date(value: str) -> bool:
    from datetime import date
    try:
        date.fromisoformat(value[:10])
    except ValueError:
        return False
    return True


class UnknownChannel(Rule):
    """INPUT-01: an action whose channel the engine does not know is not allowed by default."""

    id = "INPUT-01"
    rule_set = "engine"
    reason = "FACTS_UNREADABLE"
    citation = "COMPLIANCE.md §0 (every gate is evaluated; a rule that cannot read its facts does not allow)"

    def check(self, ctx: Context) -> list[Violation]:
        if ctx.channel in KNOWN_CHANNELS:
            return []
        return [self.fail(f"Unknown action channel {ctx.action.get('channel')!r}; use one of "
                          f"{', '.join(sorted(KNOWN_CHANNELS))}.")]


class UnreadableRestrictionDates(Rule):
    """INPUT-02: a restriction on file whose date cannot be read blocks rather than being skipped."""

    id = "INPUT-02"
    rule_set = "fdcpa"
    reason = "FACTS_UNREADABLE"
    citation = "15 USC 1692c(a)(2), (c), 1692g(b); 11 USC 362 (the facts these rules need)"

    def check(self, ctx: Context) -> list[Violation]:
        fields = []
        cease = ctx.facts.get("cease_notice")
        for i, notice in enumerate(cease if isinstance(cease, list) else [cease]):
            if isinstance(notice, dict) and _unreadable_date(notice.get("received_at")):
                fields.append(f"cease_notice[{i}].received_at")
        for i, item in enumerate(ctx.facts.get("disputes") or []):
            if isinstance(item, dict) and _unreadable_date(item.get("received_at")):
                fields.append(f"disputes[{i}].received_at")
        attorney = as_dict(ctx.consumer.get("attorney"))
        if _unreadable_date(attorney.get("known_since")):
            fields.append("consumer.attorney.known_since")
        bankruptcy = as_dict(ctx.facts.get("bankruptcy"))
        if _unreadable_date(bankruptcy.get("petition_filed_on")):
            fields.append("bankruptcy.petition_filed_on")
        if not fields:
            return []
        return [self.fail("Cannot read " + ", ".join(fields) + "; the restriction is not assumed to be absent.")]


RULES = [UnknownChannel(), UnreadableRestrictionDates()]
