"""Scope by kind of debt: consumer-only rules never reach a company's business debt."""

import copy
import json
from pathlib import Path

import pytest

from compliance.context import Context
from compliance.engine import evaluate, plan
from compliance.rules import DEFAULT_RULES
from compliance.rules.scope import RULE_SETS
from compliance.rules.state_policy import DEFAULT_POLICY
from tests.compliance.factories import context, decide

SCENARIOS = Path(__file__).resolve().parents[2] / "compliance" / "data"
BLOCKS = [s for f in ("examples.json", "issue12_boundaries.json")
          for s in json.loads((SCENARIOS / f).read_text())["scenarios"] if s["expected"] == "block"]
# Law that governs a company's business debt too: the TCPA (47 USC 227(b)), the bankruptcy stay
# and discharge (11 USC 362, 524) and the creditor's own instructions.
# fraud_hold: an open fraud or identity-theft claim holds any debt, a company's too (issue 13)
BUSINESS_RULE_SETS = {"tcpa", "bankruptcy", "creditor", "engine", "fraud_hold"}


def as_business(scenario: dict, kind: str = "company") -> dict:
    ctx = copy.deepcopy(scenario)
    ctx["facts"]["consumer"]["kind"] = kind
    for debt in ctx["facts"]["debts"]:
        debt["purpose"] = "business"
    return ctx


def test_every_rule_declares_a_known_rule_set():
    assert all(rule.rule_set in RULE_SETS for rule in DEFAULT_RULES)
    assert {rule.severity for rule in DEFAULT_RULES} == {"block", "warning"}
    assert len({rule.id for rule in DEFAULT_RULES}) == len(DEFAULT_RULES)


def test_only_tcpa_bankruptcy_and_creditor_rules_are_planned_for_a_company_business_debt():
    pairs, scope = plan(Context(as_business(context()), DEFAULT_POLICY))
    assert scope == {"D1": {"kind": "commercial", "debtor": "company"}}
    planned = {rule.rule_set for rule, _ in pairs}
    assert planned <= BUSINESS_RULE_SETS and "tcpa" in planned
    consumer_pairs, _ = plan(Context(context(), DEFAULT_POLICY))
    assert {r.id for r in DEFAULT_RULES} - {r.id for r, _ in consumer_pairs} == {
        r.id for r in DEFAULT_RULES if r.rule_set in {"medical_reporting", "hipaa"}}


@pytest.mark.parametrize("kind", ["company", "sole_proprietor", "guarantor"])
@pytest.mark.parametrize("scenario", BLOCKS, ids=lambda s: s["id"])
def test_every_blocking_scenario_on_a_business_debt_blocks_only_by_tcpa_or_bankruptcy(scenario, kind):
    consumer = evaluate(scenario)
    assert consumer["decision"] == "block"
    business = evaluate(as_business(scenario, kind))
    blockers = {rule.id: rule.rule_set for rule in DEFAULT_RULES}
    allowed = BUSINESS_RULE_SETS | ({"scra", "fcra"} if kind != "company" else set())
    assert {blockers[v["rule"].split("/")[0]] if v["rule"] in blockers else "?" for v in business["violations"]} \
        <= allowed, business["violations"]
    assert "FDCPA / Regulation F" not in business["applied_rule_sets"]
    assert any(s["rule_set"] == "FDCPA / Regulation F" for s in business["not_applied"])


def test_llc_commercial_debt_at_night_is_not_blocked_by_time_or_work_email():
    """The D1-0000215 report: INCONVENIENT_TIME and WORK_EMAIL on an LLC's commercial debt."""
    night = as_business(context("2025-06-10T22:30:00-04:00"))
    assert decide(night)["decision"] == "allow"
    email = as_business(context(channel="email", to="pat.doe@example.com", platform="manual",
                                includes_opt_out_notice=False))
    email["facts"]["consumer"]["emails"][0].update(is_work_email=True,
                                                   consumer_emailed_collector_from_this_address_at=None)
    assert decide(email)["decision"] == "allow"
    assert decide(context("2025-06-10T22:30:00-04:00"))["reasons"] == ["INCONVENIENT_TIME"]


def test_tcpa_still_blocks_an_autodialed_call_on_a_business_debt():
    result = decide(as_business(context(dialer="predictive_dialer")))
    assert result["reasons"] == ["TCPA_NO_CONSENT"]
    assert sorted(result["applied_rule_sets"]) == [
        "Bankruptcy Code (stay and discharge)", "Engine input checks", "Fraud / identity-theft hold", "TCPA"]


def test_business_purpose_debt_of_a_person_is_outside_the_fdcpa_but_consumer_debt_beside_it_is_not():
    ctx = context("2025-06-10T22:30:00-04:00", debt_ids=["D1", "D2"])
    business_debt = copy.deepcopy(ctx["facts"]["debts"][0])
    business_debt.update(id="D2", purpose="business")
    ctx["facts"]["debts"].append(business_debt)
    result = decide(ctx)
    assert result["scope"] == {"D1": {"kind": "consumer", "debtor": "person"},
                               "D2": {"kind": "commercial", "debtor": "person"}}
    assert result["reasons"] == ["INCONVENIENT_TIME"]  # the consumer debt D1 still governs the call


def test_a_business_debt_can_be_named_by_type_alone():
    ctx = context("2025-06-10T22:30:00-04:00")
    ctx["facts"]["debts"][0]["type"] = "commercial"
    assert decide(ctx)["decision"] == "allow"
