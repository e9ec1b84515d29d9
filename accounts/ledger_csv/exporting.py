"""Writing CSV: formula-safe cells for anything a person opens in a spreadsheet, the error
report, and the canonical import format (the inverse of the parsers; used by tests and by the
benchmark file generator)."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import IO, Any

from .columns import ACCOUNTS, CANONICAL_HEADERS
from .rows import RowError
from .values import format_cents, format_date

# OWASP "CSV injection": a spreadsheet treats a cell starting with one of these as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
ERROR_REPORT_HEADER = ("line", "column", "value", "message")


def _plain_number(text: str) -> bool:
    """-12.50, +3, 1,234.56 and the like: a spreadsheet reads them as numbers, not formulas."""
    body = text[1:] if text[:1] in "+-" else text
    head, dot, tail = body.partition(".")
    if "," in head:
        groups = head.split(",")
        if not (1 <= len(groups[0]) <= 3 and all(len(g) == 3 for g in groups[1:])):
            return False
        head = "".join(groups)
    digits = head + tail
    return bool(digits) and digits.isascii() and digits.isdigit() and (bool(head) or bool(dot))


def escape_cell(value: object) -> object:
    """Prefix ``'`` to text a spreadsheet would run as a formula; numbers pass unchanged.

    Non-strings (int, Decimal, date, None) are returned as they are: csv writes them as
    plain numbers/text that cannot start a formula except a negative number, which is fine.
    """
    if value.__class__ is not str or not value or not value.startswith(FORMULA_TRIGGERS):
        return value
    if _plain_number(value):
        return value
    return "'" + value


class SafeWriter:
    """A csv.writer whose rows are passed through ``escape_cell``."""

    def __init__(self, file: IO[str], **kwargs: Any) -> None:
        self._writer = csv.writer(file, **kwargs)

    def writerow(self, row: Iterable[object]) -> Any:
        return self._writer.writerow([escape_cell(cell) for cell in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


def safe_csv_writer(file: IO[str], **kwargs: Any) -> SafeWriter:
    """Like ``csv.writer(file, **kwargs)`` but formula-safe. Open ``file`` with newline=''."""
    return SafeWriter(file, **kwargs)


def write_error_report(file: IO[str], errors: Iterable[RowError]) -> int:
    """Write ``line,column,value,message`` rows (formula-safe); return how many were written.
    Whole-row errors have an empty column."""
    writer = safe_csv_writer(file)
    writer.writerow(ERROR_REPORT_HEADER)
    count = 0
    for error in errors:
        writer.writerow((error.line, error.column or "", error.value, error.message))
        count += 1
    return count


def format_transaction_row(
    *,
    creditor_account_number: str,
    posted_date: dt.date,
    kind: str,
    amount_cents: int,
    reference: str,
    memo: str = "",
    amount_style: str = "plain",
    date_style: str = "iso",
) -> list[str]:
    """Cells in canonical column order; ``amount_cents`` as it should appear in the file
    (a payment of 50.00 is 5000). Styles: see values.format_cents / values.format_date."""
    return [
        creditor_account_number,
        format_date(posted_date, date_style),
        kind,
        format_cents(amount_cents, amount_style),
        reference,
        memo,
    ]


def _placement_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format_cents(int(value * 100))
    return str(value)


def format_placement_row(values: Mapping[str, object]) -> list[str]:
    """Cells in canonical placement column order from {field: value} (a PlacementRow's
    ``_asdict()`` works); absent fields are empty."""
    return [_placement_cell(values.get(name)) for name in CANONICAL_HEADERS[ACCOUNTS]]


def write_canonical_csv(
    file: IO[str],
    kind: str,
    rows: Iterable[list[str]],
    *,
    delimiter: str = ",",
    lineterminator: str = "\r\n",
) -> None:
    """Header plus already-formatted rows. Not formula-escaped: this is an import file, and
    escaping would change the data; do not hand it to people as a report."""
    writer = csv.writer(file, delimiter=delimiter, lineterminator=lineterminator)
    writer.writerow(CANONICAL_HEADERS[kind])
    if "\r" in lineterminator and "\n" in lineterminator:
        writer.writerows(rows)
        return
    # csv only quotes line-break characters that occur in ``lineterminator``; a bare "\r" in a
    # cell of an "\n" file would split the record when read back, so quote such rows fully.
    quoted = csv.writer(file, delimiter=delimiter, lineterminator=lineterminator, quoting=csv.QUOTE_ALL)
    for row in rows:
        if any("\r" in cell or "\n" in cell for cell in row):
            quoted.writerow(row)
        else:
            writer.writerow(row)

