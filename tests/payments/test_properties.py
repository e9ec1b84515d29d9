"""Properties: allocations and schedules never gain or lose a cent; month ends clamp."""

from calendar import monthrange
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from payments.allocation import allocate
from payments.schedule import add_months, build_schedule, due_dates

cents = st.integers(min_value=1, max_value=10**9).map(lambda c: Decimal(c) / 100)
owed = st.integers(min_value=-10**6, max_value=10**8).map(lambda c: Decimal(c) / 100)
orders = st.permutations(["fees", "interest", "principal"])


@given(amount=cents, fees=owed, interest=owed, principal=owed, order=orders)
def test_allocation_parts_sum_to_the_payment_and_never_exceed_a_bucket(amount, fees, interest, principal, order):
    balances = {"fees": fees, "interest": interest, "principal": principal}
    parts = allocate(amount, balances, order)
    assert sum(p for _, p in parts) == amount
    assert all(p > 0 and p == p.quantize(Decimal("0.01")) for _, p in parts)
    for bucket, part in parts:
        if bucket != "credit":
            assert part <= balances[bucket]
    buckets = [b for b, _ in parts if b != "credit"]
    assert buckets == [b for b in order if b in buckets]  # waterfall order
    credit = sum((p for b, p in parts if b == "credit"), Decimal(0))
    assert credit == max(amount - sum(max(v, 0) for v in balances.values()), 0)


@given(total=cents, down=st.integers(0, 100), count=st.integers(1, 120),
       frequency=st.sampled_from(["weekly", "biweekly", "semimonthly", "monthly"]),
       start=st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)))
def test_schedule_sums_exactly_and_the_remainder_cent_goes_first(total, down, count, frequency, start):
    down_payment = (total * down / 100).quantize(Decimal("0.01"))
    rows = build_schedule(total=total, down_payment=down_payment, frequency=frequency, start_date=start,
                          installments=count)
    assert sum(r["amount"] for r in rows) == total
    parts = [r["amount"] for r in rows if r["seq"] > 0]
    if parts:
        assert all(p == parts[1] for p in parts[1:]) and parts[0] >= parts[-1]
        assert parts[0] - parts[-1] < Decimal("0.01") * len(parts)
    dates = [r["due_date"] for r in rows if r["seq"] > 0]
    assert dates == sorted(dates) and len(set(dates)) == len(dates)


@given(start=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)), months=st.integers(0, 240))
def test_monthly_dates_keep_the_anchor_day_clamped_to_month_end(start, months):
    got = add_months(start, months)
    last = monthrange(got.year, got.month)[1]
    assert got.day == min(start.day, last)
    assert (got.year * 12 + got.month) - (start.year * 12 + start.month) == months


def test_jan_31_clamps_to_feb_29_then_back_to_mar_31():
    assert due_dates(date(2024, 1, 31), "monthly", 3) == [date(2024, 1, 31), date(2024, 2, 29), date(2024, 3, 31)]
    assert due_dates(date(2025, 1, 31), "monthly", 2)[1] == date(2025, 2, 28)


@given(start=st.dates(min_value=date(2024, 1, 1), max_value=date(2030, 12, 31)), count=st.integers(2, 48))
def test_semimonthly_is_two_dates_a_month_about_half_a_month_apart(start, count):
    dates = due_dates(start, "semimonthly", count)
    gaps = [(b - a).days for a, b in zip(dates, dates[1:], strict=False)]
    assert all(12 <= g <= 18 for g in gaps), gaps
    assert all(timedelta(days=g) for g in gaps)


def test_100_in_three_puts_the_extra_cent_first():
    rows = build_schedule(total=Decimal("100.00"), down_payment=Decimal("0"), frequency="weekly",
                          start_date=date(2026, 3, 2), installments=3)
    assert [r["amount"] for r in rows] == [Decimal("33.34"), Decimal("33.33"), Decimal("33.33")]
