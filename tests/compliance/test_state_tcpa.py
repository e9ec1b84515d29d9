"""State overlays (MA, WA, NYC) and TCPA rules."""

from tests.compliance.factories import CELL, HOME, call, context, decide, letter_action, phone, reasons

EMAIL = {"channel": "email", "to": "pat.doe@example.com", "includes_opt_out_notice": True, "dialer": None}


def in_state(ctx, state, city="Boston"):
    ctx["facts"]["consumer"].update(state=state, city=city)
    return ctx


def test_second_massachusetts_call_in_seven_days_is_allowed():
    ctx = in_state(context(), "MA")
    ctx["facts"]["contact_history"] = [call("2025-06-05T10:00:00-04:00", "voicemail_left_limited_content")]
    assert decide(ctx)["decision"] == "allow"


def test_third_massachusetts_call_in_seven_days_is_blocked():
    ctx = in_state(context(), "MA")
    ctx["facts"]["contact_history"] = [call("2025-06-05T10:00:00-04:00", "answered_other_person"),
                                       call("2025-06-06T10:00:00-04:00", "voicemail_left_limited_content")]
    ctx["facts"]["now"] = "2025-06-11T11:00:00-04:00"
    result = decide(ctx)
    assert result["reasons"] == ["STATE_MA_CALL_LIMIT"]
    assert result["next_allowed_at"] == "2025-06-12T08:00:00-04:00"


def test_massachusetts_unanswered_calls_where_no_message_could_be_left_do_not_count():
    ctx = in_state(context(), "MA")
    ctx["facts"]["contact_history"] = [call("2025-06-05T10:00:00-04:00"), call("2025-06-06T10:00:00-04:00")]
    assert decide(ctx)["decision"] == "allow"


def test_massachusetts_consumer_requested_call_is_exempt():
    ctx = in_state(context(consumer_requested=True), "MA")
    ctx["facts"]["contact_history"] = [call("2025-06-05T10:00:00-04:00", "voicemail_left_limited_content"),
                                       call("2025-06-06T10:00:00-04:00", "voicemail_left_limited_content")]
    assert decide(ctx)["decision"] == "allow"


def wa_history(n):
    return [call(f"2025-06-0{5 + i % 3}T1{i}:00:00-04:00", "voicemail_left_limited_content") for i in range(n)]


def test_third_washington_communication_in_a_week_is_allowed():
    ctx = in_state(context(), "WA", "Seattle")
    ctx["facts"]["contact_history"] = wa_history(2)
    assert decide(ctx)["decision"] == "allow"


def test_fourth_washington_communication_in_a_week_is_blocked():
    ctx = in_state(context(**letter_action()), "WA", "Seattle")
    ctx["facts"]["contact_history"] = wa_history(3)
    assert reasons(ctx) == ["STATE_WA_COMM_LIMIT"]


def nyc(ctx):
    ctx["facts"]["consumer"].update(state="NY", city="Brooklyn", zip="11201")
    return ctx


def test_nyc_email_without_consent_is_blocked_after_effective_date():
    assert reasons(nyc(context("2025-10-01T11:00:00-04:00", **EMAIL))) == ["STATE_NYC_ELECTRONIC_CONSENT"]


def test_nyc_email_before_effective_date_is_allowed():
    assert decide(nyc(context("2025-09-30T11:00:00-04:00", **EMAIL)))["decision"] == "allow"


def test_nyc_email_with_consent_is_allowed():
    ctx = nyc(context("2025-10-01T11:00:00-04:00", **EMAIL))
    ctx["facts"]["consumer"]["emails"][0]["consumer_consented_to_electronic_comms_at"] = "2025-09-01T10:00:00-04:00"
    assert decide(ctx)["decision"] == "allow"


def test_nyc_fourth_attempt_in_seven_days_is_blocked():
    ctx = nyc(context("2025-10-10T11:00:00-04:00", **letter_action()))
    ctx["facts"]["contact_history"] = [call(f"2025-10-0{d}T10:00:00-04:00") for d in (5, 6, 7)]
    assert reasons(ctx) == ["STATE_NYC_ATTEMPT_LIMIT"]
    ctx["facts"]["contact_history"].pop()
    assert decide(ctx)["decision"] == "allow"


