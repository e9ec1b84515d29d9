"""Days past due and aging buckets (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext, gettext_noop

# (code, label, min_days, max_days inclusive; None = open-ended). The AgingBucket table starts from
# these and admins may change it; scoring reads the table.
# Labels are stored as written (AgingBucket rows); screens show them translated (gettext_noop marks them).
DEFAULT_BUCKETS = [
    ("current", gettext_noop("Current"), 0, 0),
    ("1-30", gettext_noop("1-30 days"), 1, 30),
    ("31-60", gettext_noop("31-60 days"), 31, 60),
    ("61-90", gettext_noop("61-90 days"), 61, 90),
    ("91-120", gettext_noop("91-120 days"), 91, 120),
    ("121-180", gettext_noop("121-180 days"), 121, 180),
    ("181-365", gettext_noop("181-365 days"), 181, 365),
    ("365+", gettext_noop("Over 365 days"), 366, None),
]


@dataclass(frozen=True)
class Bucket:
    code: str
    min_days: int
    max_days: int | None

    def holds(self, dpd: int) -> bool:
        return dpd >= self.min_days and (self.max_days is None or dpd <= self.max_days)


def default_buckets() -> list[Bucket]:
    return [Bucket(code, lo, hi) for code, _, lo, hi in DEFAULT_BUCKETS]


def days_past_due(*, as_of: date, delinquent_since: date | None) -> int:
    """Whole days from the first missed due date to ``as_of``; 0 when not yet due or unknown."""
    if delinquent_since is None:
        return 0
    return max(0, (as_of - delinquent_since).days)


def bucket_for(dpd: int, buckets: list[Bucket]) -> str:
    """The code of the first bucket holding ``dpd`` ("" if the table leaves a gap)."""
    for bucket in buckets:
        if bucket.holds(dpd):
            return bucket.code
    return ""


def buckets_check(buckets: list[Bucket]) -> list[str]:
    """Every problem with a bucket table: overlaps and gaps from 0 up, and an open end only last."""
    problems = []
    ordered = sorted(buckets, key=lambda b: b.min_days)
    expected = 0
    for i, b in enumerate(ordered):
        if b.max_days is not None and b.max_days < b.min_days:
            problems.append(gettext("%(bucket)s: ends (%(end)s) before it starts (%(start)s)")
                            % {"bucket": b.code, "end": b.max_days, "start": b.min_days})
        if b.min_days > expected:
            problems.append(gettext("no bucket holds %(low)s-%(high)s days")
                            % {"low": expected, "high": b.min_days - 1})
        elif b.min_days < expected:
            problems.append(gettext("%(bucket)s overlaps the bucket before it") % {"bucket": b.code})
        if b.max_days is None:
            if i != len(ordered) - 1:
                problems.append(gettext("%(bucket)s has no upper end but is not the last bucket") % {"bucket": b.code})
            break
        expected = b.max_days + 1
    return problems
