"""The import mapping: for each target field, a file column, a fixed value, or a derivation; value
maps for coded columns; per-file options. It turns a creditor's file, as delivered, into rows the
validators read (no file edits).

The JSON form (stored per batch, remembered per creditor and kind, exported and imported on the
mapping page, and read by ``import_ledger --mapping``; documented in the README)::

    {"version": 2,
     "fields": {"creditor_account_number": {"column": "invoiceNumber"},
                "customer_id": {"column": "customerID"},
                "debt_type": {"value": "commercial"},
                "business_name": {"columns": ["Company", "Division"], "derive": "concat"},
                "first_name": {"column": "Name", "derive": "first_name"},
                "amount": {"column": "amt", "derive": "abs"},
                "type": {"column": "amt", "derive": "sign", "negative": "payment", "positive": "charge"},
                "reference": {"derive": "generate"},
                "memo": null},
     "values": {"type": {"PMT": "payment", "RFD": "reversal"}, "state": {"Calif.": "CA"}},
     "ignore": ["SettledDate"],
     "options": {"date_order": "mdy", "minor_units": false, "signed_amounts": false,
                 "currency": null, "sheet": null}}

A field not named in ``fields`` is matched automatically from the headers (names, synonyms,
camelCase and snake_case split); ``null`` keeps it empty. The first format, {file header: field},
is still read (``MappingSpec.parse``).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from .columns import (
    ACCOUNTS,
    BUSINESS_NAME_FIELD,
    MAPPABLE_FIELDS,
    PERSON_NAME_FIELDS,
    REQUIRED_FIELDS,
    TRANSACTIONS,
    ColumnMapping,
    normalize_header,
    resolve_columns,
)
from .reading import LedgerFileError
from .rows import FailedRow, RowError, blank_row, field_count_error, fit_row
from .values import DATE_ORDERS, TYPE_SIGNS, format_cents, parse_amount_cents, parse_currency

VERSION = 2
MONEY_FIELDS = frozenset({"amount", "principal", "interest", "fees", "itemization_balance"})
# Derivations the clerk picks from a list: name -> (label, fields it fits; None = any text field).
DERIVATIONS: dict[str, tuple[str, frozenset[str] | None]] = {
    "cents": (_("divide by 100 (minor units: 89900 → 899.00)"), MONEY_FIELDS),
    "abs": (_("absolute value (the sign decides the type)"), MONEY_FIELDS),
    "sign": (_("type from the amount's sign"), frozenset({"type"})),
    "first_name": (_("first name from a full name"), None),
    "last_name": (_("last name from a full name"), None),
    "concat": (_("join several columns with spaces"), None),
    "generate": (_("stable generated reference (account, date, type, amount, occurrence)"), frozenset({"reference"})),
}
# Fields whose values are codes the creditor may spell its own way (value mapping on the page).
CODED_FIELDS = ("type", "debt_type", "debtor_type", "phone_type", "state")
DEFAULT_OPTIONS: dict[str, Any] = {"date_order": "mdy", "minor_units": False, "signed_amounts": False,
                                   "currency": None, "sheet": None}  # fmt: skip


@dataclass
class MappingSpec:
    """What the clerk chose; see the module docstring for the JSON form."""

    kind: str
    fields: dict[str, dict[str, Any] | None] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    ignore: list[str] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=lambda: dict(DEFAULT_OPTIONS))
    # The first format maps each header to one field, so a mapped column is not matched again.
    exclusive: bool = False

    @classmethod
    def parse(cls, data: Mapping[str, Any] | None, kind: str) -> MappingSpec:
        """Read a stored or uploaded mapping (either format); raise LedgerFileError naming the
        first problem."""
        if not data:
            return cls(kind=kind)
        if not isinstance(data, Mapping):
            raise LedgerFileError("the mapping must be a JSON object")
        if "fields" not in data and "version" not in data:  # the first format: {header: field}
            spec = cls(kind=kind, exclusive=True)
            for header, target in data.items():
                if target is not None and not isinstance(target, str):
                    raise LedgerFileError(f"in the mapping, {header!r} must be a field name or null")
                if target:
                    if target in spec.fields:
                        spec.fields[target] = {"columns": [*_columns_of(spec.fields[target]), header],
                                               "conflict": True}
                    else:
                        spec.fields[target] = {"column": header}
                else:
                    spec.ignore.append(header)
            spec.validate()
            return spec
        if data.get("version", VERSION) != VERSION:
            raise LedgerFileError(f"mapping version {data.get('version')!r} is not supported (expected {VERSION})")
        _check_shape(data)
        if data.get("kind") not in (None, kind):
            raise LedgerFileError(f"this mapping is for {data['kind']} files, not {kind}")
        options = {**DEFAULT_OPTIONS, **dict(data.get("options") or {})}
        fields = {k: (dict(v) if v else None) for k, v in dict(data.get("fields") or {}).items()}
        values = {k: {str(a): str(b) for a, b in dict(v).items()} for k, v in dict(data.get("values") or {}).items()}
        spec = cls(kind=kind, fields=fields, values=values, ignore=[str(h) for h in data.get("ignore") or ()],
                   options=options, exclusive=bool(data.get("exclusive")))
        spec.validate()
        return spec

    def validate(self) -> None:
        allowed = MAPPABLE_FIELDS[self.kind]
        for name, source in self.fields.items():
            if name not in allowed:
                raise LedgerFileError(f"the mapping targets unknown {self.kind} field {name!r}")
            if source is None:
                continue
            derive = source.get("derive")
            if derive is not None:
                if derive not in DERIVATIONS:
                    raise LedgerFileError(f"{name}: unknown derivation {derive!r}; one of {', '.join(DERIVATIONS)}")
                fits = DERIVATIONS[derive][1]
                if fits is not None and name not in fits:
                    raise LedgerFileError(f"{name}: the derivation {derive!r} does not apply to this field")
                if derive == "sign":
                    for side in ("negative", "positive"):
                        if source.get(side, "") and source[side] not in TYPE_SIGNS:
                            raise LedgerFileError(f"type: {source[side]!r} is not a transaction type")
            if "value" not in source and derive != "generate" and not _columns_of(source):
                raise LedgerFileError(f"{name}: choose a column, a fixed value or a derivation")
        for name in self.values:
            if name not in allowed:
                raise LedgerFileError(f"value mapping for unknown {self.kind} field {name!r}")
        if self.options.get("date_order") not in DATE_ORDERS:
            raise LedgerFileError(f"date_order must be one of {', '.join(DATE_ORDERS)}")
        if self.options.get("currency"):
            try:
                self.options["currency"] = parse_currency(str(self.options["currency"]))
            except ValueError as exc:
                raise LedgerFileError(str(exc)) from None

    def as_json(self) -> dict[str, Any]:
        data = {"version": VERSION, "kind": self.kind, "fields": self.fields, "values": self.values,
                "ignore": self.ignore, "options": self.options}  # fmt: skip
        if self.exclusive:
            data["exclusive"] = True
        return data


def _scalar(value: Any) -> bool:
    return isinstance(value, str | int | float) and not isinstance(value, bool)


def _check_shape(data: Mapping[str, Any]) -> None:
    """The JSON form's shape, checked before anything reads it: a list where an object belongs, or an
    object where a column name belongs, is refused naming the part, never with Python's own words."""
    def refuse(part: str, what: str):
        raise LedgerFileError(f"in the mapping, {part} must be {what}")

    fields = data.get("fields")
    if fields is not None and not isinstance(fields, Mapping):
        refuse("fields", "a JSON object")
    for name, source in (fields or {}).items():
        if source is None:
            continue
        if not isinstance(source, Mapping):
            refuse(f"fields.{name}", "a JSON object or null")
        for key in ("column", "value"):
            if source.get(key) is not None and not _scalar(source[key]):
                refuse(f"fields.{name}.{key}", "text or a number")
        for key in ("derive", "negative", "positive", "separator"):
            if source.get(key) is not None and not isinstance(source[key], str):
                refuse(f"fields.{name}.{key}", "text")
        columns = source.get("columns")
        if columns is not None and not (isinstance(columns, list) and all(_scalar(c) for c in columns)):
            refuse(f"fields.{name}.columns", "a list of column names")
    values = data.get("values")
    if values is not None and not isinstance(values, Mapping):
        refuse("values", "a JSON object")
    for name, codes in (values or {}).items():
        if not isinstance(codes, Mapping):
            refuse(f"values.{name}", "a JSON object")
        for code, value in codes.items():
            if not _scalar(value):
                refuse(f"values.{name}.{code}", "text or a number")
    ignore = data.get("ignore")
    if ignore is not None and not (isinstance(ignore, list) and all(isinstance(h, str) for h in ignore)):
        refuse("ignore", "a list of column names")
    options = data.get("options")
    if options is not None and not isinstance(options, Mapping):
        refuse("options", "a JSON object")
    options = options or {}
    for key in ("date_order", "currency"):
        if options.get(key) is not None and not isinstance(options[key], str):
            refuse(f"options.{key}", "text")
    if options.get("sheet") is not None and not _scalar(options["sheet"]):
        refuse("options.sheet", "text or a number")
    for key in ("minor_units", "signed_amounts"):
        if options.get(key) is not None and not isinstance(options[key], bool):
            refuse(f"options.{key}", "true or false")


