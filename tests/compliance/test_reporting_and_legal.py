"""Credit reporting, medical debt, bankruptcy and SCRA rules."""

from tests.compliance.factories import context, credit_report_action, decide, letter_action, reasons


def furnishing(now="2025-06-10T10:00:00-04:00", **metro2):
    return context(now, **credit_report_action(**metro2))


def fresh_notice(ctx, provided_at="2025-06-01T10:00:00-04:00"):
    ctx["facts"]["validation_notice"]["provided_at"] = provided_at
    ctx["facts"]["initial_communication"]["at"] = provided_at
    return ctx


def test_furnishing_on_day_14_after_mailing_is_blocked():
    result = decide(fresh_notice(furnishing("2025-06-15T10:00:00-04:00")))
    assert result["reasons"] == ["PASSIVE_COLLECTION_NOT_SATISFIED"]
    assert result["next_allowed_at"] == "2025-06-16T00:00:00-04:00"


def test_furnishing_on_day_15_after_mailing_is_allowed():
    assert decide(fresh_notice(furnishing("2025-06-16T00:00:00-04:00")))["decision"] == "allow"


def test_undeliverable_notice_during_wait_resets_passive_collection():
    ctx = fresh_notice(furnishing("2025-06-20T10:00:00-04:00"))
    ctx["facts"]["credit_reporting"]["undeliverable_notices"] = [{"received_at": "2025-06-09T10:00:00-04:00"}]
    result = decide(ctx)
    assert result["reasons"] == ["PASSIVE_COLLECTION_NOT_SATISFIED"]
    assert result["next_allowed_at"] is None


def test_speaking_with_the_consumer_satisfies_passive_collection():
    ctx = fresh_notice(furnishing("2025-06-05T10:00:00-04:00"))
    ctx["facts"]["contact_history"] = [{"at": "2025-06-03T10:00:00-04:00", "channel": "call",
                                        "direction": "inbound", "recipient": "consumer",
                                        "debt_ids": ["D1"], "outcome": "conversation"}]
    assert decide(ctx)["decision"] == "allow"


def dispute(ctx, **extra):
    ctx["facts"]["disputes"] = [{"received_at": "2025-05-01T10:00:00-04:00", "method": "oral",
                                 "verification_or_judgment_sent_at": None, **extra}]
    ctx["facts"]["credit_reporting"]["previously_furnished"] = True
    ctx["action"]["report_type"] = "update"
    return ctx


def test_disputed_debt_without_xb_is_blocked():
    assert reasons(dispute(furnishing())) == ["DISPUTED_NOT_FLAGGED"]


def test_disputed_debt_with_xb_is_allowed():
    assert decide(dispute(furnishing(compliance_condition_code="XB")))["decision"] == "allow"


def test_xb_persists_from_the_last_furnishing():
    ctx = dispute(furnishing())
    ctx["facts"]["credit_reporting"]["last_furnished"] = {"compliance_condition_code": "XB"}
    assert decide(ctx)["decision"] == "allow"


def test_initial_furnishing_during_timely_written_dispute_is_blocked():
    ctx = furnishing(compliance_condition_code="XB")
    ctx["facts"]["disputes"] = [{"received_at": "2025-01-20T10:00:00-05:00", "method": "written_mail"}]
    assert reasons(ctx) == ["DISPUTE_PENDING_VERIFICATION"]


def paid(ctx, **debt):
    ctx["facts"]["debts"][0].update(balance=0.0, paid_in_full_on="2025-06-01", **debt)
    ctx["facts"]["credit_reporting"]["previously_furnished"] = True
    return ctx


def test_paid_collection_reported_93_is_inconsistent():
    result = decide(paid(furnishing(current_balance=0, amount_past_due=0)))
    assert result["reasons"] == ["METRO2_STATUS_INCONSISTENT"]
    assert "62" in result["violations"][0]["message"]


