"""The dashboard's figures, read from the summary tables (a fixed number of small queries each).

Definitions (also on the page and in the README):
- Aging: open accounts (new, active, promise, plan, disputed, hold) and their balances now, by the
  bucket the nightly rescoring gave them ('' = not yet scored).
- Roll rate X→Y for month M: accounts that moved from bucket X to Y during M (bucket-change
  history) ÷ accounts in X when M opened (the month's opening snapshot).
- Liquidation for a placement month: money collected on its accounts so far ÷ amount placed.
- CEI for month M: (B + P − E) ÷ (B + P − Ec) × 100, B = open balance when M opened, P = placed in
  M, E = open balance when M closed (now, for the current month), Ec = the part of E in bucket
  "current".
- Promise-kept rate: kept ÷ (kept + partially kept + broken), promises due in the range.
- Right-party-contact rate: outbound attempts that reached the debtor in conversation ÷ outbound
  attempts made (blocked attempts are not attempts).
- Collected: payments posted minus returned payments, on their posting day.
"""

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext, gettext_noop

from accounts.models import Creditor, DebtType
from compliance.models import Dispute
from compliance.services.complaints import complaint_counts
from payments.models import PaymentPlan, Promise, Settlement

from ..models import (
    AgingBucket,
    CollectorGoal,
    CreditorFee,
    DashActivity,
    DashAging,
    DashAgingSnapshot,
    DashCollection,
    DashPlacement,
    DashPromise,
    DashQueue,
    DashRoll,
    Disposition,
    Queue,
    Team,
    User,
)
from ..models.escalations import OPEN_STATUSES as ESCALATION_OPEN
from ..models.escalations import Escalation
from ..models.skiptrace import ACTIVE_STATUSES as SKIP_ACTIVE
from ..models.skiptrace import SkipTraceCase

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
NOT_SCORED = gettext_noop("Not yet scored")


def money(value) -> Decimal:
    """Sums come back as Decimal (PostgreSQL) or float (SQLite): always two places."""
    return Decimal(str(value or 0)).quantize(CENT)


def ratio(part, whole) -> Decimal | None:
    whole = Decimal(str(whole or 0))
    if not whole:
        return None
    return (Decimal(str(part or 0)) * 100 / whole).quantize(Decimal("0.1"))


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Filters:
    start: date
    end: date
    creditor_id: int | None = None
    debt_type: str | None = None
    team_id: int | None = None
    user_id: int | None = None

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def query(self) -> dict:
        out = {"start": self.start.isoformat(), "end": self.end.isoformat()}
        for key in ("creditor_id", "debt_type", "team_id", "user_id"):
            value = getattr(self, key)
            if value:
                out[key.replace("_id", "")] = value
        return out


def _portfolio(qs, f: Filters):
    if f.creditor_id:
        qs = qs.filter(creditor_id=f.creditor_id)
    if f.debt_type:
        qs = qs.filter(debt_type=f.debt_type)
    return qs


def _people(qs, f: Filters, field: str = "user_id"):
    if f.user_id:
        return qs.filter(**{field: f.user_id})
    if f.team_id:
        return qs.filter(**{f"{field}__in": list(User.objects.filter(team_id=f.team_id).values_list("pk", flat=True))})
    return qs


def bucket_order() -> list[tuple[str, str]]:
    """(code, label) of every bucket, labels in the reader's language (a default label has its Spanish; a label
    an administrator typed reads as typed)."""
    return [(b.code, gettext(b.label)) for b in AgingBucket.objects.all()] + [("", gettext(NOT_SCORED))]