def _columns_of(source: Mapping[str, Any] | None) -> list[str]:
    if not source:
        return []
    if "columns" in source:
        return [str(c) for c in source["columns"]]
    return [str(source["column"])] if source.get("column") is not None else []


@dataclass(frozen=True)
class Source:
    """A resolved field source: column indexes (file order), or a fixed value, and a derivation."""

    columns: tuple[int, ...] = ()
    value: str | None = None
    derive: str | None = None
    extra: tuple[tuple[str, str], ...] = ()
    automatic: bool = False


@dataclass
class Plan:
    """A mapping applied to one file's headers: ``sources`` per field, what is ``missing``,
    ``conflicts`` (several headers claim a field automatically), ``unmapped`` headers."""

    kind: str
    headers: tuple[str, ...]
    spec: MappingSpec
    sources: dict[str, Source]
    missing: tuple[str, ...]
    conflicts: dict[str, tuple[str, ...]]
    unmapped: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.missing and not self.conflicts

    def problem(self) -> str | None:
        return ColumnMapping(kind=self.kind, headers=self.headers, fields={}, missing=self.missing,
                             unmapped=self.unmapped, conflicts=self.conflicts).problem()

    def raise_if_incomplete(self) -> None:
        problem = self.problem()
        if problem:
            raise LedgerFileError(problem)

    @property
    def by_header(self) -> dict[str, str]:
        """file header -> field, for fields taken from one column as they are (the first format)."""
        return {self.headers[s.columns[0]]: name for name, s in self.sources.items()
                if len(s.columns) == 1 and s.derive is None and s.value is None}

    @property
    def generates_references(self) -> bool:
        source = self.sources.get("reference")
        return source is not None and source.derive == "generate"

    @property
    def simple(self) -> bool:
        """Every field is one column taken as it is: the validators read the file's rows directly."""
        options = self.spec.options
        return (not self.spec.values and not options.get("minor_units") and not options.get("signed_amounts")
                and "currency" not in self.sources
                and all(len(s.columns) == 1 and s.derive is None and s.value is None for s in self.sources.values()))

    def column_mapping(self) -> ColumnMapping:
        """What the row validators read: the file's columns (simple plans) or the rows ``rows()`` builds."""
        if self.simple:
            fields = {name: s.columns[0] for name, s in self.sources.items()}
            return ColumnMapping(kind=self.kind, headers=self.headers, fields=fields, missing=(), unmapped=())
        names = MAPPABLE_FIELDS[self.kind]
        return ColumnMapping(kind=self.kind, headers=names, missing=(), unmapped=(),
                             fields={n: i for i, n in enumerate(names) if n in self.sources})

    def automatic(self, name: str) -> bool:
        """Whether a field's column was matched by its name (not chosen by the clerk)."""
        source = self.sources.get(name)
        return source is None or source.automatic

    def column_of(self, name: str) -> str | None:
        """The file header(s) a field comes from, for messages: "'Due Date'" or "'First' + 'Last'"."""
        source = self.sources.get(name)
        if source is None or not source.columns:
            return None
        return " + ".join(repr(self.headers[i]) for i in source.columns)

    def describe(self, name: str) -> str:
        """How a field is filled, in words, for the confirmation page and the dry run."""
        source = self.sources.get(name)
        if source is None:
            return "—"
        if source.value is not None:
            return f"fixed value {source.value!r}"
        label = DERIVATIONS[source.derive][0] if source.derive else ""
        columns = self.column_of(name) or ""
        return f"{columns} ({label})" if label and columns else (label or columns)

    def rows(self, records: Iterable[tuple[int, list[str]]],
             *, creditor_currency: str | None = None) -> Iterator[tuple[int, list[str]]]:
        """The file's records turned into rows in MAPPABLE_FIELDS order. A row whose mapping fails
        (a non-integer in a minor-units column, another currency) comes out as a ``FailedRow``."""
        return _transform(self, records, creditor_currency)


