"""Transaction rows: sign rules, row errors with line and column, duplicates, account hook."""

import datetime as dt
from decimal import Decimal

from accounts.ledger_csv import RowError, TransactionRow, transaction_fingerprint

from .support import only_error, parse, split, tx_file


def test_valid_row_becomes_a_transaction_row_with_decimal_and_cents():
    (row,) = parse(tx_file(" A-1 ,03/07/2025,Payment,\"$1,050.00\", R-9 , thanks "))
    assert isinstance(row, TransactionRow)
    assert row == TransactionRow(
        line=2, creditor_account_number="A-1", posted_date=dt.date(2025, 3, 7), kind="payment",
        amount_cents=105000, signed_amount_cents=-105000, reference="R-9", memo="thanks",
        fingerprint=transaction_fingerprint("A-1", dt.date(2025, 3, 7), "payment", -105000),
    )  # fmt: skip
    assert row.amount == Decimal("1050.00")
    assert row.signed_amount == Decimal("-1050.00")


def test_charge_interest_fee_raise_the_debt_and_payment_lowers_it():
    kinds = ("charge", "interest", "fee", "payment")
    rows = parse(tx_file(*(f"A,2025-01-01,{kind},10.00,R-{kind}," for kind in kinds)))
    assert [r.signed_amount_cents for r in rows] == [1000, 1000, 1000, -1000]


def test_adjustment_and_reversal_carry_their_own_sign():
    data = tx_file("A,2025-01-01,adjustment,(12.50),R1,", "A,2025-01-01,REVERSAL,-3,R2,", "A,2025-01-01,reversal,4,R3,")
    rows = parse(data)
    assert [r.signed_amount_cents for r in rows] == [-1250, -300, 400]


def test_type_is_case_insensitive_and_trimmed():
    (row,) = parse(tx_file("A,2025-01-01, InTeReSt ,1.00,R1,"))
    assert row.kind == "interest"


def test_negative_payment_is_rejected():
    error = only_error(tx_file("A,2025-01-01,payment,-50.00,R1,"))
    assert (error.line, error.column, error.value) == (2, "amount", "-50.00")
    assert error.message.startswith("a payment amount cannot be negative")


def test_three_decimal_amount_is_rejected_with_line_and_column():
    error = only_error(tx_file("A,2025-01-01,charge,1.00,R1,", "A,2025-01-01,charge,12.345,R2,"))
    assert error == RowError(3, "amount", "12.345", "amount has more than 2 decimal places")


def test_malformed_amount_is_rejected():
    error = only_error(tx_file("A,2025-01-01,charge,twelve,R1,"))
    assert (error.column, error.value) == ("amount", "twelve")
    assert error.message.startswith("malformed amount")


def test_amount_over_the_limit_is_rejected():
    error = only_error(tx_file("A,2025-01-01,charge,10000000000.00,R1,"))
    assert error.message == "amount is too large (at most 9,999,999,999.99)"


def test_impossible_date_is_a_row_error():
    error = only_error(tx_file("A,2025-02-30,charge,1.00,R1,"))
    assert error == RowError(2, "posted_date", "2025-02-30", "posted_date: impossible date '2025-02-30' (no such day)")


def test_unknown_type_lists_allowed_types():
    error = only_error(tx_file("A,2025-01-01,refund,1.00,R1,"))
    assert error.message == "unknown type 'refund'; allowed: charge, interest, fee, payment, adjustment, reversal"


def test_missing_reference_is_a_row_error():
    error = only_error(tx_file("A,2025-01-01,fee,1.00,  ,"))
    assert (error.column, error.message) == ("reference", "reference is required")


def test_missing_required_values_are_each_reported():
    _, errors = split(parse(tx_file(",,,,,memo only")))
    assert [(e.line, e.column, e.message) for e in errors] == [
        (2, "creditor_account_number", "creditor_account_number is required"),
        (2, "posted_date", "posted_date is required"),
        (2, "type", "type is required"),
        (2, "amount", "amount is required"),
        (2, "reference", "reference is required"),
    ]