def aging(f: Filters, buckets: list[tuple[str, str]]) -> dict:
    rows = _portfolio(DashAging.objects.all(), f).values("bucket").annotate(n=Sum("accounts"), b=Sum("balance"))
    by_bucket = {r["bucket"]: r for r in rows}
    table = [{"bucket": code, "label": label, "accounts": int(by_bucket.get(code, {}).get("n") or 0),
              "balance": money(by_bucket.get(code, {}).get("b"))} for code, label in buckets]
    # Codes no longer (or not yet) defined as buckets still count, under their own code.
    known = {code for code, _ in buckets}
    table += [{"bucket": code, "label": code, "accounts": int(r["n"] or 0), "balance": money(r["b"])}
              for code, r in sorted(by_bucket.items()) if code not in known]
    table = [r for r in table if r["accounts"] or r["bucket"]]
    by_creditor = (_portfolio(DashAging.objects.all(), f).values("creditor_id", "debt_type")
                   .annotate(n=Sum("accounts"), b=Sum("balance")).order_by("creditor_id", "debt_type"))
    names = dict(Creditor.objects.values_list("pk", "name"))
    labels = dict(DebtType.choices)
    split = [{"creditor_id": r["creditor_id"], "creditor": names.get(r["creditor_id"], r["creditor_id"]),
              "debt_type": r["debt_type"], "debt_type_label": labels.get(r["debt_type"], r["debt_type"]),
              "accounts": int(r["n"] or 0), "balance": money(r["b"])} for r in by_creditor if r["n"]]
    return {"rows": table, "by_creditor": split,
            "accounts": sum(r["accounts"] for r in table), "balance": sum((r["balance"] for r in table), ZERO)}


def roll_rates(month: date, buckets: list[tuple[str, str]]) -> dict:
    """The bucket-to-bucket matrix for one month (as percentages of the bucket's opening count)."""
    opening = {r["bucket"]: int(r["n"] or 0) for r in DashAgingSnapshot.objects.filter(month=month)
               .values("bucket").annotate(n=Sum("accounts"))}
    moves = defaultdict(int)
    for r in DashRoll.objects.filter(month=month).values("from_bucket", "to_bucket", "accounts"):
        moves[(r["from_bucket"], r["to_bucket"])] += r["accounts"]
    codes = [c for c, _ in buckets if c]
    matrix = []
    for code, label in buckets:
        if not code:
            continue
        start = opening.get(code, 0)
        moved_out = sum(n for (a, _), n in moves.items() if a == code)
        cells = []
        for to in codes:
            n = moves.get((code, to), 0) if to != code else max(start - moved_out, 0)
            cells.append({"to": to, "accounts": n, "pct": ratio(n, start)})
        matrix.append({"from": code, "label": label, "opening": start, "cells": cells})
    return {"month": month, "columns": [(c, label) for c, label in buckets if c], "matrix": matrix,
            "has_snapshot": bool(opening)}


def liquidation(f: Filters, today: date, months: int = 12) -> dict:
    first = add_months(month_start(today), -(months - 1))
    placed = defaultdict(Decimal)
    for r in _portfolio(DashPlacement.objects.filter(month__gte=first), f).values("month").annotate(p=Sum("placed")):
        placed[r["month"]] += money(r["p"])
    collected = defaultdict(lambda: defaultdict(Decimal))
    rows = (_portfolio(DashCollection.objects.filter(placement_month__gte=first), f)
            .annotate(m=TruncMonth("day")).values("placement_month", "m").annotate(c=Sum("collected")))
    for r in rows:
        age = (r["m"].year - r["placement_month"].year) * 12 + r["m"].month - r["placement_month"].month
        collected[r["placement_month"]][max(age, 0)] += money(r["c"])
    curves = []
    for m in sorted(placed):
        span = (today.year - m.year) * 12 + today.month - m.month + 1
        total, points = ZERO, []
        for age in range(span):
            total += collected[m].get(age, ZERO)
            points.append(ratio(total, placed[m]))
        curves.append({"month": m, "placed": placed[m], "collected": total, "rate": ratio(total, placed[m]),
                       "points": points})
    return {"curves": curves}


