"""Placement rows (kind "accounts")."""

import datetime as dt
from decimal import Decimal

import pytest

from accounts.ledger_csv import LedgerFileError, PlacementRow, RowError, open_ledger

from .support import parse, split

HEADER = (
    "Account #,Debt Type,First,Last,Company,DOB,SSN,Address,City,State,Zip Code,Phone Number,E-mail,Balance,Interest"
)


def placements(*lines):
    return ("\r\n".join((HEADER, *lines)) + "\r\n").encode()


GOOD = (
    "P-1,Consumer,Jane,Doe,,1980-02-03,6789,1 Main St,Boston,ma,02134,(212) 736-5000,"
    'jane@example.com,"1,200.50",'
)


def test_valid_placement_is_normalised():
    (row,) = parse(placements(GOOD), kind="accounts")
    assert isinstance(row, PlacementRow)
    assert (row.line, row.creditor_account_number, row.debt_type) == (2, "P-1", "consumer_loan")
    assert (row.first_name, row.last_name, row.business_name) == ("Jane", "Doe", "")
    assert row.date_of_birth == dt.date(1980, 2, 3)
    assert row.ssn_last4 == "6789"
    assert (row.state, row.zip, row.phone, row.email) == ("MA", "02134", "+12127365000", "jane@example.com")
    assert (row.principal, row.interest, row.fees) == (Decimal("1200.50"), Decimal("0.00"), Decimal("0.00"))
    assert row.charge_off_date is None and row.itemization_balance is None


def test_business_debtor_needs_only_business_name():
    (row,) = parse(placements("B-1,b2b,,,Acme LLC,,,,,,,,,500,"), kind="accounts")
    assert (row.debt_type, row.business_name) == ("commercial", "Acme LLC")


def test_person_without_last_name_is_rejected():
    _, errors = split(parse(placements("P-1,medical,Jane,,,,,,,,,,,10,"), kind="accounts"))
    assert errors == [RowError(2, "last_name", "", "last_name is required (or business_name for a business)")]


def test_invalid_placement_fields_are_each_reported_in_column_order():
    line = "P-1,payday,Jane,Doe,,1980-02-30,12,x,y,ZZ,00000,555,jane@,-5,1.234"
    _, errors = split(parse(placements(line), kind="accounts"))
    assert [(e.column, e.value) for e in errors] == [
        ("debt_type", "payday"), ("date_of_birth", "1980-02-30"), ("ssn_last4", "***"), ("state", "ZZ"),
        ("zip", "00000"), ("phone", "555"), ("email", "jane@"), ("principal", "-5"), ("interest", "1.234"),
    ]  # fmt: skip
    messages = {e.column: e.message for e in errors}
    assert messages["debt_type"] == (
        "unknown debt_type 'payday'; allowed: credit_card, consumer_loan, auto_loan, medical, utility, commercial,"
        " other")
    assert messages["principal"] == "principal cannot be negative"
    assert messages["interest"] == "interest has more than 2 decimal places"
    assert messages["date_of_birth"] == "date_of_birth: impossible date '1980-02-30' (no such day)"


def test_ssn_never_appears_in_error_messages():
    _, errors = split(parse(placements("P-1,consumer,Jane,Doe,,,123-45-67890,,,,,,,1,"), kind="accounts"))
    assert errors[0].value == "***"
    assert "67890" not in errors[0].message


def test_a_full_ssn_is_a_row_error_that_never_shows_the_number():
    _, errors = split(parse(placements(GOOD.replace(",6789,", ",123-45-6789,")), kind="accounts"))
    assert [(e.column, e.value) for e in errors] == [("ssn_last4", "***")]
    assert "full Social Security number" in errors[0].message and "6789" not in errors[0].message


@pytest.mark.parametrize("born, why", [("2099-01-01", "is in the future"),
                                       ((dt.date.today() + dt.timedelta(days=1)).isoformat(), "is in the future")])
def test_an_implausible_date_of_birth_is_refused(born, why):
    _, errors = split(parse(placements(GOOD.replace("1980-02-03", born)), kind="accounts"))
    assert [(e.column, e.value) for e in errors] == [("date_of_birth", born)]
    assert why in errors[0].message and "not plausible" in errors[0].message


def test_same_account_placed_twice_names_the_first_line():
    _, errors = split(parse(placements(GOOD, GOOD.replace("jane@", "j@")), kind="accounts"))
    assert errors == [RowError(3, "creditor_account_number", "P-1", "account 'P-1' already placed on line 2")]


def test_missing_principal_is_reported():
    _, errors = split(parse(placements("P-1,consumer,Jane,Doe,,,,,,,,,,,"), kind="accounts"))
    assert errors == [RowError(2, "principal", "", "principal is required")]


def test_placement_file_without_a_name_column_is_a_file_error():
    with pytest.raises(LedgerFileError, match="missing required columns: first_name .or business_name., last_name"):
        open_ledger(b"acct,debt_type,principal\r\nA,consumer,1\r\n", kind="accounts")


def test_placement_row_survives_format_then_parse():
    import io

    from accounts.ledger_csv import format_placement_row, write_canonical_csv

    (row,) = parse(placements(GOOD), kind="accounts")
    buffer = io.StringIO(newline="")
    write_canonical_csv(buffer, "accounts", [format_placement_row(row._asdict())])
    (again,) = parse(buffer.getvalue().encode(), kind="accounts")
    assert again == row
