"""Promise and plan facts for the score, from ``payments``: broken and kept promises due in the last
90 days (with how long ago the last one broke) and a defaulted payment plan."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from payments.models import PaymentPlan, Promise
from payments.models.plan import PlanStatus
from payments.models.promise import PromiseStatus

PROMISE_WINDOW_DAYS = 90

_SQL = """
  SELECT account_id, sum(broken)::int AS broken, max(broken_on) AS broken_on, %s::date - max(broken_on) AS since_broken,
         sum(kept)::int AS kept, bool_or(defaulted) AS plan_defaulted
  FROM (
    SELECT account_id, (status = %s)::int AS broken,
           CASE WHEN status = %s THEN COALESCE(judged_on, due_date) END AS broken_on,
           (status = %s)::int AS kept, false AS defaulted
    FROM payments_promise
    WHERE account_id BETWEEN %s AND %s AND due_date BETWEEN %s AND %s AND status IN (%s, %s)
    UNION ALL
    SELECT account_id, 0, NULL, 0, true FROM payments_paymentplan
    WHERE account_id BETWEEN %s AND %s AND status = %s
  ) facts GROUP BY account_id"""


def chunk_sql(*, as_of: date, lo: int, hi: int) -> tuple[str, list]:
    """SQL (and its parameters) giving one row per account in lo..hi with promise/plan facts."""
    since = as_of - timedelta(days=PROMISE_WINDOW_DAYS)
    broken, kept = PromiseStatus.BROKEN.value, PromiseStatus.KEPT.value
    return _SQL, [as_of, broken, broken, kept, lo, hi, since, as_of, broken, kept, lo, hi,
                  PlanStatus.DEFAULTED.value]


def facts_python(*, account_ids, as_of: date) -> dict[int, dict]:
    """The same facts for the portable path: account id -> {"broken", "since_broken", "kept", "plan_defaulted"}
    (``since_broken``: days from the last broken promise to ``as_of``)."""
    since = as_of - timedelta(days=PROMISE_WINDOW_DAYS)
    out: dict[int, dict] = defaultdict(lambda: {"broken": 0, "since_broken": None, "kept": 0,
                                                "plan_defaulted": False})
    promises = Promise.objects.filter(account_id__in=account_ids, due_date__gte=since, due_date__lte=as_of,
                                      status__in=[PromiseStatus.BROKEN, PromiseStatus.KEPT])
    for p in promises.only("account_id", "status", "judged_on", "due_date"):
        row = out[p.account_id]
        if p.status == PromiseStatus.BROKEN:
            row["broken"] += 1
            days = (as_of - (p.judged_on or p.due_date)).days
            row["since_broken"] = days if row["since_broken"] is None else min(row["since_broken"], days)
        else:
            row["kept"] += 1
    for account_id in PaymentPlan.objects.filter(account_id__in=account_ids, status=PlanStatus.DEFAULTED) \
            .values_list("account_id", flat=True):
        out[account_id]["plan_defaulted"] = True
    return dict(out)