def cei(f: Filters, today: date, months: int = 6) -> list[dict]:
    current = month_start(today)
    first = add_months(current, -(months - 1))
    snaps = defaultdict(lambda: {"total": ZERO, "current": ZERO})
    for r in (_portfolio(DashAgingSnapshot.objects.filter(month__gte=first), f)
              .values("month", "bucket").annotate(b=Sum("balance"))):
        snaps[r["month"]]["total"] += money(r["b"])
        if r["bucket"] == "current":
            snaps[r["month"]]["current"] += money(r["b"])
    now = {"total": ZERO, "current": ZERO}
    for r in _portfolio(DashAging.objects.all(), f).values("bucket").annotate(b=Sum("balance")):
        now["total"] += money(r["b"])
        if r["bucket"] == "current":
            now["current"] += money(r["b"])
    placed = {r["month"]: money(r["p"]) for r in _portfolio(DashPlacement.objects.filter(month__gte=first), f)
              .values("month").annotate(p=Sum("placed"))}
    out = []
    for i in range(months):
        m = add_months(first, i)
        opening = snaps.get(m)
        closing = now if m == current else snaps.get(add_months(m, 1))
        if not opening or not closing:
            out.append({"month": m, "cei": None, "why": "no opening or closing snapshot"})
            continue
        b, p = opening["total"], placed.get(m, ZERO)
        out.append({"month": m, "begin": b, "placed": p, "end": closing["total"], "end_current": closing["current"],
                    "cei": ratio(b + p - closing["total"], b + p - closing["current"])})
    return out


def promise_rates(f: Filters) -> dict:
    qs = _people(_portfolio(DashPromise.objects.filter(due_day__range=(f.start, f.end)), f), f)
    by = {r["status"]: (int(r["n"] or 0), money(r["a"])) for r in qs.values("status")
          .annotate(n=Sum("promises"), a=Sum("amount"))}
    kept, partial, broken = (by.get(s, (0, ZERO))[0] for s in ("kept", "partial", "broken"))
    return {"kept": kept, "partial": partial, "broken": broken, "open": by.get("open", (0, ZERO))[0],
            "rate": ratio(kept, kept + partial + broken)}


def contact_rates(f: Filters) -> dict:
    qs = _people(_portfolio(DashActivity.objects.filter(day__range=(f.start, f.end)), f), f)
    t = qs.aggregate(a=Sum("attempts"), r=Sum("rpc"))
    return {"attempts": int(t["a"] or 0), "rpc": int(t["r"] or 0), "rate": ratio(t["r"], t["a"])}


def collected_total(f: Filters) -> Decimal:
    qs = _people(_portfolio(DashCollection.objects.filter(day__range=(f.start, f.end)), f), f)
    return money(qs.aggregate(c=Sum("collected"))["c"])


def collector_kpis(f: Filters) -> list[dict]:
    rng = {"day__range": (f.start, f.end)}
    act = {r["user_id"]: r for r in _people(_portfolio(DashActivity.objects.filter(**rng), f), f)
           .values("user_id").annotate(a=Sum("attempts"), r=Sum("rpc"), w=Sum("worked"), s=Sum("seconds"))}
    taken = {r["user_id"]: r for r in _people(_portfolio(DashPromise.objects.filter(**rng), f), f)
             .values("user_id").annotate(n=Sum("promises"), a=Sum("amount"))}
    outcomes = defaultdict(dict)
    for r in (_people(_portfolio(DashPromise.objects.filter(due_day__range=(f.start, f.end)), f), f)
              .values("user_id", "status").annotate(n=Sum("promises"))):
        outcomes[r["user_id"]][r["status"]] = int(r["n"] or 0)
    cash = {r["user_id"]: money(r["c"]) for r in _people(_portfolio(DashCollection.objects.filter(**rng), f), f)
            .values("user_id").annotate(c=Sum("collected"))}
    ids = (set(act) | set(taken) | set(cash)) - {0}
    users = {u.pk: u for u in User.objects.filter(pk__in=ids).select_related("team")}
    goals = {}
    for g in CollectorGoal.objects.filter(Q(user__isnull=True) | Q(user_id__in=ids)):
        goals.setdefault(g.user_id, {})[g.metric] = g.target
    rows = []
    for uid in sorted(ids, key=lambda i: users[i].username if i in users else ""):
        a, t, o = act.get(uid, {}), taken.get(uid, {}), outcomes.get(uid, {})
        worked = int(a.get("w") or 0)
        values = {"attempts": int(a.get("a") or 0), "rpc": int(a.get("r") or 0), "promises": int(t.get("n") or 0),
                  "collected": cash.get(uid, ZERO), "worked": worked}
        mine = {**goals.get(None, {}), **goals.get(uid, {})}
        vs_goal = {m: ratio(values[m], target * f.days) for m, target in mine.items() if m in values}
        kept, decided = o.get("kept", 0), o.get("kept", 0) + o.get("partial", 0) + o.get("broken", 0)
        rows.append({"user_id": uid, "user": users.get(uid), **values,
                     "promised": money(t.get("a")), "kept_rate": ratio(kept, decided),
                     "seconds_per_account": int(a.get("s") or 0) // worked if worked else None,
                     "vs_goal": vs_goal})
    return rows