def resolve(headers: Iterable[str], kind: str, spec: MappingSpec | Mapping[str, Any] | None,
            *, strict: bool = False) -> Plan:
    """Apply ``spec`` to a file's headers; fields it does not name are matched automatically.
    A named column the file lacks is an error when ``strict`` (a mapping file given on purpose),
    else that field is matched automatically (a mapping remembered from an earlier file)."""
    if not isinstance(spec, MappingSpec):
        spec = MappingSpec.parse(spec, kind)
    headers = tuple(headers)
    index: dict[str, int] = {}
    for i, header in enumerate(headers):
        index.setdefault(header, i)
        index.setdefault(normalize_header(header), i)
    sources: dict[str, Source] = {}
    conflicts: dict[str, tuple[str, ...]] = {}
    used: set[int] = set()
    skipped: set[str] = set()
    for name, source in spec.fields.items():
        if source is None:
            continue
        columns = []
        for header in _columns_of(source):
            i = index.get(header, index.get(normalize_header(header)))
            if i is not None:
                columns.append(i)
        if _columns_of(source) and not columns:
            if strict:
                raise LedgerFileError(f"{name}: the mapping names column {_columns_of(source)[0]!r}, which this "
                                      "file does not have")
            skipped.add(name)
            continue  # a remembered mapping from a file with other headers: match this field automatically
        used.update(columns)
        if source.get("conflict"):
            conflicts[name] = tuple(headers[i] for i in columns)
            continue
        value = source.get("value")
        extra = tuple((k, str(source[k])) for k in ("negative", "positive", "separator") if k in source)
        sources[name] = Source(columns=tuple(columns), value=None if value is None else str(value),
                               derive=source.get("derive"), extra=extra)
    ignored = {normalize_header(h) for h in spec.ignore} | set(spec.ignore)
    hidden = [(spec.exclusive and i in used) or h in ignored or normalize_header(h) in ignored
              for i, h in enumerate(headers)]
    auto = resolve_columns(["" if hide else h for hide, h in zip(hidden, headers, strict=True)], kind, None)
    for name, i in auto.fields.items():
        if (name not in spec.fields or name in skipped) and name not in sources:
            sources[name] = Source(columns=(i,), automatic=True)
    for name, claimed in auto.conflicts.items():
        if name not in spec.fields or name in skipped:
            conflicts[name] = claimed
    missing = [name for name in REQUIRED_FIELDS[kind] if name not in sources and name not in conflicts]
    if kind == ACCOUNTS and BUSINESS_NAME_FIELD not in sources:
        missing += [name for name in PERSON_NAME_FIELDS if name not in sources]
    taken = used | {s.columns[0] for s in sources.values() if s.columns}
    unmapped = tuple(h for i, h in enumerate(headers) if i not in taken and h.strip())
    return Plan(kind=kind, headers=headers, spec=spec, sources=sources, missing=tuple(missing),
                conflicts=conflicts, unmapped=unmapped)


