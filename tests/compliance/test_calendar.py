"""5 USC 6103(a) holidays and the validation-period end date (12 CFR 1006.34(b)(5))."""

from datetime import date

import holidays
import pytest

from compliance.calendar import assumed_receipt_date, is_business_day, legal_public_holidays, validation_period_end


def test_notice_sent_thursday_before_veterans_day_is_received_the_next_friday():
    assert assumed_receipt_date(date(2025, 11, 6)) == date(2025, 11, 14)
    assert validation_period_end(date(2025, 11, 6)) == date(2025, 12, 14)


def test_monday_mailing_skips_one_weekend():
    assert assumed_receipt_date(date(2025, 6, 2)) == date(2025, 6, 9)
    assert validation_period_end(date(2025, 6, 2)) == date(2025, 7, 9)


def test_end_date_on_a_sunday_is_not_rolled_forward():
    assert validation_period_end(date(2025, 7, 3)) == date(2025, 8, 10)
    assert validation_period_end(date(2025, 7, 3)).weekday() == 6


def test_observed_friday_for_saturday_holiday_is_skipped():
    # Independence Day 2026 is a Saturday, observed Friday 2026-07-03.
    assert date(2026, 7, 3) in legal_public_holidays(2026)
    assert not is_business_day(date(2026, 7, 3))
    assert assumed_receipt_date(date(2026, 7, 1)) == date(2026, 7, 9)


def test_new_years_day_on_saturday_is_observed_the_previous_december():
    assert date(2021, 12, 31) in legal_public_holidays(2021)


def test_executive_order_closures_are_not_holidays():
    assert is_business_day(date(2025, 1, 9))  # National Day of Mourning
    assert is_business_day(date(2024, 12, 24))
    assert is_business_day(date(2025, 1, 20)) is False  # MLK day (Inauguration coincides)
    assert "Inauguration" not in " ".join(legal_public_holidays(2025).values())


def test_juneteenth_only_from_2021():
    assert date(2021, 6, 18) in legal_public_holidays(2021)  # Saturday -> observed Friday
    assert date(2020, 6, 19) not in legal_public_holidays(2020)


@pytest.mark.parametrize("year", range(2021, 2036))
def test_matches_holidays_package_without_inauguration_day(year):
    theirs = {d for d, name in holidays.US(years=year, observed=True).items() if "Inauguration" not in name}
    assert set(legal_public_holidays(year)) == theirs


def test_eleven_holidays_a_year_before_observed_days():
    assert len(legal_public_holidays(2025, observed=False)) == 11
