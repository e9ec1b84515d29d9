"""Money as people and programs see it: the one formatter every screen, CSV and API answer uses.

Amounts are Decimal to the cent (DESIGN.md §3). A database may hand back more places (SQLite's
SUM of a DecimalField gives "11841.5700000000"), fewer ("5.5"), an int or a float; everything
here rounds half-up to exactly two places first, so every place shows the same cents.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
#: Shown before the amount. The system is US-only today; a per-creditor currency would go here.
CURRENCY_SYMBOLS = {"USD": "$"}
DEFAULT_CURRENCY = "USD"


def to_cents(value) -> Decimal:
    """`value` as a Decimal with exactly two places (half-up). Raises ValueError for non-numbers."""
    if isinstance(value, float):
        value = repr(value)  # the shortest decimal that round-trips, not the binary expansion
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError) as exc:
        raise ValueError(f"not an amount of money: {value!r}") from exc
    if not amount.is_finite():
        raise ValueError(f"not an amount of money: {value!r}")
    return amount.quantize(CENT, rounding=ROUND_HALF_UP) + Decimal("0.00")  # + 0.00 turns -0.00 into 0.00


def money_str(value) -> str:
    """Machine form for CSV files and the API: "-1234.50" (two places, minus sign, no grouping)."""
    return f"{to_cents(value):.2f}"


def money_display(value, *, currency: str = DEFAULT_CURRENCY, grouping: bool = True) -> str:
    """Human form: "$1,234.50", negatives with a leading minus: "-$1,234.50". Empty for None."""
    if value is None or value == "":
        return ""
    amount = to_cents(value)
    symbol = CURRENCY_SYMBOLS.get(currency, f"{currency} ")
    digits = f"{abs(amount):,.2f}" if grouping else f"{abs(amount):.2f}"
    return f"{'-' if amount < 0 else ''}{symbol}{digits}"