def test_paid_collection_reported_62_is_allowed():
    assert decide(paid(furnishing(account_status="62", current_balance=0)))["decision"] == "allow"


def test_settled_collection_needs_special_comment_au():
    ctx = paid(furnishing(account_status="62", current_balance=0), settled_for_less=True)
    assert reasons(ctx) == ["METRO2_STATUS_INCONSISTENT"]
    ctx["action"]["metro2"]["special_comment"] = "AU"
    assert decide(ctx)["decision"] == "allow"


def test_payment_rating_must_be_blank_for_93():
    assert reasons(furnishing(payment_rating="G")) == ["METRO2_STATUS_INCONSISTENT"]


def test_changing_the_dofd_is_re_aging():
    assert reasons(furnishing(date_of_first_delinquency="2024-12-01")) == ["METRO2_DOFD_CHANGED"]


def test_obsolete_on_dofd_plus_seven_years():
    ctx = furnishing("2031-08-14T10:00:00-04:00")
    assert "FCRA_OBSOLETE" not in reasons(ctx)
    ctx["facts"]["now"] = "2031-08-15T10:00:00-04:00"
    assert "FCRA_OBSOLETE" in reasons(ctx)


def test_selling_a_paid_debt_is_blocked():
    ctx = paid(context(channel="debt_sale", to=None, dialer=None))
    assert reasons(ctx) == ["DEBT_TRANSFER_PROHIBITED"]


def medical(ctx, **debt):
    ctx["facts"]["debts"][0].update(medical=True, type="medical", creditor_classification_metro2="02",
                                    date_of_service="2024-05-01", date_of_first_delinquency="2024-08-15",
                                    **debt)
    return ctx


def test_medical_debt_of_499_is_not_furnished():
    ctx = medical(furnishing("2025-09-01T10:00:00-04:00"), original_balance=499.99)
    assert reasons(ctx) == ["MEDICAL_UNDER_500"]


def test_medical_debt_of_500_may_be_furnished():
    assert decide(medical(furnishing("2025-08-15T10:00:00-04:00"), original_balance=500.0))["decision"] == "allow"


def test_medical_debt_waits_one_year_from_later_of_service_and_dofd():
    result = decide(medical(furnishing("2025-08-14T10:00:00-04:00")))
    assert result["reasons"] == ["MEDICAL_WAITING_PERIOD"]
    assert result["next_allowed_at"] == "2025-08-15T00:00:00-04:00"


def test_california_bans_medical_furnishing():
    ctx = medical(furnishing("2025-09-01T10:00:00-04:00"))
    ctx["facts"]["consumer"]["state"] = "CA"
    assert reasons(ctx) == ["STATE_MEDICAL_REPORTING_BAN"]
    ctx["facts"]["now"] = "2024-12-31T10:00:00-08:00"
    ctx["facts"]["debts"][0]["date_of_service"] = "2023-01-01"
    ctx["facts"]["debts"][0]["date_of_first_delinquency"] = "2023-06-01"
    ctx["action"]["metro2"]["date_of_first_delinquency"] = "2023-06-01"
    ctx["facts"]["credit_reporting"]["previously_furnished"] = True
    ctx["action"]["report_type"] = "update"
    assert decide(ctx)["decision"] == "allow"  # before SB 1061 took effect


def bankrupt(ctx, **case):
    ctx["facts"]["bankruptcy"] = {"debtor_ids": ["CON-001"], "chapter": 7, "petition_filed_on": "2025-05-01",
                                  "case_number": "25-1", "status": "pending", **case}
    return ctx


def test_call_during_automatic_stay_is_blocked():
    result = decide(bankrupt(context()))
    assert result["reasons"] == ["BANKRUPTCY_AUTOMATIC_STAY"]
    assert result["next_allowed_at"] is None


def test_call_the_day_before_the_petition_is_allowed():
    assert decide(bankrupt(context("2025-04-30T11:00:00-04:00")))["decision"] == "allow"