def split_name(full: str) -> tuple[str, str]:
    """'Smith, Ann B' -> ('Ann B', 'Smith'); 'Ann B. Smith' -> ('Ann B.', 'Smith'); 'Cher' -> ('', 'Cher')."""
    text = " ".join(full.split())
    if "," in text:
        last, _, first = text.partition(",")
        return first.strip(), last.strip()
    first, _, last = text.rpartition(" ")
    return first, last


def _money_text(raw: str, *, minor: bool, absolute: bool) -> str:
    text = raw.strip()
    if not text:
        return ""
    if minor:
        body = text.replace(",", "")
        negative = body.startswith("-") or (body.startswith("(") and body.endswith(")"))
        digits = body.strip("()").lstrip("+-").removeprefix("$")
        if not (digits.isascii() and digits.isdigit()):
            raise ValueError(f"{text!r} is not a whole number of minor units (cents); "
                             "the mapping says this column is in minor units")
        cents = -int(digits) if negative else int(digits)
    else:
        cents = parse_amount_cents(text)
    return format_cents(abs(cents) if absolute else cents)


def _getter(plan: Plan, name: str, source: Source):
    """A function row -> cell text for one field (raises ValueError with the reason)."""
    columns = source.columns
    values = {" ".join(k.lower().split()): v for k, v in plan.spec.values.get(name, {}).items()}
    if source.value is not None:
        constant = values.get(" ".join(source.value.lower().split()), source.value)
        return lambda row: constant
    derive = source.derive
    if derive == "generate":
        return lambda row: ""
    first = columns[0]
    if derive == "concat":
        separator = dict(source.extra).get("separator", " ")
        return lambda row: separator.join(c for c in (row[i].strip() for i in columns) if c)
    if derive in ("first_name", "last_name"):
        part = 0 if derive == "first_name" else 1
        return lambda row: split_name(row[first])[part]
    if name in MONEY_FIELDS:
        minor = derive == "cents" or bool(plan.spec.options.get("minor_units"))
        absolute = derive == "abs"
        if not minor and not absolute:
            return lambda row: row[first]
        return lambda row: _money_text(row[first], minor=minor, absolute=absolute)
    if derive == "sign":
        extra = dict(source.extra)
        negative, positive = extra.get("negative", "payment"), extra.get("positive", "charge")

        def by_sign(row: list[str]) -> str:
            text = row[first].strip()
            if not text:
                return ""
            return negative if parse_amount_cents(text) < 0 else positive
        return by_sign
    if values:
        def mapped(row: list[str]) -> str:
            raw = row[first]
            return values.get(" ".join(raw.lower().split()), raw)
        return mapped
    return lambda row: row[first]