def test_same_reference_twice_reports_the_second_naming_the_first_line():
    data = tx_file("A,2025-01-01,fee,1.00,R1,", "B,2025-01-02,fee,2.00,R2,", "", "C,2025-01-03,fee,3.00,R1,")
    rows, errors = split(parse(data))
    assert [r.reference for r in rows] == ["R1", "R2"]
    assert errors == [RowError(5, "reference", "R1", "reference 'R1' already used on line 2")]


def test_duplicate_check_can_be_left_to_the_caller():
    rows = parse(tx_file("A,2025-01-01,fee,1.00,R1,", "A,2025-01-01,fee,1.00,R1,"), check_duplicates=False)
    assert len(rows) == 2 and all(isinstance(r, TransactionRow) for r in rows)


def test_too_many_or_too_few_fields_is_a_row_error():
    _, errors = split(parse(tx_file("A,2025-01-01,fee,1.00", "A,2025-01-01,fee,1.00,R2,m,extra")))
    assert errors == [
        RowError(2, None, "", "too few fields: row has 4, header has 6"),
        RowError(3, None, "", "too many fields: row has 7, header has 6"),
    ]


def test_trailing_empty_cells_beyond_the_header_are_ignored():
    (row,) = parse(tx_file("A,2025-01-01,fee,1.00,R1,m,,, "))
    assert row.memo == "m"


def test_memo_column_is_optional():
    data = tx_file("A,2025-01-01,fee,1.00,R1", header="creditor_account_number,posted_date,type,amount,reference")
    (row,) = parse(data)
    assert row.memo == ""


def test_excel_scientific_notation_account_number_is_rejected():
    error = only_error(tx_file("1.23457E+11,2025-01-01,fee,1.00,R1,"))
    assert error.column == "creditor_account_number"
    assert "scientific notation" in error.message


def test_fingerprint_ignores_memo_but_not_money_facts():
    a, b, c = parse(tx_file("A,2025-01-01,fee,1.00,R1,x", "A,01/01/2025,FEE,$1.00,R2,y", "A,2025-01-01,fee,1.01,R3,x"))
    assert a.fingerprint == b.fingerprint != c.fingerprint
    assert 0 <= a.fingerprint < 2**63


def test_unknown_accounts_are_reported_through_the_bulk_lookup_hook():
    asked = []

    def lookup(numbers):
        asked.append(set(numbers))
        return {"A", "B"} & numbers

    data = tx_file("A,2025-01-01,fee,1.00,R1,", "Z,2025-01-01,fee,1.00,R2,", "B,2025-01-01,bogus,1.00,R3,",
                   "Z,2025-01-01,fee,1.00,R4,", "A,2025-01-01,fee,1.00,R5,")  # fmt: skip
    items = parse(data, account_lookup=lookup)
    assert [(i.line, type(i).__name__, getattr(i, "column", None)) for i in items] == [
        (2, "TransactionRow", None),
        (3, "RowError", "creditor_account_number"),
        (4, "RowError", "type"),
        (5, "RowError", "creditor_account_number"),
        (6, "TransactionRow", None),
    ]
    assert items[1].message == "unknown account 'Z' for this creditor"
    assert asked == [{"A", "Z"}]  # one query per batch, each number asked once


def test_account_lookup_batches_keep_order_and_ask_each_number_once():
    from accounts.ledger_csv import check_accounts

    rows = parse(tx_file(*(f"A{i % 3},2025-01-01,fee,1.00,R{i}," for i in range(10))))
    asked = []
    out = list(check_accounts(rows, lambda numbers: asked.append(numbers) or {"A0", "A1"}, batch_size=4))
    assert [i.line for i in out] == list(range(2, 12))
    assert sum(isinstance(i, RowError) for i in out) == 3  # A2 on lines 4, 7, 10
    assert asked == [{"A0", "A1", "A2"}]
