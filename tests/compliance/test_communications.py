"""Cease, medium opt-outs, attorneys, third parties, mail, electronic messages, voicemail, time-barred debt."""

from tests.compliance.factories import CELL, context, decide, letter_action, reasons

EMAIL = {"channel": "email", "to": "pat.doe@example.com", "includes_opt_out_notice": True, "dialer": None}


def ceased(ctx, method="written_mail"):
    ctx["facts"]["cease_notice"] = {"received_at": "2025-05-15T11:00:00-04:00", "method": method,
                                    "type": "cease_communication"}
    return ctx


def test_call_after_written_cease_is_blocked():
    result = decide(ceased(context()))
    assert result["reasons"] == ["CEASE_COMMUNICATION"]
    assert result["next_allowed_at"] is None


def test_termination_letter_after_cease_is_allowed():
    action = letter_action(letter_type="cease_exception_termination_notice",
                           content={"purpose": "advise_collection_efforts_terminated", "requests_payment": False})
    assert decide(ceased(context(**action)))["decision"] == "allow"


def test_termination_letter_that_asks_for_payment_is_blocked():
    action = letter_action(letter_type="cease_exception_termination_notice",
                           content={"purpose": "advise_collection_efforts_terminated", "requests_payment": True})
    assert reasons(ceased(context(**action))) == ["CEASE_COMMUNICATION"]


def test_oral_stop_request_is_not_a_cease():
    assert decide(ceased(context(), method="oral"))["decision"] == "allow"


def test_cease_does_not_block_a_lawsuit_or_furnishing():
    assert decide(ceased(context(channel="lawsuit", to=None, dialer=None, stage="complaint")))["decision"] == "allow"


def opted_out(ctx, medium, address=None):
    ctx["facts"]["consumer"]["medium_opt_outs"] = [
        {"medium": medium, "address": address, "requested_at": "2025-06-01T18:02:00-04:00", "statement": "STOP"}]
    return ctx


def test_text_after_stop_is_blocked():
    result = decide(opted_out(context(channel="sms", includes_opt_out_notice=True), "sms", CELL))
    assert result["reasons"][0] == "MEDIUM_OPT_OUT"
    assert result["violations"][0]["rule"] == "FED-ELEC-03"


def test_phone_opt_out_leaves_letters_open():
    assert decide(opted_out(context(**letter_action()), "phone"))["decision"] == "allow"
    assert reasons(opted_out(context(), "phone")) == ["MEDIUM_OPT_OUT"]


def test_opt_out_for_one_address_leaves_other_addresses_open():
    assert decide(opted_out(context(**EMAIL), "email", "old@example.com"))["decision"] == "allow"


def represented(ctx, **extra):
    ctx["facts"]["consumer"]["attorney"] = {"name": "Dana Whitfield, Esq.", "address": "100 Peachtree St",
                                            "known_since": "2025-05-01T09:00:00-04:00", "debt_ids": ["D1"],
                                            "consented_to_direct_contact_at": None, **extra}
    return ctx


def test_call_to_represented_consumer_is_blocked():
    assert reasons(represented(context())) == ["ATTORNEY_REPRESENTED"]


def test_letter_to_the_attorney_is_allowed():
    ctx = represented(context(**letter_action(recipient="consumer_attorney", addressed_to="Dana Whitfield, Esq.")))
    assert decide(ctx)["decision"] == "allow"


def test_attorney_consent_to_direct_contact_lifts_the_bar():
    assert decide(represented(context(), consented_to_direct_contact_at="2025-06-01T10:00:00-04:00"))[
        "decision"] == "allow"


def test_representation_on_another_debt_does_not_block():
    assert decide(represented(context(), debt_ids=["D9"]))["decision"] == "allow"


def location_call(**extra):
    action = {"recipient": "third_party", "to": "+14045550610", "purpose": "location_information",
              "third_party": {"id": "TP-1", "relationship": "neighbor"},
              "script": {"identifies_caller_by_name": True, "states_confirming_or_correcting_location": True,
                         "mentions_debt": False, "names_employer_unless_asked": False}}
    ctx = context(**{**action, **extra})
    ctx["facts"]["consumer"]["location_known"] = False
    return ctx


def test_first_location_call_is_allowed():
    assert decide(location_call())["decision"] == "allow"


def test_second_location_call_to_same_person_is_blocked():
    ctx = location_call()
    ctx["facts"]["contact_history"] = [{"at": "2025-06-03T12:00:00-04:00", "channel": "call",
                                        "direction": "outbound", "recipient": "third_party",
                                        "to_or_from": "+14045550610", "outcome": "conversation",
                                        "purpose": "location_information", "third_party_id": "TP-1"}]
    assert reasons(ctx) == ["LOCATION_CONTACT_REPEAT"]
    ctx["facts"]["contact_history"][0]["third_party_requested_further_contact"] = True
    assert decide(ctx)["decision"] == "allow"


def test_location_call_that_mentions_the_debt_is_a_disclosure():
    ctx = location_call()
    ctx["action"]["script"]["mentions_debt"] = True
    assert reasons(ctx) == ["THIRD_PARTY_DISCLOSURE"]


def test_location_call_when_location_is_known_is_blocked():
    ctx = location_call()
    ctx["facts"]["consumer"]["location_known"] = True
    assert reasons(ctx) == ["THIRD_PARTY_DISCLOSURE"]


