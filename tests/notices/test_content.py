"""FED-VN-02 content and FED-VN-03 end date of the validation notice, in English and Spanish."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from compliance.notices.content import (
    REQUIRED_ITEMS,
    NoticeContentIncomplete,
    engine_content,
    itemization_since,
    validate_notice_content,
)
from tests.compliance.factories import context, decide, letter_action
from tests.notices.support import DEBT, D, notice


@pytest.mark.parametrize("language", ["en", "es"])
def test_notice_has_every_required_item(language):
    assert validate_notice_content(notice(language=language)) == []


def test_english_notice_says_every_required_statement():
    content = notice()
    text = content["text"]
    assert text["debt_collector_disclosure"].startswith("Northstar Recovery LLC is a debt collector.")
    assert "you owe to Acme Bank, N.A. We will" in text["debt_collector_disclosure"]  # no doubled period
    assert text["debt_description"] == "You had an account from Acme Bank, N.A. with account number ****4421."
    assert "by July 9, 2025" in text["dispute_by_end_date"]
    assert "we will assume that our information is correct" in text["dispute_by_end_date"]
    assert "we must stop collection on any amount you dispute" in text["dispute_stops_collection"]
    assert "If you write by July 9, 2025, we must stop collection" in text["original_creditor_by_end_date"]
    assert "www.cfpb.gov/debt-collection" in text["cfpb_reference"]
    assert text["electronic_dispute_instructions"] == (
        "We accept disputes electronically at www.northstar-recovery.example/dispute.")
    assert text["response_heading"] == "How do you want to respond?"
    assert text["response_dispute_options"] == [
        "This is not my debt.", "The amount is wrong.",
        "Other (please describe on reverse or attach additional information)."]
    assert text["response_enclosed_amount"] == "I enclosed this amount:"
    assert "original creditor" in text["response_original_creditor"]
    assert text["spanish_offer"].startswith("Póngase en contacto con nosotros")


def test_spanish_notice_says_every_required_statement_in_spanish():
    text = notice(language="es")["text"]
    assert text["debt_collector_disclosure"].startswith("Northstar Recovery LLC es un cobrador de deudas.")
    assert "a más tardar el 9 de julio de 2025" in text["dispute_by_end_date"]
    assert "asumiremos que nuestra información es correcta" in text["dispute_by_end_date"]
    assert "a más tardar el 9 de julio de 2025" in text["dispute_stops_collection"]
    assert "acreedor original" in text["original_creditor_by_end_date"]
    assert "www.cfpb.gov/debt-collection" in text["cfpb_reference"]
    assert text["response_heading"] == "¿Cómo desea responder?"
    assert text["response_dispute_options"][0] == "Esta no es mi deuda."
    assert text["response_enclosed_amount"] == "Adjunté esta cantidad:"
    assert "spanish_offer" not in text  # the offer to translate belongs on the English notice only
    assert notice(language="es", collector={"hours_es": "lunes a viernes"})["collector"]["hours"] == "lunes a viernes"


def test_spanish_offer_can_be_left_off_the_english_notice():
    content = notice(offer_spanish=False)
    assert "spanish_offer" not in content["text"] and not content["offers_spanish"]
    assert validate_notice_content(content) == []


@pytest.mark.parametrize("sent_on, receipt, end", [
    (date(2025, 6, 2), date(2025, 6, 9), date(2025, 7, 9)),     # Mon mailing; skip Sat-Sun
    (date(2025, 7, 3), date(2025, 7, 11), date(2025, 8, 10)),   # skip Independence Day; ends on a Sunday
    (date(2025, 11, 6), date(2025, 11, 14), date(2025, 12, 14)),  # skip Veterans Day; ends on a Sunday
])
def test_validation_period_end_matches_the_worked_examples(sent_on, receipt, end):
    content = notice(sent_on=sent_on)
    assert content["assumed_receipt_date"] == receipt
    assert content["validation_period_end"] == content["minimum_validation_period_end"] == end


def test_a_later_stated_end_date_is_allowed_and_printed():
    content = notice(end_date=date(2025, 7, 31))
    assert validate_notice_content(content) == []
    assert "by July 31, 2025" in content["text"]["dispute_by_end_date"]


def test_stated_end_date_before_the_minimum_is_reported():
    assert validate_notice_content(notice(end_date=date(2025, 7, 8))) == ["validation_period_end"]


def test_missing_consumer_address_is_reported_by_name():
    content = notice(consumer={"address_line1": "", "city": "", "state": "", "zip": ""})
    assert validate_notice_content(content) == ["consumer_mailing_address", "response_mailing_addresses"]


def test_missing_itemization_is_reported_by_name():
    content = notice(debt={"itemization_date": None, "itemization_date_type": "", "amount_on_itemization_date": None})
    assert validate_notice_content(content) == [
        "itemization_date", "itemization_date_type", "amount_on_itemization_date", "current_amount",
        "itemization_reconciles"]


def test_removed_statements_are_reported_by_name():
    content = notice()
    for key in ("debt_collector_disclosure", "cfpb_reference", "original_creditor_by_end_date"):
        content["text"][key] = ""
    content["text"]["response_dispute_options"] = content["text"]["response_dispute_options"][:2]
    assert validate_notice_content(content) == [
        "debt_collector_disclosure", "end_date_statement_original_creditor", "cfpb_reference",
        "response_dispute_prompts"]


def test_an_empty_notice_is_missing_everything_but_optional_electronic_instructions():
    assert validate_notice_content({}) == [n for n in REQUIRED_ITEMS if n != "electronic_dispute_instructions"]


def test_electronic_dispute_instructions_required_only_when_disputes_are_accepted_electronically():
    no_address = notice(collector={"electronic_dispute_address": ""})
    assert validate_notice_content(no_address) == ["electronic_dispute_instructions"]
    not_offered = notice(collector={"accepts_electronic_disputes": False})
    assert not_offered["text"]["electronic_dispute_instructions"] is None
    assert validate_notice_content(not_offered) == []


def test_a_current_amount_off_by_one_cent_is_reported():
    content = notice()
    content["current_amount"] += D("0.01")
    assert validate_notice_content(content) == ["itemization_reconciles"]


def test_a_current_amount_that_differs_from_the_booked_balance_is_reported():
    assert validate_notice_content(notice(debt={"ledger_balance": D("1843.28")})) == ["itemization_reconciles"]
    assert validate_notice_content(notice(debt={"ledger_balance": D("1843.27")})) == []


def test_charges_after_the_itemization_date_cannot_be_itemized():
    totals = itemization_since({"charge": D("50.00"), "interest": D("10.00")})
    assert totals["payments_and_credits"] == D("-50.00")
    assert "payments_and_credits_since_itemization_date" in validate_notice_content(notice(totals=totals))


def test_only_the_last_four_characters_of_the_account_number_are_shown():
    content = notice()
    assert content["account_number_truncated"] == "****4421"
    assert DEBT["account_number"] not in repr(content)


def test_incomplete_notice_error_names_each_item():
    error = NoticeContentIncomplete(["consumer_name", "cfpb_reference"])
    assert error.missing == ["consumer_name", "cfpb_reference"]
    assert "consumer_name (consumer's name)" in str(error) and "www.cfpb.gov/debt-collection" in str(error)


def test_the_rules_engine_accepts_the_notice_as_complete():
    content = engine_content(notice())
    assert content["current_amount"] == 1843.27 and content["stated_validation_period_end"] == "2025-07-09"
    ctx = context("2025-06-02T11:00:00-04:00", **letter_action(letter_type="validation_notice",
                                                                mailed_on="2025-06-02", content=content))
    assert decide(ctx)["decision"] == "allow"


def test_the_rules_engine_blocks_a_notice_missing_content():
    content = engine_content(notice(consumer={"name": ""}))
    ctx = context("2025-06-02T11:00:00-04:00", **letter_action(letter_type="validation_notice",
                                                                mailed_on="2025-06-02", content=content))
    assert "VALIDATION_NOTICE_CONTENT" in decide(ctx)["reasons"]


KINDS = ["charge", "interest", "fee", "payment", "adjustment", "reversal", "write_off"]
cents = st.integers(min_value=-10**8, max_value=10**8).map(lambda c: D(c).scaleb(-2))
ledgers = st.lists(st.tuples(st.sampled_from(KINDS), cents), max_size=30)


@given(ledger=ledgers, then=st.integers(min_value=0, max_value=10**9).map(lambda c: D(c).scaleb(-2)))
def test_itemization_reconciles_to_the_cent_over_any_ledger(ledger, then):
    net: dict = {}
    for kind, amount in ledger:
        net[kind] = net.get(kind, D("0.00")) + amount
    totals = itemization_since(net)
    content = notice(debt={"amount_on_itemization_date": then}, totals=totals)
    current = content["current_amount"]
    assert current == then + sum((a for _, a in ledger), D("0.00"))
    assert (content["amount_on_itemization_date"] + content["interest_since_itemization_date"]
            + content["fees_since_itemization_date"] - content["payments_and_credits_since_itemization_date"]
            == current)
    assert current == current.quantize(D("0.01"))
    assert content["interest_since_itemization_date"] >= 0 and content["fees_since_itemization_date"] >= 0
    problems = validate_notice_content(content)
    assert "itemization_reconciles" not in problems
    assert problems == ([] if totals["payments_and_credits"] >= 0 else ["payments_and_credits_since_itemization_date"])
