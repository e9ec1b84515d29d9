"""Boundary scenarios for the rule families of issue 12, and the warnings beside "allow"."""

import json
import re
from pathlib import Path

import pytest

from compliance.engine import evaluate
from tests.compliance.factories import call, context, decide

ROOT = Path(__file__).resolve().parents[2]
BOUNDARIES = json.loads((ROOT / "compliance" / "data" / "issue12_boundaries.json").read_text())["scenarios"]
LCM = ["business_name_not_indicating_debt_collection", "request_to_reply", "natural_person_name", "callback_number"]


@pytest.mark.parametrize("scenario", BOUNDARIES, ids=lambda s: s["id"])
def test_boundary_scenario(scenario):
    result = evaluate(scenario)
    assert result["decision"] == scenario["expected"], result
    if scenario["expected"] == "allow":
        assert result["reasons"] == ["OK"]
    else:
        assert {scenario["expected_reason"], *scenario.get("also_acceptable_reasons", [])} & set(result["reasons"])


def test_every_field_name_of_compliance_md_section_3_is_read_by_the_engine():
    source = "\n".join(p.read_text() for p in (ROOT / "compliance").glob("*.py")) + "\n".join(
        p.read_text() for p in (ROOT / "compliance" / "rules").glob("*.py"))
    for name in ["voicemail_if_unanswered", "script_elements", "legal_action_deadline", "time_barred_disclosure_text",
                 "demands_payment_by", "content_flags", "implies_personal_liability_of_spouse", "number_source",
                 "pr_evidence", "for_communication_at", "purpose", "date_of_birth", "is_minor", '"kind"',
                 *LCM, "salutation", "date_and_time", "suggested_reply_times", "may_speak_to_any_representative",
                 "consumer_name"]:
        assert re.search(re.escape(name), source), name


@pytest.mark.parametrize("shape", [
    {"voicemail_if_unanswered": {"script_elements": LCM + ["balance_due"]}},
    {"voicemail_if_unanswered": LCM + ["balance_due"]},
    {"voicemail": {"elements": LCM + ["balance_due"]}},
    {"voicemail_if_unanswered": {"text": "Please call about your overdue account"}},
    {"voicemail_if_unanswered": 42},
])
def test_a_voicemail_beyond_limited_content_or_unreadable_blocks_whatever_its_shape(shape):
    assert decide(context(**shape))["reasons"] == ["VOICEMAIL_NOT_LIMITED_CONTENT"]


def test_second_call_to_the_same_number_within_five_minutes_is_allowed_with_a_warning():
    ctx = context("2025-06-10T11:04:59-04:00")
    ctx["facts"]["contact_history"] = [call("2025-06-10T11:00:00-04:00")]
    result = decide(ctx)
    assert result["decision"] == "allow" and result["requires_confirmation"]
    assert [w["reason"] for w in result["warnings"]] == ["CALLS_IN_RAPID_SUCCESSION"]
    ctx["facts"]["now"] = "2025-06-10T11:05:00-04:00"
    assert decide(ctx)["warnings"] == []


def test_fourth_call_to_the_same_person_in_a_local_day_warns_the_third_does_not():
    ctx = context("2025-06-10T16:00:00-04:00")
    ctx["facts"]["contact_history"] = [call(f"2025-06-10T{h}:00:00-04:00") for h in (9, 11)]
    assert decide(ctx)["warnings"] == []
    ctx["facts"]["contact_history"].append(call("2025-06-10T13:00:00-04:00"))
    assert [w["reason"] for w in decide(ctx)["warnings"]] == ["CALLS_HIGHLY_CONCENTRATED"]
    ctx["facts"]["contact_history"][0]["at"] = "2025-06-09T23:30:00-04:00"  # previous local day
    assert decide(ctx)["warnings"] == []


def test_repeated_sunday_calls_warn():
    ctx = context("2025-06-15T12:00:00-04:00")  # Sunday
    assert decide(ctx)["warnings"] == []
    ctx["facts"]["contact_history"] = [call("2025-06-08T12:00:00-04:00")]  # the Sunday before
    assert [w["reason"] for w in decide(ctx)["warnings"]] == ["CALLS_CONCENTRATED_ON_SUNDAYS_OR_HOLIDAYS"]


def test_calling_after_an_oral_refusal_or_late_dispute_warns_but_a_written_cease_blocks():
    ctx = context()
    ctx["facts"]["cease_notice"] = {"received_at": "2025-06-05T10:00:00-04:00", "method": "oral"}
    result = decide(ctx)
    assert result["decision"] == "allow"
    assert [w["reason"] for w in result["warnings"]] == ["CALL_AFTER_REFUSAL_OR_DISPUTE"]
    ctx["facts"]["cease_notice"]["method"] = "mail"
    assert decide(ctx)["reasons"] == ["CEASE_COMMUNICATION"]
    late = context()
    late["facts"]["disputes"] = [{"received_at": "2025-05-20T10:00:00-04:00", "method": "mail", "debt_ids": ["D1"]}]
    result = decide(late)  # after the 2025-02-12 end date: no cease duty, still a rebuttal signal
    assert result["decision"] == "allow" and result["warnings"][0]["reason"] == "CALL_AFTER_REFUSAL_OR_DISPUTE"


