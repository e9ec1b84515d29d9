"""The compliance gate: one pure function that runs every check and reports every failure.

``evaluate(context)`` takes ``{"id", "facts", "action"}`` (see /work/shared/compliance/
examples.json) and returns ``{"id", "decision", "reasons", "violations", "next_allowed_at"}``.
It imports nothing from Django, touches no database and never reads the clock: "now" is
``facts.now``. The database side builds the same context from stored records, so screens,
the API, nightly jobs and ``manage.py compliance_eval`` can never disagree.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from compliance.calendar import assumed_receipt_date, validation_period_end
from compliance.context import Context
from compliance.rules import DEFAULT_RULES, Rule, Violation
from compliance.rules.state_policy import DEFAULT_POLICY

__all__ = ["evaluate", "evaluate_item", "validation_period", "run_rules"]

#: How far ahead next_allowed_at is searched. Waiting rules top out at a year (medical debt).
NEXT_ALLOWED_HORIZON = timedelta(days=400)
#: Each step jumps to the latest "earliest" of the rules still failing; a handful suffices.
NEXT_ALLOWED_MAX_STEPS = 64


def run_rules(ctx: Context, rules: list[Rule] | None = None) -> list[tuple[Rule, Violation]]:
    """Every rule runs; returns (rule, violation) for each failure, in rule order."""
    return [(rule, v) for rule in rules or DEFAULT_RULES for v in rule.check(ctx)]


def _failing(ctx: Context, rules: list[Rule]) -> list[Rule]:
    return [rule for rule in rules if rule.check(ctx)]


def next_allowed_at(ctx: Context, rules: list[Rule] | None = None) -> datetime | None:
    """Earliest instant at which waiting alone makes the action lawful, or None.

    None when nothing fails, or when any failing rule cannot be cured by waiting (cease,
    attorney, bankruptcy ...). Otherwise step forward to the latest lower bound reported by
    the failing time-based rules and re-run every rule there, until all pass.
    """
    rules = rules or DEFAULT_RULES
    failing = _failing(ctx, rules)
    if not failing:
        return None
    moment, probe = ctx.now, ctx
    for _ in range(NEXT_ALLOWED_MAX_STEPS):
        if any(not rule.time_based for rule in failing):
            return None
        bounds = [rule.earliest(probe) for rule in failing]
        if any(b is None or b <= moment for b in bounds):
            return None
        moment = max(bounds)
        if moment - ctx.now > NEXT_ALLOWED_HORIZON:
            return None
        probe = ctx.at(moment)
        failing = _failing(probe, rules)
        if not failing:
            return moment
    return None


def _iso(moment: datetime | None, ctx: Context) -> str | None:
    return moment.astimezone(ctx.home_zone).isoformat() if moment else None


def evaluate(context: dict, *, policy: dict | None = None, rules: list[Rule] | None = None) -> dict:
    """Decide whether ``context["action"]`` may happen now, given ``context["facts"]``.

    ``policy`` replaces ``compliance.rules.state_policy.DEFAULT_POLICY`` (use
    ``state_policy.with_overrides`` for a partial change); ``rules`` replaces the rule list.
    """
    ctx = Context(context, DEFAULT_POLICY if policy is None else policy)
    rules = rules or DEFAULT_RULES
    found = run_rules(ctx, rules)
    violations = [v.as_dict() for _, v in found]
    reasons = list(dict.fromkeys(v["reason"] for v in violations)) or ["OK"]
    return {
        "id": ctx.id,
        "decision": "block" if violations else "allow",
        "reasons": reasons,
        "violations": violations,
        "next_allowed_at": _iso(next_allowed_at(ctx, rules), ctx) if violations else None,
    }


def validation_period(item: dict) -> dict:
    """``{"id", "notice_sent_on"}`` -> assumed receipt date and minimum validation-period end."""
    sent = date.fromisoformat(str(item["notice_sent_on"])[:10])
    return {
        "id": item.get("id"),
        "assumed_receipt_date": assumed_receipt_date(sent).isoformat(),
        "validation_period_end": validation_period_end(sent).isoformat(),
    }


def evaluate_item(item: dict[str, Any], *, policy: dict | None = None) -> dict:
    """Dispatch on shape: validation-period items have ``notice_sent_on``; the rest are contexts."""
    if "notice_sent_on" in item and "facts" not in item:
        return validation_period(item)
    return evaluate(item, policy=policy)
