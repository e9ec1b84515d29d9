"""FED-VN-01..04, DEC-02 and FED-DISP-01..04: validation notices, disputes and overshadowing."""

from tests.compliance.factories import context, decide, letter_action, reasons, validation_notice_content


def overdue(now, **action):
    ctx = context(now, **action)
    ctx["facts"]["initial_communication"] = {"at": "2025-06-02T10:00:00-04:00", "channel": "call",
                                             "validation_info_provided_orally": False}
    ctx["facts"]["validation_notice"] = None
    return ctx


def notice_action(**content):
    return letter_action(letter_type="validation_notice", mailed_on="2025-06-10",
                         content=validation_notice_content(**content))


def test_collection_call_on_day_five_after_initial_communication_is_allowed():
    assert decide(overdue("2025-06-07T23:00:00-04:00", dialer="manual_live_agent"))["reasons"] == [
        "INCONVENIENT_TIME"]  # only the hour; no notice problem on day 5
    assert decide(overdue("2025-06-07T12:00:00-04:00"))["decision"] == "allow"


def test_collection_call_on_day_six_without_notice_is_blocked():
    result = decide(overdue("2025-06-08T12:00:00-04:00"))
    assert result["reasons"] == ["VALIDATION_NOTICE_OVERDUE"]
    assert "due by 2025-06-07" in result["violations"][0]["message"]
    assert result["next_allowed_at"] is None


def test_late_validation_notice_itself_is_allowed():
    assert decide(overdue("2025-06-10T11:00:00-04:00", **notice_action()))["decision"] == "allow"


def test_oral_validation_information_satisfies_the_duty():
    ctx = overdue("2025-06-10T11:00:00-04:00")
    ctx["facts"]["initial_communication"]["validation_info_provided_orally"] = True
    assert decide(ctx)["decision"] == "allow"


def test_debt_paid_within_five_days_needs_no_notice():
    ctx = overdue("2025-06-10T11:00:00-04:00")
    ctx["facts"]["debts"][0]["paid_in_full_on"] = "2025-06-05"
    assert "VALIDATION_NOTICE_OVERDUE" not in reasons(ctx)


def test_notice_missing_itemization_is_blocked_and_named():
    ctx = overdue("2025-06-10T11:00:00-04:00", **notice_action(fees_since_itemization_date=None,
                                                              cfpb_website_reference_present=False))
    result = decide(ctx)
    assert result["reasons"] == ["VALIDATION_NOTICE_CONTENT"]
    message = result["violations"][0]["message"]
    assert "fees since the itemization date" in message and "CFPB website reference" in message


def test_itemization_date_type_must_be_one_of_five():
    ctx = overdue("2025-06-10T11:00:00-04:00", **notice_action(itemization_date_type="random_date"))
    assert reasons(ctx) == ["VALIDATION_NOTICE_CONTENT"]


def test_stated_end_date_equal_to_minimum_is_allowed():
    assert decide(overdue("2025-06-10T11:00:00-04:00", **notice_action(
        stated_validation_period_end="2025-07-17")))["decision"] == "allow"


def test_stated_end_date_one_day_early_is_blocked():
    result = decide(overdue("2025-06-10T11:00:00-04:00", **notice_action(stated_validation_period_end="2025-07-16")))
    assert result["reasons"] == ["VALIDATION_PERIOD_END_TOO_EARLY"]
    assert "minimum 2025-07-17" in result["violations"][0]["message"]


def deceased(ctx, **rep):
    consumer = ctx["facts"]["consumer"]
    consumer.update(deceased=True, date_of_death="2025-05-01")
    consumer["related_persons"] = [{"id": "P-1", "name": "Jordan Doe", "relationship": "adult_child",
                                    "is_personal_representative": True, "verified": True, **rep}]
    return ctx


def test_deceased_notice_to_named_representative_is_allowed():
    ctx = deceased(overdue("2025-06-10T11:00:00-04:00", **{**notice_action(), "addressed_to": "Jordan Doe"}))
    assert decide(ctx)["decision"] == "allow"


def test_deceased_notice_to_estate_of_is_blocked():
    ctx = deceased(overdue("2025-06-10T11:00:00-04:00", **{**notice_action(), "addressed_to": "Estate of Pat Doe"}))
    assert reasons(ctx) == ["DECEASED_NOTICE_ADDRESSEE"]


def test_adult_child_who_is_not_representative_is_a_third_party():
    ctx = deceased(context(related_person_id="P-1", recipient="relative", to="+14045550777"),
                   is_personal_representative=False)
    assert reasons(ctx) == ["THIRD_PARTY_DISCLOSURE"]