def test_dismissal_ends_the_stay():
    assert decide(bankrupt(context(), status="dismissed", dismissed_on="2025-06-01"))["decision"] == "allow"


def test_proof_of_claim_is_not_blocked_by_the_stay():
    ctx = bankrupt(context(channel="lawsuit", to=None, dialer=None, stage="proof_of_claim"))
    assert decide(ctx)["decision"] == "allow"


def test_discharged_debt_cannot_be_collected():
    ctx = bankrupt(context(**letter_action()), status="discharged", discharged_on="2025-06-01",
                   debt_ids_discharged=["D1"])
    assert reasons(ctx) == ["BANKRUPTCY_DISCHARGE"]


def codebtor(ctx, chapter=13):
    ctx["facts"]["consumer"]["related_persons"] = [{"id": "CON-002", "name": "Alex Kim",
                                                    "relationship": "co_signer_on_D1"}]
    ctx["facts"]["debts"][0]["obligors"] = ["CON-001", "CON-002"]
    return bankrupt(ctx, chapter=chapter)


def test_chapter_13_protects_the_cosigner():
    ctx = codebtor(context(recipient="co_obligor", related_person_id="CON-002", to="+14045550166"))
    assert reasons(ctx) == ["BANKRUPTCY_CODEBTOR_STAY"]


def test_chapter_7_does_not_protect_the_cosigner():
    ctx = codebtor(context(recipient="co_obligor", related_person_id="CON-002", to="+14045550166"), chapter=7)
    assert decide(ctx)["decision"] == "allow"


def test_default_judgment_needs_military_affidavit():
    action = {"channel": "lawsuit", "to": None, "dialer": None, "stage": "motion_for_default_judgment",
              "military_status_affidavit_filed": True, "dmdc_scra_status_report_obtained_on": "2025-06-01"}
    assert decide(context(**action))["decision"] == "allow"
    action["military_status_affidavit_filed"] = False
    assert reasons(context(**action)) == ["SCRA_MILITARY_STATUS_AFFIDAVIT"]


def servicemember(ctx, rate, **debt):
    ctx["facts"]["consumer"]["servicemember"] = {"status": "active_duty", "active_duty_start": "2025-01-15",
                                                 "scra_written_notice_received_on": "2025-03-01"}
    ctx["facts"]["debts"][0].update({"interest_rate_apr": rate, "originated_on": "2023-05-01", **debt})
    return ctx


def test_six_percent_on_pre_service_debt_is_allowed():
    assert decide(servicemember(context(**letter_action()), 6.0))["decision"] == "allow"


def test_above_six_percent_on_pre_service_debt_is_blocked():
    assert reasons(servicemember(context(**letter_action()), 6.01)) == ["SCRA_INTEREST_CAP"]


def test_debt_incurred_during_service_is_not_capped():
    ctx = servicemember(context(**letter_action()), 19.99, originated_on="2025-02-01")
    assert decide(ctx)["decision"] == "allow"


def test_discharged_debt_is_reported_with_discharged_indicator_and_zero_balance():
    ctx = bankrupt(furnishing(), status="discharged", discharged_on="2025-06-01", debt_ids_discharged=["D1"])
    ctx["facts"]["credit_reporting"]["previously_furnished"] = True
    assert reasons(ctx) == ["BANKRUPTCY_DISCHARGE"]
    ctx["action"]["metro2"].update(consumer_information_indicator="E", current_balance=0, account_status="DA")
    assert decide(ctx)["decision"] == "allow"


def test_repossession_during_service_needs_a_court_order():
    ctx = servicemember(context(channel="repossession", to=None, dialer=None), 6.0)
    assert reasons(ctx) == ["SCRA_COURT_ORDER_REQUIRED"]
    ctx["action"]["court_order"] = True
    assert decide(ctx)["decision"] == "allow"
