"""Balance by kind, derived from ledger totals (pure: no database).

Charges, interest and fees raise their own bucket. Every credit (payments, negative adjustments,
reversals, write-offs) retires buckets in the creditor's allocation order; a positive adjustment or
reversal raises principal. The buckets always sum to the account's balance to the cent: a credit
larger than the debt leaves a negative (credit) principal.
"""

from decimal import Decimal

from .money import to_cents

BUCKETS = ("principal", "interest", "fees")
_RAISES = {"charge": "principal", "interest": "interest", "fee": "fees"}
ZERO = Decimal("0.00")


def balance_by_kind(totals: dict[str, Decimal], allocation_order=("fees", "interest", "principal")) -> dict:
    """`totals` maps entry kind -> signed sum. Returns {"principal", "interest", "fees", "total"}."""
    buckets = dict.fromkeys(BUCKETS, ZERO)
    credit = ZERO
    for kind, amount in totals.items():
        amount = Decimal(amount or 0)
        if kind in _RAISES and amount >= 0:
            buckets[_RAISES[kind]] += amount
        elif amount < 0:
            credit += -amount
        else:
            buckets["principal"] += amount
    for bucket in list(allocation_order) + ["principal"]:
        if credit <= 0:
            break
        taken = min(credit, max(buckets[bucket], ZERO))
        buckets[bucket] -= taken
        credit -= taken
    buckets["principal"] -= credit  # overpayment: a credit balance
    buckets["total"] = sum((buckets[b] for b in BUCKETS), ZERO)
    # Exactly two places on every database (SQLite's SUM hands back "11841.5700000000").
    return {name: to_cents(amount) for name, amount in buckets.items()}
