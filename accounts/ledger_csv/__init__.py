"""Ledger and placement CSV import: pure, streaming parsing and validation (no Django).

Typical use by the import service::

    with open_ledger(path, kind="transactions", mapping=remembered,
                     account_lookup=existing_numbers) as ledger:
        for item in ledger:                      # TransactionRow or RowError, in line order
            if item.__class__ is RowError: ...   # collect for the error report
            else: ...                            # write to the COPY buffer

File-level problems raise ``LedgerFileError`` from ``open_ledger`` before any row is read
(too big, binary, empty, missing or ambiguous columns) or, rarely, mid-stream (a field over
the csv module's 128 KiB limit). ``inspect_columns`` reads only the header, for the "map these
columns" page, and never raises for missing columns. ``dry_run`` returns a ``Summary``.

Unknown accounts need the database: pass ``account_lookup(numbers: set[str]) -> existing``
and rows are checked in batches of 5,000 (see ``rows.check_accounts``), or leave it out and
check against the staging table in SQL.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from typing import BinaryIO, Self

from .columns import (
    ACCOUNTS,
    CANONICAL_HEADERS,
    EXTRA_FIELDS,
    KINDS,
    MAPPABLE_FIELDS,
    REQUIRED_FIELDS,
    TRANSACTIONS,
    ColumnMapping,
    normalize_header,
    resolve_columns,
)
from .exporting import (
    ERROR_REPORT_HEADER,
    escape_cell,
    format_placement_row,
    format_transaction_row,
    safe_csv_writer,
    write_canonical_csv,
    write_error_report,
)
from .limits import MAX_AMOUNT_CENTS, NO_LIMITS, FieldLimits
from .mapping import CODED_FIELDS, DERIVATIONS, MappingSpec, Plan, samples
from .mapping import resolve as resolve_mapping
from .placements import PlacementRow, iter_placements
from .reading import DEFAULT_MAX_BYTES, CsvFile, LedgerFileError, open_csv
from .rows import RowError, TransactionRow, check_accounts, iter_transactions, transaction_fingerprint
from .summary import Summary, TypeTotal, summarize
from .values import (
    TRANSACTION_TYPES,
    TYPE_SIGNS,
    cents_to_decimal,
    date_parser,
    format_cents,
    parse_amount_cents,
    parse_date,
)

Source = str | os.PathLike[str] | bytes | BinaryIO
Item = TransactionRow | PlacementRow | RowError


class LedgerFile:
    """An open import file: ``encoding``, ``delimiter``, ``headers``, ``columns``; iterate
    once for validated items. Close it (or use ``with``) to release the file."""

    def __init__(
        self,
        csv_file: CsvFile,
        plan: Plan,
        *,
        account_lookup: Callable[[set[str]], Collection[str]] | None,
        check_duplicates: bool,
        creditor_currency: str | None = None,
        limits: FieldLimits = NO_LIMITS,
    ) -> None:
        self._csv = csv_file
        self.plan = plan
        self.columns = plan.column_mapping()
        self.kind = plan.kind
        self._creditor_currency = creditor_currency
        self.encoding = csv_file.encoding
        self.delimiter = csv_file.delimiter
        self.headers = csv_file.headers
        self.header_line = csv_file.header_line
        self._account_lookup = account_lookup
        self._check_duplicates = check_duplicates
        self.limits = limits

    def __iter__(self) -> Iterator[Item]:
        return self.validate(self._csv.records())

    def validate(self, records: Iterable[tuple[int, list[str]]], *,
                 check_duplicates: bool | None = None) -> Iterator[Item]:
        """Validated items of ``records`` (this file's, or a byte range of it: see parallel)."""
        return validate_records(self.plan, records, creditor_currency=self._creditor_currency,
                                check_duplicates=self._check_duplicates if check_duplicates is None
                                else check_duplicates, account_lookup=self._account_lookup,
                                limits=self.limits)

    def close(self) -> None:
        self._csv.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def validate_records(plan: Plan, records: Iterable[tuple[int, list[str]]], *, creditor_currency: str | None = None,
                     check_duplicates: bool = True,
                     account_lookup: Callable[[set[str]], Collection[str]] | None = None,
                     limits: FieldLimits = NO_LIMITS) -> Iterator[Item]:
    """Validated items of raw ``records`` under ``plan`` (the mapping applied to the file's headers)."""
    if not plan.simple:
        records = plan.rows(records, creditor_currency=creditor_currency)
    columns = plan.column_mapping()
    parse = date_parser(plan.spec.options.get("date_order") or "mdy")
    if plan.kind == TRANSACTIONS:
        items = iter_transactions(records, columns, check_duplicates=check_duplicates, parse_date=parse,
                                  generate_references=plan.generates_references, limits=limits)
        if account_lookup is not None:
            items = check_accounts(items, account_lookup)
    else:
        items = iter_placements(records, columns, parse_date=parse, limits=limits)
    return _name_columns(items, plan)


def _name_columns(items: Iterator[Item], plan: Plan) -> Iterator[Item]:
    """Errors name the file's column as well as the field: "posted_date: malformed date '13/45'
    (file column 'PaidAt')". Only error items are touched."""
    for item in items:
        if item.__class__ is RowError and item.column and not plan.automatic(item.column):
            where = plan.column_of(item.column)
            if where and where != repr(item.column) and "(column" not in item.message:
                item = item._replace(message=f"{item.message} (file column {where})")
        yield item


def open_ledger(
    source: Source,
    *,
    kind: str,
    mapping: Mapping[str, object] | MappingSpec | None = None,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
    account_lookup: Callable[[set[str]], Collection[str]] | None = None,
    check_duplicates: bool = True,
    creditor_currency: str | None = None,
    strict: bool = False,
    limits: FieldLimits = NO_LIMITS,
) -> LedgerFile:
    """Open ``source`` (path, bytes or binary file object), detect encoding and delimiter,
    map the header (``mapping``: either JSON form, see mapping.py); raise LedgerFileError if
    the file or its columns are unusable. ``creditor_currency``: rows in another currency are
    refused. ``limits`` (see ``limits.FieldLimits``) makes every cell that would not fit its
    column a row error."""
    if kind not in KINDS:
        raise ValueError(f"unknown import kind {kind!r}; expected one of {', '.join(KINDS)}")
    csv_file = open_csv(source, max_bytes=max_bytes)
    try:
        plan = resolve_mapping(csv_file.headers, kind, mapping, strict=strict)
        plan.raise_if_incomplete()
        fixed = plan.spec.options.get("currency")
        if creditor_currency and fixed and fixed != creditor_currency:
            raise LedgerFileError(f"this file is in {fixed} but the creditor's currency is {creditor_currency}; "
                                  "it cannot be imported for this creditor")
    except BaseException:
        csv_file.close()
        raise
    return LedgerFile(csv_file, plan, account_lookup=account_lookup, check_duplicates=check_duplicates,
                      creditor_currency=creditor_currency, limits=limits)


def inspect_columns(
    source: Source,
    *,
    kind: str,
    mapping: Mapping[str, object] | MappingSpec | None = None,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
) -> Plan:
    """Read just enough to map the header (still scans the file for encoding and binary
    content). Missing or conflicting columns are reported in the result, not raised."""
    with open_csv(source, max_bytes=max_bytes) as csv_file:
        return resolve_mapping(csv_file.headers, kind, mapping)


def dry_run(
    source: Source,
    *,
    kind: str,
    mapping: Mapping[str, object] | MappingSpec | None = None,
    max_bytes: int | None = DEFAULT_MAX_BYTES,
    account_lookup: Callable[[set[str]], Collection[str]] | None = None,
    preview: int = 20,
    limits: FieldLimits = NO_LIMITS,
) -> Summary:
    """Validate the whole file without writing anything; return counts, totals and a preview."""
    with open_ledger(
        source, kind=kind, mapping=mapping, max_bytes=max_bytes, account_lookup=account_lookup,
        limits=limits,
    ) as ledger:
        return summarize(ledger, preview=preview)


__all__ = [
    "ACCOUNTS", "CANONICAL_HEADERS", "CODED_FIELDS", "DERIVATIONS", "EXTRA_FIELDS", "MAPPABLE_FIELDS",
    "MappingSpec", "Plan", "date_parser", "resolve_mapping", "samples", "validate_records", "DEFAULT_MAX_BYTES",
    "ERROR_REPORT_HEADER", "KINDS",
    "MAX_AMOUNT_CENTS", "NO_LIMITS", "FieldLimits",
    "REQUIRED_FIELDS", "TRANSACTIONS", "TRANSACTION_TYPES", "TYPE_SIGNS", "ColumnMapping",
    "CsvFile", "LedgerFile", "LedgerFileError", "PlacementRow", "RowError", "Summary",
    "TransactionRow", "TypeTotal", "cents_to_decimal", "check_accounts", "dry_run",
    "escape_cell", "format_cents", "format_placement_row", "format_transaction_row",
    "inspect_columns", "iter_placements", "iter_transactions", "normalize_header", "open_csv",
    "open_ledger", "parse_amount_cents", "parse_date", "resolve_columns", "safe_csv_writer",
    "summarize", "transaction_fingerprint", "write_canonical_csv", "write_error_report",
]  # fmt: skip