def test_surviving_spouse_may_be_contacted():
    ctx = deceased(context(related_person_id="P-1", recipient="spouse", to="+14045550777"),
                   relationship="surviving_spouse", is_personal_representative=False)
    assert decide(ctx)["decision"] == "allow"


def disputed(now, received_at, method="written_mail", **action):
    ctx = context(now, **action)
    ctx["facts"]["validation_notice"]["provided_at"] = "2025-06-02T10:00:00-04:00"
    ctx["facts"]["validation_notice"]["stated_validation_period_end"] = "2025-07-09"
    ctx["facts"]["disputes"] = [{"received_at": received_at, "method": method, "scope": "entire_debt",
                                 "verification_or_judgment_sent_at": None}]
    return ctx


def test_dispute_on_last_day_of_period_stops_collection():
    result = decide(disputed("2025-07-15T12:00:00-04:00", "2025-07-09T16:00:00-04:00"))
    assert result["reasons"] == ["DISPUTE_PENDING_VERIFICATION"]
    assert result["next_allowed_at"] is None


def test_dispute_the_day_after_the_period_does_not_stop_collection():
    assert decide(disputed("2025-07-15T12:00:00-04:00", "2025-07-10T09:00:00-04:00"))["decision"] == "allow"


def test_oral_dispute_does_not_stop_collection():
    assert decide(disputed("2025-06-25T12:00:00-04:00", "2025-06-20T10:00:00-04:00", "oral"))["decision"] == "allow"


def test_email_dispute_counts_when_collector_accepts_email():
    ctx = disputed("2025-06-25T12:00:00-04:00", "2025-06-20T10:00:00-04:00", "email")
    assert reasons(ctx) == ["DISPUTE_PENDING_VERIFICATION"]
    ctx["facts"]["collector"]["accepts_disputes_and_notices_by_email"] = False
    assert decide(ctx)["decision"] == "allow"


def test_sending_verification_is_allowed_during_the_dispute():
    ctx = disputed("2025-06-25T12:00:00-04:00", "2025-06-20T10:00:00-04:00", **letter_action(
        letter_type="debt_verification"))
    assert decide(ctx)["decision"] == "allow"


def test_collection_resumes_after_verification_is_sent():
    ctx = disputed("2025-06-25T12:00:00-04:00", "2025-06-20T10:00:00-04:00")
    ctx["facts"]["disputes"][0]["verification_or_judgment_sent_at"] = "2025-06-24T10:00:00-04:00"
    assert decide(ctx)["decision"] == "allow"


def test_original_creditor_request_blocks_until_answered():
    ctx = context("2025-06-25T12:00:00-04:00", **letter_action())
    ctx["facts"]["validation_notice"]["stated_validation_period_end"] = "2025-07-09"
    ctx["facts"]["original_creditor_requests"] = [
        {"received_at": "2025-06-16T10:00:00-04:00", "method": "written_mail", "provided_at": None}]
    assert reasons(ctx) == ["ORIGINAL_CREDITOR_REQUEST_PENDING"]
    ctx["facts"]["original_creditor_requests"][0]["provided_at"] = "2025-06-20T10:00:00-04:00"
    assert decide(ctx)["decision"] == "allow"


def in_period(content):
    ctx = context("2025-06-20T12:00:00-04:00", **letter_action(content=content))
    ctx["facts"]["validation_notice"]["provided_at"] = "2025-06-02T10:00:00-04:00"
    ctx["facts"]["validation_notice"]["stated_validation_period_end"] = "2025-07-09"
    return ctx


def test_payment_deadline_before_end_date_overshadows():
    result = decide(in_period({"demands_payment_by": "2025-07-08", "threatens_legal_action": False}))
    assert result["reasons"] == ["OVERSHADOWING"]


def test_payment_deadline_on_end_date_does_not_overshadow():
    assert decide(in_period({"demands_payment_by": "2025-07-09"}))["decision"] == "allow"


def test_threat_of_suit_during_period_overshadows():
    assert reasons(in_period({"threatens_legal_action": True})) == ["OVERSHADOWING"]


def test_payment_never_applied_to_disputed_debt():
    ctx = disputed("2025-06-25T12:00:00-04:00", "2025-06-20T10:00:00-04:00", channel="payment_allocation",
                   to=None, allocations=[{"debt_id": "D1", "amount": 50}])
    assert reasons(ctx) == ["PAYMENT_APPLIED_TO_DISPUTED_DEBT"]
