"""Every worked example in the shared examples.json, through the engine and the command."""

import json
from pathlib import Path

import pytest

from compliance.engine import evaluate, evaluate_item, validation_period
from compliance.management.commands.compliance_eval import dumps, run, summarize

# The repository's own copy of the public examples (compliance/scenarios/), so a fresh clone runs them.
SCENARIOS = Path(__file__).resolve().parents[2] / "compliance" / "data"
EXAMPLES = SCENARIOS / "examples.json"
DATA = json.loads(EXAMPLES.read_text())
SHARED = Path(__file__).resolve().parents[3] / "shared" / "compliance" / "examples.json"


def test_repository_copy_matches_the_shared_examples_when_present():
    if not SHARED.exists():
        pytest.skip("no shared checkout beside the repository")
    assert json.loads(SHARED.read_text()) == DATA


@pytest.mark.parametrize("scenario", DATA["scenarios"], ids=lambda s: s["id"])
def test_scenario_gives_expected_decision_and_reason(scenario):
    result = evaluate(scenario)
    assert result["id"] == scenario["id"]
    assert result["decision"] == scenario["expected"], result
    acceptable = {scenario["expected_reason"], *scenario.get("also_acceptable_reasons", [])}
    assert acceptable & set(result["reasons"]), result
    if scenario["expected"] == "allow":
        assert result["reasons"] == ["OK"] and result["violations"] == []
    else:
        assert all(v["citation"] and v["message"] and v["rule"] for v in result["violations"])


@pytest.mark.parametrize("case", DATA["validation_period_cases"], ids=lambda c: c["id"])
def test_validation_period_case_matches(case):
    result = validation_period(case)
    assert result == {"id": case["id"], "assumed_receipt_date": case["assumed_receipt_date"],
                      "validation_period_end": case["expected_validation_period_end"]}
    assert evaluate_item(case) == result


def test_command_reproduces_every_example():
    results = run(EXAMPLES)
    expected = {s["id"]: s["expected"] for s in DATA["scenarios"]}
    assert {r["id"]: r["decision"] for r in results if "decision" in r} == expected
    assert summarize(results) == {
        "evaluated": len(DATA["scenarios"]) + len(DATA["validation_period_cases"]),
        "allowed": sum(s["expected"] == "allow" for s in DATA["scenarios"]),
        "blocked": sum(s["expected"] == "block" for s in DATA["scenarios"]),
        "validation_periods": len(DATA["validation_period_cases"]),
    }


def test_command_accepts_a_plain_list(tmp_path):
    path = tmp_path / "items.json"
    path.write_text(json.dumps([{"id": "V", "notice_sent_on": "2025-11-06"}, DATA["scenarios"][0]]))
    results = run(path)
    assert results[0] == {"id": "V", "assumed_receipt_date": "2025-11-14", "validation_period_end": "2025-12-14"}
    assert results[1]["decision"] == "block"
    assert json.loads(dumps(results[1])) == results[1]


def test_command_prints_one_line_per_item_then_summary(tmp_path, capsys):
    from compliance.management.commands.compliance_eval import Command

    path = tmp_path / "items.json"
    path.write_text(json.dumps({"validation_period_cases": [{"id": "V", "notice_sent_on": "2025-06-02"}]}))
    Command().handle(file=str(path))
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2
    assert json.loads(lines[0])["validation_period_end"] == "2025-07-09"
    assert json.loads(lines[-1]) == {"evaluated": 1, "allowed": 0, "blocked": 0, "validation_periods": 1}
