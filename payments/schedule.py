"""Payment plan schedules (pure): due dates by frequency and amounts that sum exactly to the total."""

from calendar import monthrange
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal

CENT = Decimal("0.01")
FREQUENCIES = ("weekly", "biweekly", "semimonthly", "monthly")


def add_months(start: date, months: int, anchor_day: int | None = None) -> date:
    """``start`` plus ``months``, keeping ``anchor_day`` (default start's day) clamped to the month's end.

    Jan 31 -> Feb 28 (29 in a leap year) -> Mar 31: the anchor, not the previous date, decides.
    """
    day = anchor_day or start.day
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day, monthrange(year, month)[1]))


def due_dates(start: date, frequency: str, count: int) -> list[date]:
    if count < 1:
        raise ValueError("A plan needs at least one installment.")
    if frequency == "weekly":
        return [start + timedelta(weeks=i) for i in range(count)]
    if frequency == "biweekly":
        return [start + timedelta(weeks=2 * i) for i in range(count)]
    if frequency == "monthly":
        return [add_months(start, i) for i in range(count)]
    if frequency == "semimonthly":
        # Twice a month, 15 days apart by the calendar: the 1st and 16th, the 15th and the 30th (the
        # 28th/29th in February), or for a late start the 20th and the 5th of the next month.
        first = start.day
        dates = []
        for i in range(count):
            months, second = divmod(i, 2)
            if not second:
                dates.append(add_months(start, months, first))
            elif first <= 15:
                dates.append(add_months(start, months, first + 15))
            else:
                dates.append(add_months(start, months + 1, first - 15))
        return dates
    raise ValueError(f"Unknown frequency {frequency!r}; use one of {', '.join(FREQUENCIES)}.")


def split_amounts(total: Decimal, count: int) -> list[Decimal]:
    """``count`` cent amounts summing to ``total``; the remainder cents go to the first installment."""
    if count < 1:
        raise ValueError("A plan needs at least one installment.")
    base = (total / count).quantize(CENT, rounding=ROUND_DOWN)
    amounts = [base] * count
    amounts[0] = total - base * (count - 1)
    return amounts


def build_schedule(*, total: Decimal, down_payment: Decimal, frequency: str, start_date: date,
                   installments: int | None = None, installment_amount: Decimal | None = None,
                   down_payment_date: date | None = None) -> list[dict]:
    """[{"seq", "due_date", "amount"}, ...]; seq 0 is the down payment when there is one.

    Give ``installments`` (a count) or ``installment_amount``: the count is then the fewest equal
    parts no larger than that amount (the remainder cent still goes to the first).
    """
    total, down_payment = Decimal(total), Decimal(down_payment or 0)
    errors = []
    if total <= 0:
        errors.append("total must be positive")
    if down_payment < 0 or down_payment > total:
        errors.append("down_payment must be between 0 and the total")
    if total != total.quantize(CENT) or down_payment != down_payment.quantize(CENT):
        errors.append("amounts must be whole cents")
    if errors:
        raise ValueError("; ".join(errors))
    rest = total - down_payment
    if installments is None:
        if not installment_amount or installment_amount <= 0:
            raise ValueError("give the number of installments or a positive installment amount")
        cents, per = int(rest * 100), int(Decimal(installment_amount) * 100)
        installments = max(1, -(-cents // per))
    rows = []
    if down_payment > 0:
        rows.append({"seq": 0, "due_date": down_payment_date or start_date, "amount": down_payment})
    if rest > 0:
        if installments < 1:
            raise ValueError("installments must be at least 1")
        for i, (when, amount) in enumerate(zip(due_dates(start_date, frequency, installments),
                                               split_amounts(rest, installments), strict=True), start=1):
            rows.append({"seq": i, "due_date": when, "amount": amount})
    return rows
