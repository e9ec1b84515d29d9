"""The priority score (pure): points per component from versioned weights, and the reasons in words.

``score(facts, weights)`` is the reference; ``rescoring`` computes the same numbers in one SQL
statement over every open account, and a test proves the two agree. Points are Decimals rounded
to the cent, half away from zero, as PostgreSQL's ``round(numeric, 2)`` does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

CENT = Decimal("0.01")

DEFAULT_WEIGHTS: dict = {
    # points by aging bucket: the likelihood to collect peaks around 90 days and fades after
    "bucket": {"current": 0, "1-30": 10, "31-60": 25, "61-90": 35, "91-120": 40, "121-180": 35,
               "181-365": 25, "365+": 10},
    "balance_per_1000": 2, "balance_cap": 25000,  # points per $1,000 owed, up to the cap in dollars
    "no_contact_per_day": 1, "no_contact_cap_days": 30,  # days since the last contact that happened
    "no_rpc_per_day": 0.5, "no_rpc_cap_days": 60,  # days since the last right-party conversation
    "broken_promise": 20, "kept_promise": -10,  # per promise in the last 90 days
    "plan_defaulted": 25,
    "status": {"new": 10, "active": 0, "promise": -30, "plan": -40},
    "sol_years": 4, "sol_soon_days": 180, "sol_soon": 15, "sol_expired": -40,
    # the limitations period in years by debt type (e.g. 6 for written loan contracts); a debt type
    # not named here uses "sol_years"
    "sol_years_by_debt_type": {},
    "debt_type": {"credit_card": 5, "consumer_loan": 5, "auto_loan": 8, "medical": -5, "utility": 0,
                  "commercial": 10},
    "creditor": {},  # points by creditor code: the client's priority
}

# component -> the weights keys it reads (the editor shows them grouped this way)
COMPONENTS = ["bucket", "balance", "no_contact", "no_rpc", "broken", "kept", "plan", "status", "sol",
              "debt_type", "creditor"]
NUMBER_KEYS = ["balance_per_1000", "balance_cap", "no_contact_per_day", "no_contact_cap_days", "no_rpc_per_day",
               "no_rpc_cap_days", "broken_promise", "kept_promise", "plan_defaulted", "sol_years",
               "sol_soon_days", "sol_soon", "sol_expired"]
MAP_KEYS = ["bucket", "status", "debt_type", "creditor", "sol_years_by_debt_type"]
# The range of every weight: wide enough for any policy, narrow enough that the largest score still fits
# the score column (9,999,999.99): points per thing up to ±1,000, the balance counted up to $1,000,000,
# days counted up to 1,000.
POINTS_RANGE = (-1000, 1000)
WEIGHT_RANGES = {"balance_cap": (0, 1_000_000), "no_contact_cap_days": (0, 1000), "no_rpc_cap_days": (0, 1000),
                 "sol_years": (0, 100), "sol_soon_days": (0, 3650), "sol_years_by_debt_type": (0, 100)}


def weight_range(key: str) -> tuple[int, int]:
    """(lowest, highest) for a plain key or a map key (one range for all of its names)."""
    return WEIGHT_RANGES.get(key, POINTS_RANGE)


def sol_years_for(weights: dict, debt_type: str) -> int:
    """The limitations period (whole years) the score counts for a debt type."""
    w = {**DEFAULT_WEIGHTS, **weights}
    years = (w.get("sol_years_by_debt_type") or {}).get(debt_type)
    return int(_d(w["sol_years"] if years is None else years))


@dataclass(frozen=True)
class Facts:
    """What the score is computed from, for one account on one day."""

    dpd: int
    bucket: str
    balance: Decimal
    status: str
    debt_type: str
    creditor_code: str
    days_since_contact: int | None = None  # None: never contacted
    days_since_rpc: int | None = None  # None: never a right-party conversation
    broken_promises: int = 0
    days_since_broken: int | None = None
    kept_promises: int = 0
    plan_defaulted: bool = False
    days_to_sol: int | None = None  # None: no date to count from


def _d(value) -> Decimal:
    return Decimal(str(value))


def _round(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _capped_days(days: int | None, cap) -> int:
    cap = int(_d(cap))
    return cap if days is None else min(days, cap)


def add_years(day: date, years: int) -> date:
    """``day`` plus whole years; Feb 29 becomes Feb 28 (PostgreSQL's interval arithmetic does the same)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def components(facts: Facts, weights: dict) -> dict[str, list]:
    """component -> [points, the value it came from]."""
    w = {**DEFAULT_WEIGHTS, **weights}
    balance = max(Decimal("0"), min(facts.balance, _d(w["balance_cap"])))
    sol_points = Decimal("0")
    if facts.days_to_sol is not None:
        if facts.days_to_sol < 0:
            sol_points = _d(w["sol_expired"])
        elif facts.days_to_sol <= int(_d(w["sol_soon_days"])):
            sol_points = _d(w["sol_soon"])
    parts = {
        "bucket": [_d(w["bucket"].get(facts.bucket, 0)), facts.bucket],
        "balance": [balance * _d(w["balance_per_1000"]) / 1000, str(facts.balance)],
        "no_contact": [_capped_days(facts.days_since_contact, w["no_contact_cap_days"]) * _d(w["no_contact_per_day"]),
                       facts.days_since_contact],
        "no_rpc": [_capped_days(facts.days_since_rpc, w["no_rpc_cap_days"]) * _d(w["no_rpc_per_day"]),
                   facts.days_since_rpc],
        "broken": [facts.broken_promises * _d(w["broken_promise"]), [facts.broken_promises, facts.days_since_broken]],
        "kept": [facts.kept_promises * _d(w["kept_promise"]), facts.kept_promises],
        "plan": [_d(w["plan_defaulted"]) if facts.plan_defaulted else Decimal("0"), facts.plan_defaulted],
        "status": [_d(w["status"].get(facts.status, 0)), facts.status],
        "sol": [sol_points, facts.days_to_sol],
        "debt_type": [_d(w["debt_type"].get(facts.debt_type, 0)), facts.debt_type],
        "creditor": [_d(w["creditor"].get(facts.creditor_code, 0)), facts.creditor_code],
    }
    return {name: [_round(points), value] for name, (points, value) in parts.items()}


def score(facts: Facts, weights: dict) -> tuple[Decimal, dict[str, list]]:
    parts = components(facts, weights)
    return sum((p for p, _value in parts.values()), Decimal("0.00")), parts


# Stored form (WorkItem.components): one flat JSON array, the points of COMPONENTS in order and then the
# values they came from, which is a third of the cost of a JSON object per row in the nightly UPDATE.
# The bucket's value is the work item's own bucket column. Values that move with the calendar are
# stored as the dates they count from (the last contact, the last right-party contact, the last
# broken promise, the end of the limitations period), not as day counts: a row whose points did not
# change then stays as it is overnight, and the nightly run rewrites only the rows that changed.
# ``unpack`` turns the dates back into day counts for the day it is read.
VALUE_ORDER = ["balance", "contact_on", "rpc_on", "broken_count", "broken_on", "kept", "plan", "status", "sol_on",
               "debt_type", "creditor"]


def _day(as_of: date, days: int | None, sign: int) -> str | None:
    return None if days is None else (as_of + timedelta(days=sign * days)).isoformat()


def _days_between(as_of: date, value, sign: int) -> int | None:
    """Days from the stored date to ``as_of`` (sign 1) or from ``as_of`` to it (sign -1); a number
    (rows stored before the dates were) is taken as it is."""
    if value is None or isinstance(value, int | float):
        return value
    return sign * (as_of - date.fromisoformat(value)).days


def pack(parts: dict, *, as_of: date) -> list:
    """The stored form of ``components(...)`` for facts counted on ``as_of``."""
    points = [_jsonable_number(parts[name][0]) for name in COMPONENTS]
    values = {name: value for name, (_points, value) in parts.items()}
    broken_count, broken_since = values["broken"]
    return points + [values["balance"], _day(as_of, values["no_contact"], -1), _day(as_of, values["no_rpc"], -1),
                     broken_count, _day(as_of, broken_since, -1), values["kept"], values["plan"], values["status"],
                     _day(as_of, values["sol"], 1), values["debt_type"], values["creditor"]]


def unpack(stored, bucket: str, *, as_of: date) -> dict:
    """component -> [points, value] from the stored form, with day counts as of ``as_of`` (a dict is
    already unpacked)."""
    if not stored:
        return {}
    if isinstance(stored, dict):
        return stored
    points, v = stored[:len(COMPONENTS)], dict(zip(VALUE_ORDER, stored[len(COMPONENTS):], strict=False))
    values = {"bucket": bucket, "balance": v["balance"], "no_contact": _days_between(as_of, v["contact_on"], 1),
              "no_rpc": _days_between(as_of, v["rpc_on"], 1),
              "broken": [v["broken_count"], _days_between(as_of, v["broken_on"], 1)], "kept": v["kept"],
              "plan": v["plan"], "status": v["status"], "sol": _days_between(as_of, v["sol_on"], -1),
              "debt_type": v["debt_type"], "creditor": v["creditor"]}
    return {name: [points[i], values[name]] for i, name in enumerate(COMPONENTS)}


def _jsonable_number(value):
    value = Decimal(str(value))
    return int(value) if value == value.to_integral() else float(value)


def _phrase(name: str, value, dpd: int) -> str:
    """One component in words, in the active language (named placeholders: word order differs by language)."""
    if name == "bucket":
        return ngettext("%(days)s day past due", "%(days)s days past due", dpd) % {"days": dpd} if dpd \
            else _("not yet past due")
    if name == "balance":
        return _("%(amount)s owed") % {"amount": f"${Decimal(str(value)):,.0f}"}
    if name == "no_contact":
        return _("never contacted") if value is None else \
            ngettext("no contact for %(days)s day", "no contact for %(days)s days", value) % {"days": value}
    if name == "no_rpc":
        return _("never reached the debtor") if value is None else ngettext(
            "no right-party contact for %(days)s day", "no right-party contact for %(days)s days", value) % {
            "days": value}
    if name == "broken":
        count, days = value
        if count == 1:
            if days is None:
                return _("broken promise")
            if days == 0:
                return _("broken promise today")
            if days == 1:
                return _("broken promise yesterday")
            return ngettext("broken promise %(days)s day ago", "broken promise %(days)s days ago", days) % {
                "days": days}
        if days is None:
            return ngettext("%(count)s broken promise", "%(count)s broken promises", count) % {"count": count}
        if days == 0:
            return ngettext("%(count)s broken promise, the last today", "%(count)s broken promises, the last today",
                            count) % {"count": count}
        if days == 1:
            return ngettext("%(count)s broken promise, the last yesterday",
                            "%(count)s broken promises, the last yesterday", count) % {"count": count}
        return ngettext("%(count)s broken promise, the last %(days)s days ago",
                        "%(count)s broken promises, the last %(days)s days ago", count) % {"count": count, "days": days}
    if name == "kept":
        return ngettext("%(count)s kept promise", "%(count)s kept promises", value) % {"count": value}
    if name == "plan":
        return _("payment plan in default")
    if name == "status":
        labels = {"new": _("new placement"), "promise": _("promise to pay pending"), "plan": _("on a payment plan")}
        return labels.get(value) or _("status %(status)s") % {"status": _status_label(value)}
    if name == "sol":
        return _("past the statute of limitations") if value < 0 else ngettext(
            "statute of limitations in %(days)s day", "statute of limitations in %(days)s days", value) % {
            "days": value}
    if name == "debt_type":
        return _("debt type %(type)s") % {"type": _debt_type_label(value)}
    if name == "creditor":
        return _("client priority (%(creditor)s)") % {"creditor": value}
    return name


def _status_label(code) -> str:
    from accounts.models import AccountStatus

    return str(dict(AccountStatus.choices).get(code, code)).lower()


def _debt_type_label(code) -> str:
    from accounts.models import DebtType

    label = dict(DebtType.choices).get(code)
    return str(label).lower() if label is not None else str(code).replace("_", " ")


def reasons(parts: dict, *, dpd: int, limit: int = 6) -> list[str]:
    """The score in words, largest effect first: "62 days past due (+35)", "on a payment plan (−40)"."""
    rows = []
    for name, (points, value) in parts.items():
        points = _d(points)
        if points == 0:
            continue
        sign = "+" if points > 0 else "−"
        rows.append((abs(points), points > 0, f"{_phrase(name, value, dpd)} ({sign}{abs(points).normalize():f})"))
    rows.sort(key=lambda r: (not r[1], -r[0]))
    return [text for _size, _positive, text in rows[:limit]]


def headline(parts: dict, *, dpd: int) -> str:
    """'62 days past due, $4,100 owed, broken promise yesterday, no contact for 9 days' (the page prefixes
    'first because')."""
    positives = sorted(((_d(p), name, v) for name, (p, v) in parts.items() if _d(p) > 0), key=lambda r: -r[0])
    return ", ".join(_phrase(name, value, dpd) for _points, name, value in positives[:4])


def weights_problems(weights: dict) -> list[str]:
    """Every problem with a weights document (the editor shows them all at once)."""
    problems = []
    def check(key: str, value, low_high: tuple[int, int]):
        try:
            number = _d(value)
        except ArithmeticError:
            problems.append(_("%(key)s: not a number") % {"key": key})
            return
        low, high = low_high
        if low == 0 and number.is_finite() and number < 0:
            return  # said below: "must not be negative"
        if not number.is_finite() or not low <= number <= high:
            problems.append(_("%(key)s: must be from %(low)s to %(high)s, not %(value)s")
                            % {"key": key, "low": f"{low:,}", "high": f"{high:,}", "value": str(value)[:40]})

    for key in NUMBER_KEYS:
        check(key, weights.get(key, DEFAULT_WEIGHTS[key]), weight_range(key))
    for key in MAP_KEYS:
        value = weights.get(key, {})
        if not isinstance(value, dict):
            problems.append(_("%(key)s: must map names to points") % {"key": key})
            continue
        for name, points in value.items():
            check(f"{key}.{name}", points, weight_range(key))
    for debt_type, years in (weights.get("sol_years_by_debt_type") or {}).items():
        try:
            if _d(years) < 0:
                problems.append(_("%(key)s: must not be negative") % {"key": f"sol_years_by_debt_type.{debt_type}"})
        except ArithmeticError:
            pass
    for key in ("balance_cap", "no_contact_cap_days", "no_rpc_cap_days", "sol_years", "sol_soon_days"):
        try:
            if _d(weights.get(key, DEFAULT_WEIGHTS[key])) < 0:
                problems.append(_("%(key)s: must not be negative") % {"key": key})
        except ArithmeticError:
            pass
    return problems
