"""The engine contract: every failing rule reported, next_allowed_at, policy table, purity."""

import subprocess
import sys
from pathlib import Path

from compliance.engine import evaluate, evaluate_item
from compliance.rules import DEFAULT_RULES
from compliance.rules.state_policy import DEFAULT_POLICY
from tests.compliance.factories import call, context, decide


def test_clean_context_is_allowed_with_ok():
    result = decide(context())
    assert {k: result[k] for k in ("id", "decision", "reasons", "violations", "next_allowed_at", "warnings")} == {
        "id": "T", "decision": "allow", "reasons": ["OK"], "violations": [], "next_allowed_at": None, "warnings": []}
    assert result["scope"] == {"D1": {"kind": "consumer", "debtor": "person"}}
    assert "FDCPA / Regulation F" in result["applied_rule_sets"] and "TCPA" in result["applied_rule_sets"]


def test_a_block_lists_every_failing_rule():
    ctx = context("2025-06-10T22:00:00-04:00", dialer="predictive_dialer")
    ctx["facts"]["cease_notice"] = {"received_at": "2025-05-15T11:00:00-04:00", "method": "written_mail"}
    ctx["facts"]["consumer"]["attorney"] = {"name": "Dana Whitfield, Esq.", "known_since": "2025-05-01"}
    result = decide(ctx)
    assert result["decision"] == "block"
    assert set(result["reasons"]) == {"INCONVENIENT_TIME", "CEASE_COMMUNICATION", "ATTORNEY_REPRESENTED",
                                      "TCPA_NO_CONSENT"}
    assert {v["rule"] for v in result["violations"]} == {"FED-TIME-01", "FED-CEASE-01", "FED-ATTY-01", "TCPA-01"}
    assert result["next_allowed_at"] is None  # waiting cannot cure cease or representation


def test_waiting_clears_conversation_wait_and_time_window_together():
    ctx = context("2025-06-09T22:00:00-04:00")
    ctx["facts"]["contact_history"] = [call("2025-06-03T10:00:00-04:00", "conversation")]
    result = decide(ctx)
    assert result["reasons"] == ["CALL_WITHIN_7_DAYS_OF_CONVERSATION", "INCONVENIENT_TIME"]
    assert result["next_allowed_at"] == "2025-06-10T08:00:00-04:00"


def test_next_allowed_at_steps_past_a_later_designated_window():
    ctx = context("2025-06-10T22:00:00-04:00")
    ctx["facts"]["consumer"]["inconvenient_times"] = [
        {"days_of_week": [], "start_local": "08:00", "end_local": "10:30", "timezone": "America/New_York"}]
    assert decide(ctx)["next_allowed_at"] == "2025-06-11T10:30:00-04:00"


def test_next_allowed_at_is_reported_in_the_consumer_zone():
    ctx = context("2025-06-11T04:00:00+00:00")  # 00:00 EDT
    assert decide(ctx)["next_allowed_at"] == "2025-06-11T08:00:00-04:00"


def test_every_rule_has_id_reason_citation_and_docstring():
    ids = [rule.id for rule in DEFAULT_RULES]
    assert len(ids) == len(set(ids))
    for rule in DEFAULT_RULES:
        assert rule.reason.isupper() and rule.citation and type(rule).__doc__.strip()


def test_policy_argument_replaces_the_default_table():
    ctx = context()
    ctx["facts"]["contact_history"] = [call(f"2025-06-0{d}T10:00:00-04:00") for d in (4, 5, 6, 7, 8, 9, 9)]
    assert decide(ctx)["reasons"] == ["CALL_FREQ_7_IN_7"]
    relaxed = {**DEFAULT_POLICY, "federal": {**DEFAULT_POLICY["federal"], "call_frequency": None}}
    assert decide(ctx, policy=relaxed)["decision"] == "allow"


def test_evaluate_item_dispatches_on_shape():
    assert evaluate_item({"id": "V", "notice_sent_on": "2025-06-02"})["validation_period_end"] == "2025-07-09"
    assert evaluate_item(context())["decision"] == "allow"


def test_unknown_fields_and_nulls_are_ignored():
    ctx = context(something_new={"x": 1})
    ctx["facts"]["unexpected"] = [1, 2, 3]
    ctx["facts"]["consumer"]["phones"] = None
    ctx["facts"]["contact_history"] = None
    ctx["facts"]["debts"][0]["surprise"] = "yes"
    assert evaluate(ctx)["decision"] == "allow"


def test_engine_imports_no_django():
    code = ("import sys, compliance.engine, compliance.calendar; "
            "assert not [m for m in sys.modules if m.startswith('django')]")
    root = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, "-c", code], cwd=root, check=True)
