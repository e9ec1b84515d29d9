"""Formula-safe CSV output and the error report."""

import csv
import io

import pytest

from accounts.ledger_csv import RowError, escape_cell, safe_csv_writer, write_error_report


@pytest.mark.parametrize("value", ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx", "\rx", "=HYPERLINK(\"x\")"])
def test_formula_like_text_gets_a_leading_quote(value):
    assert escape_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["-12.50", "+3", "-1,234.56", "-.5", "12.50", "plain text", "", "a=b"])
def test_numbers_and_ordinary_text_are_unchanged(value):
    assert escape_cell(value) == value


def test_non_string_values_pass_through():
    from decimal import Decimal

    assert escape_cell(Decimal("-12.50")) == Decimal("-12.50")
    assert escape_cell(None) is None


def test_safe_writer_escapes_every_cell():
    buffer = io.StringIO()
    safe_csv_writer(buffer).writerow(["=evil()", "-12.50", "ok"])
    assert buffer.getvalue() == "'=evil(),-12.50,ok\r\n"


def test_error_report_has_line_column_value_message_and_is_formula_safe():
    buffer = io.StringIO(newline="")
    errors = [RowError(3, "amount", "=1+2", "malformed amount"), RowError(4, None, "", "too few")]
    count = write_error_report(buffer, errors)
    assert count == 2
    assert list(csv.reader(io.StringIO(buffer.getvalue()))) == [
        ["line", "column", "value", "message"],
        ["3", "amount", "'=1+2", "malformed amount"],
        ["4", "", "", "too few"],
    ]
