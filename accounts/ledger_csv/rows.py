"""Row validation for transaction files: raw records in, ``TransactionRow`` or ``RowError`` out.

One pass, one generator, bounded memory apart from the reference index (one dict entry per
row, needed to name the first line of a repeated reference). The loop has a fast path for
the common shape of a valid row (cached date and type cells, plain ``1234.56`` amounts);
anything else goes through ``_slow_transaction``, which reports every problem in the row, so
the fast path only has to be right about rows it accepts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Iterator
from decimal import Decimal
from operator import itemgetter
from typing import NamedTuple
from zlib import adler32, crc32

from .columns import TRANSACTIONS, ColumnMapping
from .limits import NO_LIMITS, FieldLimits
from .values import (
    TYPE_SIGNS,
    cents_to_decimal,
    parse_amount_cents,
    parse_date,
    parse_transaction_type,
)

_CACHE_LIMIT = 50_000  # distinct date/type cells seen; few in real files, bounded anyway
_tuple_new = tuple.__new__  # builds a NamedTuple without the Python-level __new__ frame


class RowError(NamedTuple):
    """A problem with one cell (``column`` = canonical field) or a whole row (column None).

    ``line`` is the physical line where the record starts (header on line 1 for a file
    without leading blank lines). ``value`` is the raw cell text (masked for SSNs).
    """

    line: int
    column: str | None
    value: str
    message: str


class TransactionRow(NamedTuple):
    """A valid transaction. ``amount_cents`` is as written in the file (sign included);
    ``signed_amount_cents`` is the change to the debtor's balance (payments negative).
    ``fingerprint`` (int, see ``transaction_fingerprint``) covers account, date, type and
    signed amount, not memo: a re-sent reference with the same money facts is a duplicate,
    one with different facts is a conflict."""

    line: int
    creditor_account_number: str
    posted_date: dt.date
    kind: str
    amount_cents: int
    signed_amount_cents: int
    reference: str
    memo: str
    fingerprint: int
    reverses: str = ""  # the reference of the entry a reversal undoes, when the file says

    @property
    def amount(self) -> Decimal:
        """The amount as written in the file, 2 places."""
        return cents_to_decimal(self.amount_cents)

    @property
    def signed_amount(self) -> Decimal:
        """The ledger amount, 2 places: positive raises the debt."""
        return cents_to_decimal(self.signed_amount_cents)


def transaction_fingerprint(account: str, posted_date: dt.date, kind: str, signed_cents: int) -> int:
    """63-bit content hash (fits a signed BIGINT): CRC-32 and Adler-32 of the normalised
    fields. Both are standard, so the value is stable across processes and versions; not
    cryptographic, which is fine for "did this reference's money facts change"."""
    key = f"{account}\x1f{posted_date.isoformat()}\x1f{kind}\x1f{signed_cents}".encode()
    return ((crc32(key) & 0x7FFFFFFF) << 32) | adler32(key)


class FailedRow(list):
    """A record the mapping could not turn into a row (see mapping.Plan.rows): its RowErrors.
    Empty as a list, so its length never equals a header's and validators meet it on their
    length-mismatch path, off the hot loop."""

    def __init__(self, errors: list[RowError]):
        super().__init__()
        self.errors = errors


def field_count_error(line: int, row: list[str], expected: int) -> RowError:
    hint = ""
    if any("\n" in cell or "\r" in cell for cell in row):
        hint = " (a quoted cell spans several lines: check for an unbalanced quote)"
    few_or_many = "too few" if len(row) < expected else "too many"
    return RowError(line, None, "", f"{few_or_many} fields: row has {len(row)}, header has {expected}{hint}")


def blank_row(row: list[str]) -> bool:
    """Whitespace-only rows count as blank lines (checked only on the error path)."""
    return not any(cell.strip() for cell in row)


def fit_row(row: list[str], expected: int) -> list[str] | None:
    """Trailing empty cells beyond the header (spreadsheet exports add them) are dropped;
    any other length mismatch is an error (None)."""
    if len(row) > expected and not any(cell.strip() for cell in row[expected:]):
        return row[:expected]
    return None


def _excel_number(account: str) -> bool:
    mantissa, _, exponent = account.upper().partition("E+")
    return bool(exponent) and exponent.isdigit() and mantissa.replace(".", "", 1).isdigit()


def _slow_transaction(
    line: int, cells: tuple[str, ...], seen: dict[str, int] | None, parse_date=parse_date, generate: bool = False,
    limits: FieldLimits = NO_LIMITS,
) -> TransactionRow | list[RowError]:
    raw_account, raw_date, raw_type, raw_amount, raw_reference, raw_memo, raw_reverses = cells
    errors: list[RowError] = []

    def bad(column: str, raw: str, message: str) -> None:
        errors.append(RowError(line, column, raw, message))

    account = raw_account.strip()
    if not account:
        bad("creditor_account_number", raw_account, "creditor_account_number is required")
    elif _excel_number(account):
        bad("creditor_account_number", raw_account, "account number was mangled into scientific "
            "notation by a spreadsheet; format the column as text and export again")  # fmt: skip
    elif message := limits.too_long("creditor_account_number", account):
        bad("creditor_account_number", raw_account, message)
    posted_date = kind = cents = None
    try:
        posted_date = parse_date(raw_date)
    except ValueError as exc:
        message = str(exc)
        bad("posted_date", raw_date, message.replace("date is", "posted_date is") if message.startswith("date is")
            else f"posted_date: {message}")
    try:
        kind = parse_transaction_type(raw_type)
    except ValueError as exc:
        bad("type", raw_type, str(exc))
    try:
        cents = parse_amount_cents(raw_amount)
    except ValueError as exc:
        bad("amount", raw_amount, str(exc))
    if cents is not None:
        if message := limits.too_large("amount", cents):
            bad("amount", raw_amount, message)
        elif cents == 0:
            bad("amount", raw_amount, "amount is zero: a zero row changes no balance; leave it out of the file")
        elif cents < 0 and kind is not None and TYPE_SIGNS[kind]:
            bad("amount", raw_amount, f"a {kind} amount cannot be negative; "
                "record refunds and returned payments as reversal or adjustment rows")  # fmt: skip
    reference = raw_reference.strip()
    if generate:
        reference = ""  # filled in from the row's money facts once the file is staged (see staging)
    elif not reference:
        bad("reference", raw_reference, "reference is required")
    elif message := limits.too_long("reference", reference):
        bad("reference", raw_reference, message)
    elif seen is not None:
        first = seen.setdefault(reference, line)
        if first != line:
            bad("reference", raw_reference, f"reference {reference!r} already used on line {first}")
    memo = raw_memo.strip()
    if message := limits.too_long("memo", memo):
        bad("memo", raw_memo, message)
    reverses = raw_reverses.strip()
    if message := limits.too_long("reverses", reverses):
        bad("reverses", raw_reverses, message)
    if errors:
        return errors
    signed = cents * TYPE_SIGNS[kind] if TYPE_SIGNS[kind] else cents
    return _tuple_new(TransactionRow, (
        line, account, posted_date, kind, cents, signed, reference, memo,
        transaction_fingerprint(account, posted_date, kind, signed), reverses,
    ))  # fmt: skip


def iter_transactions(
    records: Iterable[tuple[int, list[str]]],
    columns: ColumnMapping,
    *,
    check_duplicates: bool = True,
    parse_date=parse_date,
    generate_references: bool = False,
    limits: FieldLimits = NO_LIMITS,
) -> Iterator[TransactionRow | RowError]:
    """Validate transaction records; yield a TransactionRow per valid row and one RowError per
    problem (all of a row's errors together, in line order). ``check_duplicates=False`` skips
    the in-file reference index (saves ~100 bytes a row) when the caller detects repeats (in
    SQL). ``parse_date``: see values.date_parser. ``generate_references``: the file has no
    reference column; rows get an empty reference, generated later (staging). ``limits``: what
    the database columns hold (lengths, amount precision); a zero amount is always an error."""
    assert columns.kind == TRANSACTIONS, columns.kind
    columns.raise_if_incomplete()
    f = columns.fields
    names = ("creditor_account_number", "posted_date", "type", "amount", "reference", "memo")
    present = [n for n in names if f.get(n) is not None]
    base = itemgetter(*(f[n] for n in present))
    if present == list(names):
        get = base
    elif present == list(names[:5]):
        def get(row: list[str]) -> tuple[str, ...]:
            return (*base(row), "")
    else:  # no reference column (generated references): rare, so the general form is fine
        slots = [names.index(n) for n in present]

        def get(row: list[str]) -> tuple[str, ...]:
            cells = [""] * 6
            for slot, cell in zip(slots, base(row), strict=True):
                cells[slot] = cell
            return tuple(cells)
    reverses_at = f.get("reverses")
    generate = generate_references
    if generate:
        check_duplicates = False
    expected = len(columns.headers)
    seen: dict[str, int] | None = {} if check_duplicates else None
    remember = seen.setdefault if seen is not None else None
    dates: dict[str, tuple[dt.date, str]] = {}
    kinds = {k: k for k in TYPE_SIGNS}
    signs = TYPE_SIGNS
    new, row_type, parse_amount = _tuple_new, TransactionRow, parse_amount_cents
    slow = _slow_transaction
    max_account, max_reference = limits.length("creditor_account_number"), limits.length("reference")
    max_memo, max_cents = limits.length("memo"), limits.amount_cents("amount")

    for line, row in records:
        if len(row) != expected:
            if row.__class__ is FailedRow:
                yield from row.errors
                continue
            fitted = fit_row(row, expected)
            if fitted is None:
                if not blank_row(row):
                    yield field_count_error(line, row, expected)
                continue
            row = fitted
        cells = get(row)
        raw_account, raw_date, raw_type, raw_amount, raw_reference, raw_memo = cells
        raw_reverses = "" if reverses_at is None else row[reverses_at]
        account = raw_account.strip()
        reference = "" if generate else raw_reference.strip()
        date_hit = dates.get(raw_date)
        kind = kinds.get(raw_type)
        cents = None
        if (date_hit is not None and kind is not None and account and (reference or generate) and "E+" not in account
                and len(account) <= max_account and len(reference) <= max_reference and len(raw_memo) <= max_memo
                and len(raw_reverses) <= max_reference):
            head, _, tail = raw_amount.partition(".")
            digits = head + tail
            if len(tail) == 2 and 0 < len(head) <= 10 and digits.isdigit() and digits.isascii():
                cents = int(digits) or None  # 1234.56 -> 123456: the common shape, no function call
            else:
                try:
                    cents = parse_amount(raw_amount)
                except ValueError:
                    pass
                else:
                    if cents > max_cents or cents < -max_cents or (cents < 0 and signs[kind]) or not cents:
                        cents = None
            if cents is not None and cents > max_cents:
                cents = None
        if cents is None:
            result = slow(line, (*cells, raw_reverses), seen, parse_date, generate, limits)
            if result.__class__ is list:
                if not blank_row(row):
                    yield from result
                continue
            if date_hit is None and len(dates) < _CACHE_LIMIT:
                dates[raw_date] = (result.posted_date, result.posted_date.isoformat())
            if kind is None and len(kinds) < _CACHE_LIMIT:
                kinds[raw_type] = result.kind
            yield result
            continue
        if remember is not None:
            first = remember(reference, line)
            if first != line:
                message = f"reference {reference!r} already used on line {first}"
                yield RowError(line, "reference", raw_reference, message)
                continue
        signed = -cents if signs[kind] < 0 else cents
        posted, iso = date_hit
        key = f"{account}\x1f{iso}\x1f{kind}\x1f{signed}".encode()
        yield new(row_type, (line, account, posted, kind, cents, signed, reference, raw_memo.strip(),
                             ((crc32(key) & 0x7FFFFFFF) << 32) | adler32(key), raw_reverses.strip()))  # fmt: skip


def check_accounts(
    items: Iterable[TransactionRow | RowError],
    lookup: Callable[[set[str]], Collection[str]],
    *,
    batch_size: int = 5000,
) -> Iterator[TransactionRow | RowError]:
    """Turn rows whose account does not exist into RowErrors, asking the database in bulk.

    ``lookup(numbers)`` gets a set of creditor account numbers not asked about before and
    returns those that exist (for the creditor being imported). Items are buffered in batches
    of ``batch_size`` (bounded memory) and come out in the same order. Only valid rows are
    checked: a row that already has errors is not looked up.
    """
    known: set[str] = set()
    unknown: set[str] = set()
    batch: list[TransactionRow | RowError] = []

    def flush() -> Iterator[TransactionRow | RowError]:
        ask = {
            item.creditor_account_number
            for item in batch
            if item.__class__ is not RowError
            and item.creditor_account_number not in known
            and item.creditor_account_number not in unknown
        }
        if ask:
            found = set(lookup(ask))
            known.update(ask & found)
            unknown.update(ask - found)
        for item in batch:
            if item.__class__ is not RowError and item.creditor_account_number in unknown:
                number = item.creditor_account_number
                yield RowError(item.line, "creditor_account_number", number,
                               f"unknown account {number!r} for this creditor")  # fmt: skip
            else:
                yield item
        batch.clear()

    for item in items:
        batch.append(item)
        if len(batch) >= batch_size:
            yield from flush()
    yield from flush()
