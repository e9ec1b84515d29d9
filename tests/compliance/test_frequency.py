"""FED-FREQ-01..05: the 7-in-7 presumption and the 7-day wait after a conversation."""

from tests.compliance.factories import CELL, HOME, call, context, debt, decide, phone, reasons

SUNDAY = "2025-06-08T14:00:00-04:00"


def seven_calls(**extra):
    days = ["02", "02", "03", "03", "04", "05", "05"]
    return [call(f"2025-06-{d}T{10 + i}:00:00-04:00", **extra) for i, d in enumerate(days)]


def with_history(entries, now=SUNDAY, **action):
    ctx = context(now, **action)
    ctx["facts"]["contact_history"] = entries
    return ctx


def test_seventh_call_in_seven_days_is_allowed():
    assert decide(with_history(seven_calls()[:6]))["decision"] == "allow"


def test_eighth_call_in_seven_days_is_blocked():
    result = decide(with_history(seven_calls()))
    assert result["reasons"] == ["CALL_FREQ_7_IN_7"]
    assert "call 8" in result["violations"][0]["message"]
    assert result["next_allowed_at"] == "2025-06-09T08:00:00-04:00"


def test_call_on_day_minus_7_falls_out_of_the_window():
    # Calls on 2025-06-01 (D-7) do not count for a call on 2025-06-08.
    entries = [call(f"2025-06-01T{9 + i:02d}:00:00-04:00") for i in range(7)]
    assert decide(with_history(entries))["decision"] == "allow"
    entries = [call(f"2025-06-02T{9 + i:02d}:00:00-04:00") for i in range(7)]
    assert reasons(with_history(entries)) == ["CALL_FREQ_7_IN_7"]


def test_calls_to_different_numbers_of_the_same_person_aggregate():
    entries = seven_calls()
    for entry in entries[::2]:
        entry["to_or_from"] = HOME
    ctx = with_history(entries)
    ctx["facts"]["consumer"]["phones"].append(phone(HOME, line_type="landline_residential"))
    assert reasons(ctx) == ["CALL_FREQ_7_IN_7"]


def test_busy_and_not_in_service_calls_do_not_count():
    entries = seven_calls()
    entries[0]["outcome"] = "busy_signal"
    entries[1]["outcome"] = "number_not_in_service"
    entries += [call("2025-06-06T10:00:00-04:00", "reached_voicemail_no_message_left")]
    assert decide(with_history(entries))["decision"] == "allow"


def test_inbound_calls_do_not_count():
    entries = seven_calls()
    entries[0]["direction"] = "inbound"
    entries[0]["outcome"] = "no_answer"
    assert decide(with_history(entries))["decision"] == "allow"


def test_calls_to_consumer_attorney_do_not_count():
    entries = seven_calls()
    entries[0]["recipient"] = "consumer_attorney"
    entries[0]["to_or_from"] = "+14045550300"
    assert decide(with_history(entries))["decision"] == "allow"


def test_calls_to_a_third_party_are_counted_for_that_third_party_only():
    entries = seven_calls(recipient="third_party", third_party_id="TP-1", to_or_from="+14045550610")
    assert decide(with_history(entries))["decision"] == "allow"
    tp = {"recipient": "third_party", "to": "+14045550610", "third_party": {"id": "TP-1"},
          "purpose": "location_information"}
    ctx = with_history(entries, **tp)
    ctx["facts"]["consumer"]["location_known"] = False
    assert "CALL_FREQ_7_IN_7" in reasons(ctx)


def test_a_call_about_several_debts_counts_for_each():
    entries = seven_calls(debt_ids=["D1", "D2"])
    ctx = with_history(entries, debt_ids=["D2"])
    ctx["facts"]["debts"].append(debt("D2"))
    assert reasons(ctx) == ["CALL_FREQ_7_IN_7"]


def test_calls_about_another_debt_do_not_count():
    ctx = with_history(seven_calls(debt_ids=["D2"]), debt_ids=["D1"])
    ctx["facts"]["debts"].append(debt("D2"))
    assert decide(ctx)["decision"] == "allow"


def test_student_loans_under_one_servicing_account_are_one_debt():
    ctx = with_history(seven_calls(debt_ids=["SL1"]), debt_ids=["SL2"])
    ctx["facts"]["debts"] += [debt("SL1", student_loan_servicing_account_at_acquisition="ACC-9"),
                              debt("SL2", student_loan_servicing_account_at_acquisition="ACC-9")]
    assert reasons(ctx) == ["CALL_FREQ_7_IN_7"]


def test_calls_within_seven_days_of_direct_consent_are_excluded():
    ctx = with_history(seven_calls())
    ctx["facts"]["consumer"]["direct_prior_consents"] = [
        {"given_at": "2025-06-02T08:30:00-04:00", "given_directly_by": "consumer", "to": "debt_collector",
         "type": "call_frequency", "debt_ids": ["D1"]}]
    assert decide(ctx)["decision"] == "allow"


def test_consent_given_to_the_creditor_is_not_direct():
    ctx = with_history(seven_calls())
    ctx["facts"]["consumer"]["direct_prior_consents"] = [
        {"given_at": "2025-06-02T08:30:00-04:00", "given_directly_by": "consumer", "to": "creditor",
         "type": "call_frequency"}]
    assert reasons(ctx) == ["CALL_FREQ_7_IN_7"]


def test_conversation_blocks_calls_through_day_six():
    ctx = with_history([call("2025-06-03T10:00:00-04:00", "conversation")], now="2025-06-09T20:00:00-04:00")
    result = decide(ctx)
    assert result["reasons"] == ["CALL_WITHIN_7_DAYS_OF_CONVERSATION"]
    assert "2025-06-10" in result["violations"][0]["message"]
    assert result["next_allowed_at"] == "2025-06-10T08:00:00-04:00"


def test_call_on_seventh_day_after_conversation_is_allowed():
    ctx = with_history([call("2025-06-03T10:00:00-04:00", "conversation")], now="2025-06-10T08:00:00-04:00")
    assert decide(ctx)["decision"] == "allow"


def test_inbound_conversation_starts_the_seven_day_wait():
    inbound = call("2025-06-05T10:00:00-04:00", "conversation", direction="inbound")
    assert reasons(with_history([inbound], now="2025-06-06T10:00:00-04:00")) == [
        "CALL_WITHIN_7_DAYS_OF_CONVERSATION"]


def test_conversation_about_another_debt_does_not_block():
    ctx = with_history([call("2025-06-05T10:00:00-04:00", "conversation", debt_ids=["D2"])],
                       now="2025-06-06T10:00:00-04:00")
    ctx["facts"]["debts"].append(debt("D2"))
    assert decide(ctx)["decision"] == "allow"


def test_texts_and_emails_are_not_calls():
    entries = [dict(call(f"2025-06-0{2 + i % 5}T{10 + i}:00:00-04:00"), channel="sms") for i in range(9)]
    assert decide(with_history(entries))["decision"] == "allow"
    ctx = with_history([call("2025-06-07T10:00:00-04:00", "conversation")],
                       channel="email", to="pat.doe@example.com", includes_opt_out_notice=True)
    assert decide(ctx)["decision"] == "allow"


def test_eighth_call_counted_in_consumer_zone_dates():
    # 2025-06-02T03:30Z is still 2025-06-01 in New York, so it is outside D-6..D for 06-08.
    entries = seven_calls()
    entries[0]["at"] = "2025-06-02T03:30:00+00:00"
    assert decide(with_history(entries))["decision"] == "allow"
    assert CELL
