"""Amount and date cells."""

import datetime as dt
from decimal import Decimal

import pytest

from accounts.ledger_csv.values import (
    cents_to_decimal,
    format_cents,
    parse_amount_cents,
    parse_date,
    parse_email,
    parse_phone,
    parse_ssn_last4,
    parse_state,
    parse_zip,
)


@pytest.mark.parametrize(
    ("raw", "cents"),
    [
        ("1,234.56", 123456), ("$1,234.56", 123456), ("(12.50)", -1250), ("-12.50", -1250),
        ("$-5", -500), ("-$5", -500), (" 7 ", 700), ("0.5", 50), (".75", 75), ("5.", 500),
        ("+3.10", 310), ("($1,000.00)", -100000), ("1,000,000", 100000000), ("0", 0), ("-0.00", 0),
    ],
)  # fmt: skip
def test_accepted_amount_styles_parse_to_exact_cents(raw, cents):
    assert parse_amount_cents(raw) == cents


def test_amount_in_parentheses_is_negative():
    assert parse_amount_cents("(12.50)") == -1250


def test_three_decimal_amount_is_rejected():
    with pytest.raises(ValueError, match="^amount has more than 2 decimal places$"):
        parse_amount_cents("1.234")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "amount is required"), ("abc", "malformed amount"), ("12,50", "malformed thousands separators"),
        ("1,23,456.00", "malformed thousands separators"), ("$", "malformed amount"), ("1.2.3", "malformed amount"),
        ("--5", "malformed amount"), ("(-5)", "malformed amount"), ("1e5", "malformed amount"),
        ("١٢", "malformed amount"), ("12²", "malformed amount"), ("$$5", "malformed amount"),
    ],
)  # fmt: skip
def test_malformed_amounts_are_rejected_with_a_message(raw, message):
    with pytest.raises(ValueError, match=message):
        parse_amount_cents(raw)


def test_cents_to_decimal_has_two_places():
    assert cents_to_decimal(-5) == Decimal("-0.05")
    assert str(cents_to_decimal(123400)) == "1234.00"


@pytest.mark.parametrize("style", ["plain", "thousands", "dollar", "dollar_inner", "parens", "whole"])
def test_every_format_style_reads_back(style):
    for cents in (0, 1, -1, 99, -100, 123456, -98765432):
        assert parse_amount_cents(format_cents(cents, style)) == cents


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("2025-03-07", dt.date(2025, 3, 7)), ("03/07/2025", dt.date(2025, 3, 7)), ("3/7/2025", dt.date(2025, 3, 7)),
     (" 12/31/1999 ", dt.date(1999, 12, 31)), ("2024-02-29", dt.date(2024, 2, 29))],
)  # fmt: skip
def test_iso_and_us_dates_parse(raw, expected):
    assert parse_date(raw) == expected


def test_impossible_date_is_rejected():
    with pytest.raises(ValueError, match=r"^impossible date '2025-02-30' \(no such day\)$"):
        parse_date("2025-02-30")


@pytest.mark.parametrize(
    ("raw", "message"),
    [("2025/01/02", "malformed date"), ("1/2/25", "4-digit year"), ("31.01.2025", "malformed date"),
     ("13/01/2025", "impossible date"), ("2025-1-2", "malformed date"), ("0001-01-01", "out of range"),
     ("Jan 5 2025", "malformed date"), ("", "date is required")],
)  # fmt: skip
def test_bad_dates_are_rejected_with_a_message(raw, message):
    with pytest.raises(ValueError, match=message):
        parse_date(raw)


def test_state_accepts_codes_and_names():
    assert parse_state(" ca ") == "CA"
    assert parse_state("New York") == "NY"
    assert parse_state("D.C.") == "DC"
    with pytest.raises(ValueError, match="unknown US state 'XX'"):
        parse_state("XX")


def test_zip_must_exist_and_is_normalised():
    assert parse_zip("02134") == "02134"
    assert parse_zip("021341234") == "02134-1234"
    with pytest.raises(ValueError, match="does not exist"):
        parse_zip("00000")
    with pytest.raises(ValueError, match="malformed ZIP"):
        parse_zip("2134")


def test_phone_is_validated_and_normalised_to_e164():
    assert parse_phone("(212) 736-5000") == "+12127365000"
    with pytest.raises(ValueError, match="invalid phone number"):
        parse_phone("(123) 456-7890")
    with pytest.raises(ValueError, match="malformed phone number"):
        parse_phone("call me")


def test_email_is_checked_and_domain_lowercased():
    assert parse_email(" Jane.Doe@Example.COM ") == "Jane.Doe@example.com"
    for bad in ("jane", "jane@", "jane@example", "a b@example.com", "jane@@example.com", "j..d@example.com"):
        with pytest.raises(ValueError, match="malformed email"):
            parse_email(bad)


def test_a_full_ssn_in_the_last4_column_is_refused_not_reduced():
    assert parse_ssn_last4("6789") == "6789"
    for full in ("123-45-6789", "123456789", "123 45 6789"):
        with pytest.raises(ValueError, match="full Social Security number: send only its last 4 digits"):
            parse_ssn_last4(full)
    with pytest.raises(ValueError, match="4 digits"):
        parse_ssn_last4("12345")