def _transform(plan: Plan, records: Iterable[tuple[int, list[str]]],
               creditor_currency: str | None) -> Iterator[tuple[int, list[str]]]:
    names = MAPPABLE_FIELDS[plan.kind]
    getters = [(n, _getter(plan, n, plan.sources[n])) if n in plan.sources else (n, None) for n in names]
    expected = len(plan.headers)
    signed = plan.kind == TRANSACTIONS and bool(plan.spec.options.get("signed_amounts"))
    fixed_currency = plan.spec.options.get("currency")
    if creditor_currency and fixed_currency and fixed_currency != creditor_currency:
        raise LedgerFileError(f"this file is in {fixed_currency} but the creditor's currency is {creditor_currency}; "
                              "it cannot be imported for this creditor")
    currency_at = names.index("currency")
    type_at = names.index("type") if "type" in names else None
    amount_at = names.index("amount") if "amount" in names else None
    for line, row in records:
        if len(row) != expected:
            fitted = fit_row(row, expected)
            if fitted is None:
                if not blank_row(row):
                    yield line, FailedRow([field_count_error(line, row, expected)])
                continue
            row = fitted
        if blank_row(row):
            continue
        out: list[str] = []
        errors: list[RowError] = []
        for name, get in getters:
            if get is None:
                out.append("")
                continue
            try:
                out.append(get(row))
            except ValueError as exc:
                column = plan.column_of(name)
                where = f" (column {column})" if column else ""
                raw = row[plan.sources[name].columns[0]] if plan.sources[name].columns else ""
                errors.append(RowError(line, name, raw, f"{name}{where}: {exc}"))
                out.append("")
        if creditor_currency and out[currency_at].strip():
            try:
                currency = parse_currency(out[currency_at])
            except ValueError as exc:
                errors.append(RowError(line, "currency", out[currency_at], str(exc)))
            else:
                if currency != creditor_currency:
                    errors.append(RowError(line, "currency", out[currency_at],
                                           f"currency {currency} differs from the creditor's currency "
                                           f"{creditor_currency}; amounts are not converted"))
        if signed and not errors:
            _signed_amount(out, type_at, amount_at)
        if errors:
            yield line, FailedRow(errors)
        else:
            yield line, out


def _signed_amount(out: list[str], type_at: int, amount_at: int) -> None:
    """Signed-amounts files: a negative payment is a refund or returned payment (a reversal that
    raises the debt again); a negative charge, interest or fee is a reversal that lowers it."""
    kind = out[type_at].strip().lower()
    sign = TYPE_SIGNS.get(kind)
    if not sign:
        return
    try:
        cents = parse_amount_cents(out[amount_at])
    except ValueError:
        return  # the validator reports it
    if cents < 0:
        out[type_at] = "reversal"
        out[amount_at] = format_cents(cents * sign)  # the ledger effect the signed row meant


def samples(records: Iterable[tuple[int, list[str]]], width: int, *, per_column: int = 3,
            scan_rows: int = 10_000, coded: Iterable[int] = ()) -> tuple[list[list[str]], dict[int, list[str]]]:
    """Up to ``per_column`` distinct non-empty values per column from the first rows, and the
    distinct values (at most 50) of the ``coded`` columns over the first ``scan_rows`` rows."""
    found: list[list[str]] = [[] for _column in range(width)]
    coded = set(coded)
    distinct: dict[int, list[str]] = {i: [] for i in coded}
    for _line, row in itertools.islice(records, scan_rows):
        for i, cell in enumerate(row[:width]):
            text = cell.strip()
            if not text:
                continue
            if len(found[i]) < per_column and text not in found[i]:
                found[i].append(text)
            if i in distinct and len(distinct[i]) < 50 and text not in distinct[i]:
                distinct[i].append(text)
    return found, distinct