def queue_sizes() -> list[dict]:
    counts = {r.queue_id: r for r in DashQueue.objects.all()}
    rows = [{"queue": q, "items": counts[q.pk].items if q.pk in counts else 0,
             "ready": counts[q.pk].ready if q.pk in counts else 0} for q in Queue.objects.filter(is_active=True)]
    if 0 in counts:
        rows.append({"queue": None, "items": counts[0].items, "ready": counts[0].ready})
    return rows


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def exceptions(f: Filters, today: date) -> dict:
    week = (today - timedelta(days=7), today)
    broken = _people(_portfolio(DashPromise.objects.filter(status="broken", due_day__range=week), f), f)
    return {
        "broken_count": int(broken.aggregate(n=Sum("promises"))["n"] or 0),
        "broken": list(Promise.objects.filter(status="broken", due_date__range=week)
                       .select_related("account__debtor", "created_by").order_by("-due_date", "-id")[:10]),
        "settlements": list(Settlement.objects.filter(status="awaiting_approval")
                            .select_related("account__debtor", "created_by").order_by("created_at")[:20]),
        "plans": list(PaymentPlan.objects.filter(status="awaiting_approval")
                      .select_related("account__debtor").order_by("pk")[:20]),
        "promises": list(Promise.objects.filter(status="awaiting_approval")
                         .select_related("account__debtor", "created_by").order_by("pk")[:20]),
        "disputes_open": Dispute.objects.exclude(status="resolved").count(),
        "escalations": Disposition.objects.filter(code="escalate", at__gte=_midnight(f.start),
                                                  at__lt=_midnight(f.end + timedelta(days=1))).count(),
        # back office (issue 13): complaints to answer, open escalations, debtors being searched for
        "complaints": complaint_counts(),
        **Escalation.objects.filter(status__in=ESCALATION_OPEN).aggregate(
            escalations_open=Count("id"), escalations_overdue=Count("id", filter=Q(due_on__lt=today))),
        "skip_cases_live": SkipTraceCase.objects.filter(status__in=SKIP_ACTIVE).count(),
    }


def filter_choices() -> dict:
    return {"creditors": list(Creditor.objects.values_list("pk", "name")),
            "debt_types": list(DebtType.choices),
            "teams": list(Team.objects.values_list("pk", "name")),
            "collectors": list(User.objects.filter(groups__name="collector").values_list("pk", "username"))}


def remittance(today: date, months: int = 12, creditor_id: int | None = None) -> list[dict]:
    """Collected per creditor per month, the agency's contingency fee and the net to remit."""
    first = add_months(month_start(today), -(months - 1))
    fees = dict(CreditorFee.objects.values_list("creditor_id", "fee_pct"))
    names = dict(Creditor.objects.values_list("pk", "name"))
    totals = defaultdict(Decimal)
    qs = DashCollection.objects.filter(day__gte=first)
    if creditor_id:
        qs = qs.filter(creditor_id=creditor_id)
    for r in qs.annotate(m=TruncMonth("day")).values("creditor_id", "m").annotate(c=Sum("collected")):
        totals[(r["creditor_id"], r["m"])] += money(r["c"])
    rows = []
    for (cid, m), collected in sorted(totals.items(), key=lambda kv: (kv[0][1], names.get(kv[0][0], ""))):
        pct = fees.get(cid, ZERO)
        fee = (collected * pct / 100).quantize(CENT)
        rows.append({"month": m, "creditor_id": cid, "creditor": names.get(cid, cid), "collected": collected,
                     "fee_pct": pct, "fee": fee, "net": collected - fee})
    return rows
