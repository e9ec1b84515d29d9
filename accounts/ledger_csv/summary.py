"""Dry-run accumulator: counts, totals by type and a preview, fed one validated item at a time
(so the real import can keep a summary in the same pass that writes rows)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .placements import PlacementRow
from .rows import RowError, TransactionRow
from .values import cents_to_decimal


@dataclass(frozen=True)
class TypeTotal:
    count: int
    amount: Decimal  # sum of amounts as written (payments positive); see Summary.net_change


@dataclass
class Summary:
    """rows = valid + invalid (records that were not blank). errors counts RowErrors (an
    invalid row may have several). totals: per transaction type, or per debt_type for
    placements (amount = principal + interest + fees). net_change: the signed ledger effect of
    the valid transaction rows (placements: total placed balance). preview: the first valid
    rows; first_errors: the first errors."""

    preview_size: int = 20
    error_sample_size: int = 100
    valid: int = 0
    invalid: int = 0
    errors: int = 0
    preview: list[Any] = field(default_factory=list)
    first_errors: list[RowError] = field(default_factory=list)
    _counts: dict[str, int] = field(default_factory=dict, repr=False)
    _cents: dict[str, int] = field(default_factory=dict, repr=False)
    _net_cents: int = field(default=0, repr=False)
    _last_error_line: int = field(default=-1, repr=False)

    @property
    def rows(self) -> int:
        return self.valid + self.invalid

    def add(self, item: TransactionRow | PlacementRow | RowError) -> None:
        cls = item.__class__
        if cls is RowError:
            self.errors += 1
            if item.line != self._last_error_line:  # a row's errors arrive together
                self._last_error_line = item.line
                self.invalid += 1
            if len(self.first_errors) < self.error_sample_size:
                self.first_errors.append(item)
            return
        self.valid += 1
        if len(self.preview) < self.preview_size:
            self.preview.append(item)
        if cls is TransactionRow:
            key, cents, signed = item.kind, item.amount_cents, item.signed_amount_cents
        else:
            key = item.debt_type
            cents = signed = int((item.principal + item.interest + item.fees) * 100)
        self._counts[key] = self._counts.get(key, 0) + 1
        self._cents[key] = self._cents.get(key, 0) + cents
        self._net_cents += signed

    def add_all(self, items: Iterable[TransactionRow | PlacementRow | RowError]) -> Summary:
        """Same as ``add`` for each item; transaction rows take an inlined path (dry runs of
        a million rows spend most of their time here otherwise)."""
        add, counts, sums, preview = self.add, self._counts, self._cents, self.preview
        valid = net = 0
        for item in items:
            if item.__class__ is TransactionRow and len(preview) >= self.preview_size:
                kind = item[3]  # kind, amount_cents, signed_amount_cents by position: hot loop
                counts[kind] = counts.get(kind, 0) + 1
                sums[kind] = sums.get(kind, 0) + item[4]
                net += item[5]
                valid += 1
            else:
                add(item)
        self.valid += valid
        self._net_cents += net
        return self

    @property
    def totals(self) -> dict[str, TypeTotal]:
        return {
            key: TypeTotal(count, cents_to_decimal(self._cents[key]))
            for key, count in sorted(self._counts.items())
        }

    @property
    def net_change(self) -> Decimal:
        return cents_to_decimal(self._net_cents)

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready (amounts as strings)."""
        return {
            "rows": self.rows,
            "valid": self.valid,
            "invalid": self.invalid,
            "errors": self.errors,
            "totals": {k: {"count": t.count, "amount": str(t.amount)} for k, t in self.totals.items()},
            "net_change": str(self.net_change),
        }


def summarize(
    items: Iterable[TransactionRow | PlacementRow | RowError],
    *,
    preview: int = 20,
    error_sample: int = 100,
) -> Summary:
    """Consume a validated stream and return its Summary."""
    return Summary(preview_size=preview, error_sample_size=error_sample).add_all(items)