def test_policy_table_can_move_an_effective_date():
    from compliance.rules.state_policy import with_overrides

    policy = with_overrides({"states": {"NYC": {"electronic_consent_required": {"effective_from": "2026-09-01"}}}})
    assert decide(nyc(context("2025-10-01T11:00:00-04:00", **EMAIL)), policy=policy)["decision"] == "allow"


def test_policy_table_can_change_the_federal_call_cap():
    from compliance.rules.state_policy import with_overrides

    ctx = context()
    ctx["facts"]["contact_history"] = [call("2025-06-08T10:00:00-04:00"), call("2025-06-09T10:00:00-04:00")]
    policy = with_overrides({"federal": {"call_frequency": {"max_calls": 2, "days": 7}}})
    assert reasons(ctx, policy=policy) == ["CALL_FREQ_7_IN_7"]


def test_autodialed_call_to_cell_without_consent_is_blocked():
    assert reasons(context(dialer="predictive_dialer")) == ["TCPA_NO_CONSENT"]


def test_autodialed_call_to_cell_with_consent_is_allowed():
    ctx = context(dialer="predictive_dialer")
    ctx["facts"]["consumer"]["phones"][0]["tcpa_prior_express_consent"] = True
    assert decide(ctx)["decision"] == "allow"


def test_manual_call_to_cell_needs_no_tcpa_consent():
    assert decide(context(dialer="manual_live_agent"))["decision"] == "allow"


def test_revoked_consent_blocks_automated_texts():
    ctx = context(channel="sms", dialer=None, platform="automated_sms_platform", includes_opt_out_notice=True)
    ctx["facts"]["consumer"]["phones"][0].update(tcpa_prior_express_consent=True,
                                                 tcpa_consent_revoked_at="2025-06-01T18:02:00-04:00")
    assert reasons(ctx) == ["TCPA_CONSENT_REVOKED"]


def residential(n_prior):
    ctx = context(to=HOME, dialer="prerecorded_voice")
    ctx["facts"]["consumer"]["phones"].append(phone(HOME, line_type="landline_residential"))
    ctx["facts"]["contact_history"] = [
        call(f"2025-05-{12 + 5 * i}T10:00:00-04:00", "prerecorded_message_delivered", to_or_from=HOME,
             dialer="prerecorded_voice") for i in range(n_prior)]
    return ctx


def test_third_prerecorded_call_to_residential_line_in_30_days_is_allowed():
    assert decide(residential(2))["decision"] == "allow"


def test_fourth_prerecorded_call_to_residential_line_in_30_days_is_blocked():
    result = decide(residential(3))
    assert result["reasons"] == ["TCPA_RESIDENTIAL_PRERECORDED_LIMIT"]
    assert result["next_allowed_at"] == "2025-06-11T08:00:00-04:00"
    assert CELL


def test_second_washington_workplace_communication_in_a_week_is_blocked():
    work = "+12065550190"
    ctx = in_state(context(to=work), "WA", "Seattle")
    ctx["facts"]["consumer"]["phones"].append(phone(work, line_type="landline_business", is_workplace=True))
    assert decide(ctx)["decision"] == "allow"
    ctx["facts"]["contact_history"] = [call("2025-06-06T10:00:00-04:00", "voicemail_left_limited_content",
                                            to_or_from=work)]
    result = decide(ctx)
    assert result["reasons"] == ["STATE_WA_COMM_LIMIT"]
    assert "workplace" in result["violations"][0]["message"]


def test_washington_quiet_hours_at_the_residence_are_data():
    from compliance.rules.state_policy import with_overrides

    ctx = in_state(context("2025-06-10T20:30:00-04:00", to=HOME), "WA", "Seattle")
    ctx["facts"]["consumer"]["phones"].append(phone(HOME, line_type="landline_residential"))
    assert decide(ctx)["decision"] == "allow"
    policy = with_overrides({"states": {"WA": {"residence_quiet_hours": {"start": "20:00", "end": "07:30"}}}})
    result = decide(ctx, policy=policy)
    assert result["reasons"] == ["STATE_WA_COMM_LIMIT"]
    assert result["next_allowed_at"] == "2025-06-11T08:00:00-04:00"
