"""Business-day arithmetic for Regulation F deadlines.

Only the eleven legal public holidays of 5 USC 6103(a) are holidays here, plus the Friday or
Monday on which a fixed-date holiday is observed when it falls on a weekend (an engine policy
choice: skipping the observed day yields a later, still-compliant date). Executive-order
closures (Inauguration Day outside 6103(c) handling, Christmas Eve, National Days of Mourning)
are deliberately excluded, which is why this module does not use a market or government
closure calendar.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

__all__ = [
    "assumed_receipt_date",
    "is_business_day",
    "legal_public_holidays",
    "validation_period_end",
]

#: Calendar days after assumed receipt that the validation period lasts (12 CFR 1006.34(b)(5)).
VALIDATION_PERIOD_DAYS = 30
#: Business days after sending at which a notice is assumed received ([K], see COMPLIANCE.md FED-VN-03).
ASSUMED_RECEIPT_BUSINESS_DAYS = 5
#: Juneteenth National Independence Day Act, signed 2021-06-17.
JUNETEENTH_FIRST_YEAR = 2021


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The n-th (1-based) given weekday (Mon=0) of a month."""
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _last_weekday(year: int, month: int, weekday: int) -> date:
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    last = nxt - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _fixed_holidays(year: int) -> dict[date, str]:
    fixed = {
        date(year, 1, 1): "New Year's Day",
        date(year, 7, 4): "Independence Day",
        date(year, 11, 11): "Veterans Day",
        date(year, 12, 25): "Christmas Day",
    }
    if year >= JUNETEENTH_FIRST_YEAR:
        fixed[date(year, 6, 19)] = "Juneteenth National Independence Day"
    return fixed


@lru_cache(maxsize=256)
def legal_public_holidays(year: int, *, observed: bool = True) -> dict[date, str]:
    """The 5 USC 6103(a) holidays falling in ``year``, with observed Fri/Mon days if asked.

    Observed days can cross a year boundary (New Year's Day on a Saturday is observed on
    Friday 31 December of the year before), so neighbouring years are consulted.
    """
    days: dict[date, str] = dict(_fixed_holidays(year))
    days[_nth_weekday(year, 1, 0, 3)] = "Birthday of Martin Luther King, Jr."
    days[_nth_weekday(year, 2, 0, 3)] = "Washington's Birthday"
    days[_last_weekday(year, 5, 0)] = "Memorial Day"
    days[_nth_weekday(year, 9, 0, 1)] = "Labor Day"
    days[_nth_weekday(year, 10, 0, 2)] = "Columbus Day"
    days[_nth_weekday(year, 11, 3, 4)] = "Thanksgiving Day"
    if observed:
        for y in (year - 1, year, year + 1):
            for day, name in _fixed_holidays(y).items():
                shift = {5: -1, 6: 1}.get(day.weekday())
                if shift:
                    obs = day + timedelta(days=shift)
                    if obs.year == year:
                        days.setdefault(obs, f"{name} (observed)")
    return dict(sorted(days.items()))


def is_business_day(day: date) -> bool:
    """Monday-Friday and not a 6103(a) legal public holiday (or its observed day)."""
    return day.weekday() < 5 and day not in legal_public_holidays(day.year)


def assumed_receipt_date(sent_on: date) -> date:
    """Fifth day after ``sent_on`` that is not a Saturday, Sunday or legal public holiday."""
    receipt, counted = sent_on, 0
    while counted < ASSUMED_RECEIPT_BUSINESS_DAYS:
        receipt += timedelta(days=1)
        if is_business_day(receipt):
            counted += 1
    return receipt


def validation_period_end(sent_on: date) -> date:
    """Minimum validation-period end date for a notice provided on ``sent_on``.

    12 CFR 1006.34(b)(5): the period ends 30 days after the consumer receives (or is assumed
    to receive) the validation information. Receipt is assumed on the fifth business day after
    sending; the 30 calendar days that follow are not rolled forward off a weekend or holiday.
    """
    return assumed_receipt_date(sent_on) + timedelta(days=VALIDATION_PERIOD_DAYS)
