"""Row validation for placement files (kind "accounts"): one ``PlacementRow`` per new or
updated debtor account, or ``RowError``s. Placement files are far smaller than ledgers, so
this path favours thorough checks (phonenumbers, the ZIP table) over speed.

Required per row: creditor_account_number, debt_type, principal, and a name: first_name and
last_name, or business_name. A row with debtor_type "business" needs business_name. Interest
and fees default to 0.00; every other field is optional ("" or None when absent).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from typing import NamedTuple

from .columns import ACCOUNTS, MAPPABLE_FIELDS, ColumnMapping
from .limits import NO_LIMITS, FieldLimits, format_limit
from .rows import FailedRow, RowError, blank_row, field_count_error, fit_row
from .values import (
    check_date_of_birth,
    parse_currency,
    parse_date,
    parse_debt_type,
    parse_debtor_type,
    parse_email,
    parse_flag,
    parse_money,
    parse_phone,
    parse_phone_type,
    parse_ssn_last4,
    parse_state,
    parse_terms,
    parse_zip,
)

_ZERO = Decimal("0.00")
_parse_date = parse_date  # the default; a file's day/month order swaps in its own parser
_MASKED = "***"  # SSN cells never appear in error reports


class PlacementRow(NamedTuple):
    """A valid placement. Text fields are stripped ("" when absent), dates are datetime.date
    or None, money is a 2-place Decimal (itemization_balance None when absent), state is the
    2-letter code, zip 12345 or 12345-6789, phone E.164, ssn_last4 4 digits or ""."""

    line: int
    creditor_account_number: str
    debt_type: str
    original_creditor: str
    debtor_type: str
    first_name: str
    last_name: str
    business_name: str
    date_of_birth: dt.date | None
    ssn_last4: str
    address_line1: str
    address_line2: str
    city: str
    state: str
    zip: str
    phone: str
    phone_type: str
    email: str
    itemization_date: dt.date | None
    itemization_balance: Decimal | None
    charge_off_date: dt.date | None
    date_of_first_delinquency: dt.date | None
    last_payment_date: dt.date | None
    due_date: dt.date | None
    principal: Decimal
    interest: Decimal
    fees: Decimal
    customer_id: str = ""  # groups invoice-level rows under one debtor (see imports.placements)
    terms: int | None = None  # days: Net 30 -> 30
    disputed: bool = False  # the creditor's dispute flag: compliance opens a dispute on import
    currency: str = ""


_DATE_FIELDS = (
    "date_of_birth", "itemization_date", "charge_off_date", "date_of_first_delinquency",
    "last_payment_date", "due_date",
)  # fmt: skip
_PARSERS: dict[str, Callable[[str], object]] = {
    "debt_type": parse_debt_type,
    "debtor_type": parse_debtor_type,
    "ssn_last4": parse_ssn_last4,
    "state": parse_state,
    "zip": parse_zip,
    "phone": parse_phone,
    "phone_type": parse_phone_type,
    "email": parse_email,
    "terms": parse_terms,
    "disputed": lambda raw: parse_flag(raw, "disputed"),
    "currency": parse_currency,
    **{name: _parse_date for name in _DATE_FIELDS},
    **{
        name: (lambda raw, what=name: parse_money(raw, what))
        for name in ("itemization_balance", "principal", "interest", "fees")
    },
}
_REQUIRED = ("creditor_account_number", "debt_type", "principal")
_DEFAULTS: dict[str, object] = {"interest": _ZERO, "fees": _ZERO, **dict.fromkeys(_DATE_FIELDS)}
_DEFAULTS.update(itemization_balance=None, terms=None, disputed=False)
_FIELDS = MAPPABLE_FIELDS[ACCOUNTS]
assert PlacementRow._fields[1:] == _FIELDS
_MONEY = ("itemization_balance", "principal", "interest", "fees")
_BALANCE = ("principal", "interest", "fees")


def _placement(
    line: int, row: list[str], columns: ColumnMapping, seen: dict[str, int], parse_date=parse_date,
    limits: FieldLimits = NO_LIMITS,
) -> PlacementRow | list[RowError]:
    errors: list[RowError] = []
    values: dict[str, object] = {}
    raw_cells: dict[str, str] = {}
    for name in _FIELDS:
        index = columns.fields.get(name)
        raw = row[index] if index is not None else ""
        raw_cells[name] = raw
        text = raw.strip()
        shown = _MASKED if name == "ssn_last4" and text else raw
        if not text:
            if name in _REQUIRED:
                errors.append(RowError(line, name, raw, f"{name} is required"))
            values[name] = _DEFAULTS.get(name, "")
            continue
        parser = _PARSERS.get(name)
        if parser is _parse_date:
            parser = parse_date
        if parser is None:
            values[name] = text
            if message := limits.too_long(name, text):
                errors.append(RowError(line, name, raw, message))
            continue
        try:
            values[name] = value = parser(raw)
        except ValueError as exc:
            message = str(exc).replace(repr(text), _MASKED) if shown is _MASKED else str(exc)
            if name in _DATE_FIELDS:
                message = message.replace("date is", f"{name} is", 1)
            if name not in message:
                message = f"{name}: {message}"  # every message names the field it is about
            errors.append(RowError(line, name, shown, message))
            continue
        if name in _MONEY:
            message = limits.too_large(name, int(value * 100))
        else:
            message = limits.too_long(name, value) if isinstance(value, str) else None
        if message:
            errors.append(RowError(line, name, shown, message))
    if limits.balance_max_cents is not None and not any(e.column in _BALANCE for e in errors) and all(
            isinstance(values.get(n), Decimal) for n in _BALANCE):
        total = sum(int(values[n] * 100) for n in _BALANCE)
        if total > limits.balance_max_cents:
            errors.append(RowError(line, "principal", raw_cells["principal"], (
                f"principal + interest + fees is {format_limit(total)}, over the largest balance an account "
                f"holds ({format_limit(limits.balance_max_cents)})")))

    born = values.get("date_of_birth")
    if born is not None:
        implausible = check_date_of_birth(born, today=dt.date.today())
        if implausible:
            errors.append(RowError(line, "date_of_birth", raw_cells["date_of_birth"], f"{implausible}: not plausible"))

    if values["debtor_type"] == "business" or (
        not values["debtor_type"] and values["business_name"] and not values["first_name"]
    ):
        if not values["business_name"]:
            errors.append(RowError(line, "business_name", raw_cells["business_name"],
                                   "business_name is required for a business debtor"))  # fmt: skip
    else:
        for name in ("first_name", "last_name"):
            if not values[name]:
                errors.append(RowError(line, name, raw_cells[name],
                                       f"{name} is required (or business_name for a business)"))  # fmt: skip

    account = values["creditor_account_number"]
    if account:
        first = seen.setdefault(account, line)
        if first != line:
            errors.append(RowError(line, "creditor_account_number", raw_cells["creditor_account_number"],
                                   f"account {account!r} already placed on line {first}"))  # fmt: skip
    if errors:
        errors.sort(key=lambda e: _FIELDS.index(e.column))
        return errors
    return PlacementRow(line, *(values[name] for name in _FIELDS))


def iter_placements(
    records: Iterable[tuple[int, list[str]]], columns: ColumnMapping, *, parse_date=parse_date,
    limits: FieldLimits = NO_LIMITS,
) -> Iterator[PlacementRow | RowError]:
    """Validate placement records; yield a PlacementRow per valid row and every RowError of an
    invalid row (together, in line order). Repeating an account number in one file is an
    error on the later line. ``limits``: what the database columns hold."""
    assert columns.kind == ACCOUNTS, columns.kind
    columns.raise_if_incomplete()
    expected = len(columns.headers)
    seen: dict[str, int] = {}
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
        if blank_row(row):
            continue
        result = _placement(line, row, columns, seen, parse_date, limits)
        if result.__class__ is list:
            yield from result
        else:
            yield result
