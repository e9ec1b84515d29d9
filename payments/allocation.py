"""Allocation of a payment over the balance buckets by the creditor's waterfall (pure).

The parts always sum to the payment: what the buckets cannot take is a credit (overpayment).
"""

from decimal import Decimal

ZERO = Decimal("0.00")
BUCKETS = ("fees", "interest", "principal")


def allocate(amount: Decimal, balances: dict, waterfall=("fees", "interest", "principal")) -> list[tuple[str, Decimal]]:
    """[(bucket, part), ...] in waterfall order, then ("credit", rest) if anything is left.

    ``balances`` maps bucket -> amount owed (negatives count as nothing owed). Buckets missing from
    the waterfall are retired after it, principal last.
    """
    if amount <= 0:
        raise ValueError(f"A payment must be positive, not {amount}.")
    order = [b for b in waterfall if b in BUCKETS]
    order += [b for b in BUCKETS if b not in order]
    parts, left = [], amount
    for bucket in order:
        owed = max(Decimal(balances.get(bucket, ZERO) or ZERO), ZERO)
        take = min(owed, left)
        if take > 0:
            parts.append((bucket, take))
            left -= take
        if left == 0:
            break
    if left > 0:
        parts.append(("credit", left))
    return parts
