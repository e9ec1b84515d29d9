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
from compliance.rules.scope import RULE_SETS, classify, in_scope_ids
from compliance.rules.state_policy import DEFAULT_POLICY

__all__ = ["evaluate", "evaluate_item", "plan", "validation_period", "run_rules"]

#: How far ahead next_allowed_at is searched. Waiting rules top out at a year (medical debt).
NEXT_ALLOWED_HORIZON = timedelta(days=400)
#: Each step jumps to the latest "earliest" of the rules still failing; a handful suffices.
NEXT_ALLOWED_MAX_STEPS = 64


Plan = list[tuple[Rule, Context]]


def plan(ctx: Context, rules: list[Rule] | None = None) -> tuple[Plan, dict[str, dict]]:
    """Each rule paired with the context it judges: only the action's debts its rule set covers.

    A rule whose rule set covers none of the action's debts is left out (a company's business
    debt is outside the FDCPA, Regulation F and the state consumer rules; the TCPA covers all).
    Returns the plan and the scope (``{debt id: {"kind", "debtor"}}``).
    """
    scope = classify(ctx)
    contexts: dict[tuple[str, ...], Context] = {}
    pairs: Plan = []
    for rule in rules or DEFAULT_RULES:
        ids = tuple(in_scope_ids(RULE_SETS[rule.rule_set], scope))
        if not ids:
            continue
        if len(ids) == len(scope):
            pairs.append((rule, ctx))
            continue
        if ids not in contexts:
            raw = {**ctx.raw, "action": {**ctx.action, "debt_ids": list(ids)}}
            contexts[ids] = Context(raw, ctx.policy, ctx.now)
        pairs.append((rule, contexts[ids]))
    return pairs, scope


def run_rules(ctx: Context, rules: list[Rule] | None = None) -> list[tuple[Rule, Violation]]:
    """Every rule in scope runs; returns (rule, violation) for each failure, in rule order."""
    pairs, _ = plan(ctx, rules)
    return [(rule, v) for rule, sub in pairs for v in rule.check(sub)]


def _blocking(pairs: Plan) -> Plan:
    return [(rule, sub) for rule, sub in pairs if rule.severity == "block"]


def next_allowed_at(ctx: Context, rules: list[Rule] | None = None, pairs: Plan | None = None) -> datetime | None:
    """Earliest instant at which waiting alone makes the action lawful, or None.

    None when nothing fails, or when any failing rule cannot be cured by waiting (cease,
    attorney, bankruptcy ...). Otherwise step forward to the latest lower bound reported by
    the failing time-based rules and re-run every rule there, until all pass.
    """
    pairs = _blocking(pairs if pairs is not None else plan(ctx, rules)[0])
    failing = [(rule, sub) for rule, sub in pairs if rule.check(sub)]
    if not failing:
        return None
    moment = ctx.now
    for _ in range(NEXT_ALLOWED_MAX_STEPS):
        if any(not rule.time_based for rule, _ in failing):
            return None
        bounds = [rule.earliest(sub.at(moment) if moment != ctx.now else sub) for rule, sub in failing]
        if any(b is None or b <= moment for b in bounds):
            return None
        moment = max(bounds)
        if moment - ctx.now > NEXT_ALLOWED_HORIZON:
            return None
        failing = [(rule, sub) for rule, sub in pairs if rule.check(sub.at(moment))]
        if not failing:
            return moment
    return None


def _iso(moment: datetime | None, ctx: Context) -> str | None:
    return moment.astimezone(ctx.home_zone).isoformat() if moment else None


def _scope_report(pairs: Plan, scope: dict[str, dict], rules: list[Rule]) -> tuple[list[str], list[dict]]:
    applied = list(dict.fromkeys(RULE_SETS[rule.rule_set].name for rule, _ in pairs))
    skipped = [{"rule_set": s.name, "why": s.why} for s in dict.fromkeys(RULE_SETS[r.rule_set] for r in rules)
               if s.name not in applied]
    return applied, skipped


def evaluate(context: dict, *, policy: dict | None = None, rules: list[Rule] | None = None) -> dict:
    """Decide whether ``context["action"]`` may happen now, given ``context["facts"]``.

    ``policy`` replaces ``compliance.rules.state_policy.DEFAULT_POLICY`` (use
    ``state_policy.with_overrides`` for a partial change); ``rules`` replaces the rule list.
    The decision is ``allow`` or ``block``; ``warnings`` (the CFPB rebuttal signals, HIPAA
    reminders) sit beside it and ``requires_confirmation`` says the collector must confirm them
    before an allowed action goes ahead. ``applied_rule_sets`` names the law applied to the
    action's debts (``scope``) and ``not_applied`` the rule sets that do not reach them.
    """
    ctx = Context(context, DEFAULT_POLICY if policy is None else policy)
    rules = rules or DEFAULT_RULES
    pairs, scope = plan(ctx, rules)
    found = [(rule, v) for rule, sub in pairs for v in rule.check(sub)]
    violations = [v.as_dict() for rule, v in found if rule.severity == "block"]
    warnings = [v.as_dict() for rule, v in found if rule.severity != "block"]
    reasons = list(dict.fromkeys(v["reason"] for v in violations)) or ["OK"]
    applied, skipped = _scope_report(pairs, scope, rules)
    return {
        "id": ctx.id,
        "decision": "block" if violations else "allow",
        "reasons": reasons,
        "violations": violations,
        "next_allowed_at": _iso(next_allowed_at(ctx, rules, pairs), ctx) if violations else None,
        "warnings": warnings,
        "requires_confirmation": bool(warnings) and not violations,
        "scope": scope,
        "applied_rule_sets": applied,
        "not_applied": skipped,
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