def test_warnings_do_not_apply_to_business_debts_and_do_not_touch_blocks():
    ctx = context("2025-06-10T11:03:00-04:00")
    ctx["facts"]["contact_history"] = [call("2025-06-10T11:00:00-04:00")]
    ctx["facts"]["consumer"]["kind"] = "company"
    assert decide(ctx)["warnings"] == []
    night = context("2025-06-10T22:03:00-04:00")
    night["facts"]["contact_history"] = [call("2025-06-10T22:00:00-04:00")]
    result = decide(night)
    assert result["decision"] == "block" and not result["requires_confirmation"]
    assert "CALLS_IN_RAPID_SUCCESSION" not in result["reasons"]


def test_medical_debt_contact_carries_the_hipaa_reminder():
    ctx = context()
    ctx["facts"]["debts"][0].update(type="medical", medical=True)
    result = decide(ctx)
    assert result["decision"] == "allow"
    assert [w["rule"] for w in result["warnings"]] == ["MED-06-REMINDER"]


def test_insurance_pending_holds_furnishing_until_resolved_then_the_one_year_wait_applies():
    from tests.compliance.factories import credit_report_action

    ctx = context(**credit_report_action(date_of_first_delinquency="2025-04-15"))
    ctx["facts"]["now"] = "2026-03-01T11:00:00-05:00"
    ctx["facts"]["contact_history"] = [call("2025-06-01T10:00:00-04:00", "conversation")]
    ctx["facts"]["debts"][0].update(type="medical", medical=True, original_balance=900, date_of_service="2025-03-01",
                                    date_of_first_delinquency="2025-04-15", insurance_status="pending")
    assert "MEDICAL_INSURANCE_PENDING" in decide(ctx)["reasons"]
    ctx["facts"]["debts"][0]["insurance_resolved_on"] = "2026-02-01"
    result = decide(ctx)
    assert result["reasons"] == ["MEDICAL_WAITING_PERIOD"]
    assert result["next_allowed_at"] == "2026-04-15T00:00:00-04:00"


def test_money_given_as_strings_is_read_as_decimal():
    from tests.compliance.factories import credit_report_action

    ctx = context(**credit_report_action(date_of_first_delinquency="2024-02-01"))
    ctx["facts"]["now"] = "2026-03-01T11:00:00-05:00"
    ctx["facts"]["contact_history"] = [call("2025-06-01T10:00:00-04:00", "conversation")]
    ctx["facts"]["debts"][0].update(type="medical", medical=True, original_balance="499.99",
                                    date_of_service="2024-01-01", date_of_first_delinquency="2024-02-01")
    assert decide(ctx)["reasons"] == ["MEDICAL_UNDER_500"]
    ctx["facts"]["debts"][0]["original_balance"] = "500.00"
    assert decide(ctx)["decision"] == "allow"


def test_unknown_channel_and_unreadable_restriction_dates_block_instead_of_allowing():
    assert decide(context(channel="carrier_pigeon"))["reasons"] == ["FACTS_UNREADABLE"]
    assert decide(context(channel="ringless_voicemail"))["decision"] == "allow"  # a known alias
    ctx = context()
    ctx["facts"]["cease_notice"] = {"received_at": "last Tuesday", "method": "mail"}
    assert decide(ctx)["reasons"] == ["FACTS_UNREADABLE"]


@pytest.mark.parametrize("exterior, expected", [
    (["Pat Doe, 12 Oak St, Atlanta, GA 30303"], "allow"),
    (["PO Box 4410, Atlanta, GA 30302", "Return Service Requested"], "allow"),
    (["Pat Doe - Time Sensitive"], "block"),
    (["12 Oak St, Atlanta GA 30303 - PAST DUE"], "block"),
    (["Overdue account, Atlanta GA 30303"], "block"),
])
def test_envelope_addresses_pass_and_any_other_text_blocks(exterior, expected):
    from tests.compliance.factories import letter_action

    ctx = context(**letter_action(envelope={"exterior_text": exterior, "return_name": "Northstar Recovery LLC"}))
    assert decide(ctx)["decision"] == expected


@pytest.mark.parametrize("state, on, expected", [
    ("NJ", "2025-06-10", "block"), ("WA", "2025-06-10", "block"), ("GA", "2025-06-10", "allow"),
    ("CT", "2024-06-30", "allow"),
])
def test_state_medical_reporting_bans_named_by_the_rule_book(state, on, expected):
    from tests.compliance.factories import credit_report_action

    ctx = context(**credit_report_action(date_of_first_delinquency="2023-02-01"))
    ctx["facts"]["now"] = f"{on}T11:00:00-04:00"
    ctx["facts"]["consumer"]["state"] = state
    ctx["facts"]["contact_history"] = [call("2024-01-02T10:00:00-05:00", "conversation")]
    ctx["facts"]["debts"][0].update(type="medical", medical=True, original_balance="900.00",
                                    date_of_service="2023-01-01", date_of_first_delinquency="2023-02-01")
    result = decide(ctx)
    assert result["decision"] == expected, result
    if expected == "block":
        assert result["reasons"] == ["STATE_MEDICAL_REPORTING_BAN"]


def test_a_number_recorded_as_a_wrong_number_reaches_a_third_party():
    ctx = context()
    ctx["facts"]["consumer"]["phones"][0]["status"] = "wrong_number"
    assert decide(ctx)["reasons"] == ["THIRD_PARTY_DISCLOSURE"]
    ctx["facts"]["consumer"]["phones"][0]["status"] = "active"
    assert decide(ctx)["decision"] == "allow"
