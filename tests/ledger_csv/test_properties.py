"""Properties: format -> parse round trips, exact money, encoding/dialect invariance."""

import datetime as dt
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.ledger_csv import (
    TRANSACTION_TYPES,
    RowError,
    TransactionRow,
    format_cents,
    format_transaction_row,
    open_ledger,
    parse_amount_cents,
    write_canonical_csv,
)

AMOUNT_STYLES = ("plain", "thousands", "dollar", "dollar_inner", "parens", "whole")
DATE_STYLES = ("iso", "us", "us_short")
CENTS = st.integers(min_value=-999_999_999_999, max_value=999_999_999_999).filter(bool)  # zero is refused
ACCOUNT = st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZ0123456789-_/.", min_size=1, max_size=16)
# Memos: any text a person types (commas, quotes, newlines, delimiters, accents); no NULs, and
# stripped because the parser strips cells.
MEMO_CHARS = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
# Windows-1252 is only taken for bytes that read as Western text (accented letters among ASCII
# ones), so these memos are words, with every delimiter, quote and line break between them.
CP1252_WORDS = ("Café", "Müller", "Peña", "naïve", "“paid”", "€12", "Crème", "brûlée", "São", "Zoë", "—", "…", "abc",
                "XYZ", "019")
CP1252_SEPARATORS = tuple(" ,;|\t\"'\n\r-=$()")


@st.composite
def cp1252_memo(draw):
    words = draw(st.lists(st.sampled_from(CP1252_WORDS), max_size=4))
    return "".join(word + draw(st.sampled_from(CP1252_SEPARATORS)) for word in words)


@st.composite
def transactions(draw, memo_chars=MEMO_CHARS, memos=None):
    count = draw(st.integers(min_value=1, max_value=8))
    rows = []
    for index in range(count):
        kind = draw(st.sampled_from(TRANSACTION_TYPES))
        cents = draw(CENTS)
        if kind not in ("adjustment", "reversal"):
            cents = abs(cents)
        rows.append(
            {
                "creditor_account_number": draw(ACCOUNT),
                "posted_date": draw(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))),
                "kind": kind,
                "amount_cents": cents,
                "reference": f"REF-{index}-{draw(ACCOUNT)}",
                "memo": draw(memos if memos is not None else st.text(memo_chars, max_size=30)).strip(),
            }
        )
    return rows


def render(rows, *, delimiter=",", lineterminator="\r\n", amount_style="plain", date_style="iso"):
    buffer = io.StringIO(newline="")
    lines = (format_transaction_row(**row, amount_style=amount_style, date_style=date_style) for row in rows)
    write_canonical_csv(buffer, "transactions", lines, delimiter=delimiter, lineterminator=lineterminator)
    return buffer.getvalue()


def parse_all(data):
    with open_ledger(data, kind="transactions") as ledger:
        items = list(ledger)
    assert not [item for item in items if isinstance(item, RowError)], items
    return items


def as_fields(row: TransactionRow):
    return {name: getattr(row, name) for name in (
        "creditor_account_number", "posted_date", "kind", "amount_cents", "reference", "memo")}  # fmt: skip


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(transactions(), st.sampled_from(AMOUNT_STYLES), st.sampled_from(DATE_STYLES))
def test_valid_rows_survive_format_then_parse_unchanged(rows, amount_style, date_style):
    parsed = parse_all(render(rows, amount_style=amount_style, date_style=date_style).encode())
    assert [as_fields(row) for row in parsed] == rows
    for row in parsed:
        sign = -1 if row.kind == "payment" else 1
        assert row.signed_amount_cents == sign * row.amount_cents


@given(CENTS, st.sampled_from(AMOUNT_STYLES), st.sampled_from(["", " ", "  "]))
def test_amounts_never_gain_or_lose_a_cent(cents, style, padding):
    text = padding + format_cents(cents, style) + padding
    assert parse_amount_cents(text) == cents


@given(CENTS)
def test_decimal_amount_equals_cents_exactly(cents):
    rows = parse_all(render([{
        "creditor_account_number": "A", "posted_date": dt.date(2025, 1, 1), "kind": "adjustment",
        "amount_cents": cents, "reference": "R", "memo": "",
    }]).encode())  # fmt: skip
    assert rows[0].amount * 100 == cents
    assert rows[0].amount.as_tuple().exponent == -2


ENCODINGS = ("utf-8", "utf-8-sig", "cp1252", "utf-16")


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(transactions(memos=cp1252_memo()))
def test_encoding_line_ending_and_delimiter_do_not_change_parsed_rows(rows):
    expected = parse_all(render(rows).encode())
    for encoding in ENCODINGS:
        for lineterminator in ("\r\n", "\n", "\r"):
            for delimiter in (",", ";", "\t", "|"):
                data = render(rows, delimiter=delimiter, lineterminator=lineterminator).encode(encoding)
                assert parse_all(data) == expected, (encoding, lineterminator, delimiter)
