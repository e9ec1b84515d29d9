"""Aging and the score, with answers computed by hand."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from collections_app.worklist.buckets import Bucket, bucket_for, buckets_check, days_past_due, default_buckets
from collections_app.worklist.scoring import DEFAULT_WEIGHTS, Facts, add_years, headline, reasons, score

B = default_buckets()


@pytest.mark.parametrize("dpd, code", [(0, "current"), (1, "1-30"), (30, "1-30"), (31, "31-60"), (60, "31-60"),
                                       (61, "61-90"), (90, "61-90"), (91, "91-120"), (120, "91-120"),
                                       (121, "121-180"), (180, "121-180"), (181, "181-365"), (365, "181-365"),
                                       (366, "365+"), (5000, "365+")])
def test_default_bucket_edges(dpd, code):
    assert bucket_for(dpd, B) == code


def test_days_past_due_counts_whole_days_and_never_goes_negative():
    assert days_past_due(as_of=date(2026, 3, 10), delinquent_since=date(2026, 1, 7)) == 62
    assert days_past_due(as_of=date(2026, 3, 10), delinquent_since=date(2026, 4, 1)) == 0
    assert days_past_due(as_of=date(2026, 3, 10), delinquent_since=None) == 0


def test_bucket_table_problems_are_all_reported():
    problems = buckets_check([Bucket("a", 0, 10), Bucket("b", 5, 20), Bucket("c", 30, None), Bucket("d", 40, 50)])
    assert "b overlaps the bucket before it" in problems
    assert "no bucket holds 21-29 days" in problems
    assert "c has no upper end but is not the last bucket" in problems
    assert buckets_check(B) == []


def test_custom_buckets_are_data():
    assert bucket_for(45, [Bucket("early", 0, 59), Bucket("late", 60, None)]) == "early"


FACTS = Facts(dpd=62, bucket="61-90", balance=Decimal("4100.00"), status="active", debt_type="credit_card",
              creditor_code="ACME", days_since_contact=9, days_since_rpc=None, broken_promises=1,
              days_since_broken=1, kept_promises=0, days_to_sol=900)


def test_score_by_hand():
    # bucket 61-90: 35; balance 4100 * 2 / 1000 = 8.20; no contact 9 days * 1 = 9; never reached: 60 * 0.5 = 30;
    # one broken promise: 20; status active: 0; SOL 900 days away: 0; credit card: 5; ACME: 0
    total, parts = score(FACTS, DEFAULT_WEIGHTS)
    assert parts["bucket"][0] == Decimal("35.00")
    assert parts["balance"][0] == Decimal("8.20")
    assert parts["no_contact"][0] == Decimal("9.00")
    assert parts["no_rpc"][0] == Decimal("30.00")
    assert parts["broken"][0] == Decimal("20.00")
    assert total == Decimal("107.20")


def test_weights_change_the_score_and_the_cap_holds():
    weights = {**DEFAULT_WEIGHTS, "balance_per_1000": 3, "balance_cap": 2000, "creditor": {"ACME": 12.5}}
    total, parts = score(FACTS, weights)
    assert parts["balance"][0] == Decimal("6.00")  # capped at $2,000 * 3 / 1000
    assert parts["creditor"][0] == Decimal("12.50")
    assert total == Decimal("107.20") - Decimal("8.20") + Decimal("6.00") + Decimal("12.50")


def test_statute_of_limitations_horizon():
    soon = Facts(**{**FACTS.__dict__, "days_to_sol": 180})
    past = Facts(**{**FACTS.__dict__, "days_to_sol": -1})
    assert score(soon, DEFAULT_WEIGHTS)[1]["sol"][0] == Decimal("15.00")
    assert score(past, DEFAULT_WEIGHTS)[1]["sol"][0] == Decimal("-40.00")


def test_plan_and_promise_status_lower_the_score():
    plan = Facts(**{**FACTS.__dict__, "status": "plan"})
    assert score(plan, DEFAULT_WEIGHTS)[0] == Decimal("107.20") - 40


def test_reasons_read_like_the_issue():
    _, parts = score(FACTS, DEFAULT_WEIGHTS)
    assert headline(parts, dpd=62) == ("62 days past due, never reached the debtor, broken promise yesterday, "
                                       "no contact for 9 days")
    words = reasons(parts, dpd=62)
    assert words[0] == "62 days past due (+35)"
    assert "$4,100 owed (+8.2)" in words


def test_reasons_in_spanish_with_plurals_and_named_placeholders():
    _, parts = score(FACTS, DEFAULT_WEIGHTS)
    with translation.override("es"):
        assert headline(parts, dpd=62) == ("62 días de atraso, nunca se habló con el deudor, promesa incumplida ayer, "
                                           "sin contacto desde hace 9 días")
        words = reasons(parts, dpd=62)
        assert words[0] == "62 días de atraso (+35)"
        assert "$4,100 adeudados (+8.2)" in words
        one = dict(parts, bucket=[parts["bucket"][0], parts["bucket"][1]])
        assert headline(one, dpd=1).startswith("1 día de atraso")
        kept = {"kept": [Decimal("-20"), 2]}
        assert reasons(kept, dpd=0) == ["2 promesas cumplidas (−20)"]


def test_add_years_on_leap_day_matches_postgres():
    assert add_years(date(2024, 2, 29), 4) == date(2028, 2, 29)
    assert add_years(date(2024, 2, 29), 3) == date(2027, 2, 28)


def test_problems_with_buckets_and_weights_read_in_the_users_language():
    from collections_app.worklist.scoring import weights_problems

    with translation.override("es"):
        assert buckets_check([Bucket("a", 0, 10), Bucket("c", 30, None)]) == ["ningún tramo cubre 11-29 días"]
        assert weights_problems({**DEFAULT_WEIGHTS, "balance_cap": "-1"}) == ["balance_cap: no puede ser negativo"]
    assert buckets_check([Bucket("a", 0, 10), Bucket("c", 30, None)]) == ["no bucket holds 11-29 days"]


def test_a_weight_out_of_range_names_the_key_and_the_range_in_the_users_language():
    from collections_app.worklist.scoring import weights_problems

    assert weights_problems({**DEFAULT_WEIGHTS, "balance_per_1000": "1e30"}) == [
        "balance_per_1000: must be from -1,000 to 1,000, not 1e30"]
    with translation.override("es"):
        assert weights_problems({**DEFAULT_WEIGHTS, "sol_years_by_debt_type": {"medical": 500}}) == [
            "sol_years_by_debt_type.medical: debe estar entre 0 y 100, no 500"]