def test_collection_call_to_a_neighbor_is_a_third_party_disclosure():
    ctx = location_call(purpose="collection")
    assert reasons(ctx) == ["THIRD_PARTY_DISCLOSURE"]


def test_spouse_counts_as_the_consumer():
    ctx = context(recipient="spouse", related_person_id="P-2", to="+14045550777")
    ctx["facts"]["consumer"]["related_persons"] = [{"id": "P-2", "name": "Sam Doe", "relationship": "spouse"}]
    assert decide(ctx)["decision"] == "allow"


def test_postcard_is_blocked():
    action = letter_action(envelope={"is_postcard": True, "exterior_text": []})
    assert reasons(context(**action)) == ["ENVELOPE_OR_POSTCARD"]


def test_past_due_on_envelope_is_blocked():
    action = letter_action(envelope={"exterior_text": ["PAST DUE"], "return_name": "Northstar Recovery LLC"})
    result = decide(context(**action))
    assert result["reasons"] == ["ENVELOPE_OR_POSTCARD"]
    assert '"PAST DUE"' in result["violations"][0]["message"]


def test_plain_envelope_is_allowed():
    assert decide(context(**letter_action()))["decision"] == "allow"


def test_public_social_media_post_is_blocked():
    ctx = context(channel="social_media", to="@pat", dialer=None, includes_opt_out_notice=True, visibility="public")
    assert "THIRD_PARTY_DISCLOSURE" in reasons(ctx)


def test_email_without_opt_out_notice_is_blocked():
    assert reasons(context(**{**EMAIL, "includes_opt_out_notice": False})) == ["MISSING_OPT_OUT_NOTICE"]


def test_email_with_opt_out_notice_is_allowed():
    assert decide(context(**EMAIL))["decision"] == "allow"


def work_email(ctx, **extra):
    ctx["facts"]["consumer"]["emails"].append({"address": "pat@employer.com", "is_work_email": True, **extra})
    return ctx


def test_work_email_without_consent_is_blocked():
    assert reasons(work_email(context(**{**EMAIL, "to": "pat@employer.com"}))) == ["WORK_EMAIL"]


def test_work_email_the_consumer_used_is_allowed():
    ctx = work_email(context(**{**EMAIL, "to": "pat@employer.com"}),
                     consumer_emailed_collector_from_this_address_at="2025-06-01T10:00:00-04:00")
    assert decide(ctx)["decision"] == "allow"


LCM = {"business_name": "Northstar", "request_reply": True, "natural_person_name": "Jamie",
       "callback_number": "+18005550100"}


def test_limited_content_voicemail_is_allowed():
    assert decide(context(voicemail={**LCM, "salutation": True}))["decision"] == "allow"


def test_voicemail_mentioning_the_debt_is_blocked():
    result = decide(context(voicemail={**LCM, "mentions_debt": True, "amount_owed": 1843.27}))
    assert result["reasons"] == ["VOICEMAIL_NOT_LIMITED_CONTENT"]
    assert "amount_owed" in result["violations"][0]["message"]


def test_lawsuit_the_day_before_sol_expiry_is_allowed():
    ctx = context("2030-08-14T11:00:00-04:00", channel="lawsuit", to=None, dialer=None, stage="complaint")
    ctx["facts"]["debts"][0]["date_of_first_delinquency"] = "2029-08-15"
    assert decide(ctx)["decision"] == "allow"


def test_lawsuit_on_sol_expiry_date_is_blocked():
    ctx = context("2030-08-15T11:00:00-04:00", channel="lawsuit", to=None, dialer=None, stage="complaint")
    ctx["facts"]["debts"][0]["date_of_first_delinquency"] = "2029-08-15"
    assert reasons(ctx) == ["TIME_BARRED_LEGAL_ACTION"]


def test_lawsuit_with_unknown_sol_is_blocked():
    ctx = context(channel="lawsuit", to=None, dialer=None, stage="complaint")
    ctx["facts"]["debts"][0]["statute_of_limitations_expires_on"] = None
    assert reasons(ctx) == ["TIME_BARRED_LEGAL_ACTION"]


def test_threatening_suit_on_time_barred_debt_is_blocked():
    ctx = context(**letter_action(content={"threatens_legal_action": True}))
    ctx["facts"]["debts"][0]["statute_of_limitations_expires_on"] = "2025-01-01"
    assert "TIME_BARRED_LEGAL_ACTION" in reasons(ctx)


def state_consumer(ctx, state):
    ctx["facts"]["consumer"]["state"] = state
    ctx["facts"]["consumer"]["city"] = "Albany" if state == "NY" else "Sacramento"
    ctx["facts"]["debts"][0]["date_of_first_delinquency"] = "2021-03-01"
    return ctx


def test_new_york_letter_on_time_barred_debt_needs_disclosure():
    # NY CPLR 214-i: 3 years from 2021-03-01 -> barred since 2024-03-01.
    ctx = state_consumer(context(**letter_action()), "NY")
    assert reasons(ctx) == ["STATE_TIME_BARRED_DISCLOSURE_MISSING"]
    ctx["action"]["content"]["time_barred_disclosure"] = True
    assert decide(ctx)["decision"] == "allow"


def test_california_disclosure_needed_only_once():
    ctx = state_consumer(context(**letter_action()), "CA")
    assert reasons(ctx) == ["STATE_TIME_BARRED_DISCLOSURE_MISSING"]
    ctx["facts"]["debts"][0]["time_barred_disclosure_provided_on"] = "2025-05-01"
    assert decide(ctx)["decision"] == "allow"
