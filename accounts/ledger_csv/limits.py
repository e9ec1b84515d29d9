"""What the database can hold, as the parser checks it: a cell that passes here cannot be refused
by a column's length or a NUMERIC's precision when the import writes it.

This module stays free of Django: the numbers come from the models, read in one place
(``accounts.imports.limits.import_limits``) and passed to ``open_ledger(limits=...)``. Without
limits (``NO_LIMITS``) only the parser's own policy applies (``MAX_AMOUNT_CENTS`` per row).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

# Policy, stricter than any NUMERIC(14, 2) column: one ledger row of ten billion dollars is a typo,
# and the cap leaves room for a balance to hold many such rows.
MAX_AMOUNT_CENTS = 999_999_999_999  # 9,999,999,999.99


def cents_limit(max_digits: int, decimal_places: int) -> int:
    """Largest absolute value, in cents, a NUMERIC(max_digits, decimal_places) column holds
    (cents need decimal_places == 2): NUMERIC(14, 2) -> 99,999,999,999,999."""
    assert decimal_places == 2, "amounts are kept in cents"
    return 10**max_digits - 1


def format_limit(cents: int) -> str:
    """99999999999999 -> '999,999,999,999.99'."""
    units, rest = divmod(cents, 100)
    return f"{units:,}.{rest:02d}"


@dataclass(frozen=True)
class FieldLimits:
    """``lengths``: canonical field -> most characters its column holds (after stripping).
    ``max_cents``: money field -> largest absolute amount in cents. ``balance_max_cents``: the
    largest balance an account holds (a placement's principal + interest + fees; the import
    checks a transaction file's effect per account in SQL)."""

    lengths: Mapping[str, int] = field(default_factory=dict)
    max_cents: Mapping[str, int] = field(default_factory=dict)
    balance_max_cents: int | None = None

    def length(self, name: str) -> int:
        """The field's length limit, or a number no cell reaches."""
        return self.lengths.get(name, 1 << 62)

    def too_long(self, name: str, text: str) -> str | None:
        """The error message when ``text`` does not fit ``name``'s column, else None."""
        limit = self.lengths.get(name)
        if limit is not None and len(text) > limit:
            return f"{name} is too long ({len(text):,} characters; at most {limit:,})"
        return None

    def amount_cents(self, name: str) -> int:
        """Largest absolute amount for ``name``: the policy cap for ledger amounts, and the
        column's precision when that is smaller."""
        limit = self.max_cents.get(name)
        if name == "amount":
            return MAX_AMOUNT_CENTS if limit is None else min(limit, MAX_AMOUNT_CENTS)
        return limit if limit is not None else 1 << 62

    def too_large(self, name: str, cents: int) -> str | None:
        limit = self.amount_cents(name)
        if abs(cents) > limit:
            return f"{name} is too large (at most {format_limit(limit)})"
        return None


NO_LIMITS = FieldLimits()
