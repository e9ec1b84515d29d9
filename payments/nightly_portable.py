"""The night's payments work on any database Django supports (SQLite, the embedded default).

The same transitions, amounts and idempotency as the set-based PostgreSQL statements of
``payments.nightly`` (which call these functions on other databases), written with the ORM: a few
``UPDATE``s per step grouped by value, and Python only where the arithmetic needs a date or a rate
per row. A test runs both paths over the same data and compares the results.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Exists, F, OuterRef, Sum
from django.utils import timezone

from accounts.balances import balance_by_kind
from accounts.models import Account, LedgerEntry
from compliance.models import Dispute
from payments.models import Installment, InterestTerms, PaymentPlan, PaymentSettings, Promise, Reminder, Settlement

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
# Ids per IN (...) list: well under SQLite's bound variables limit.
BATCH = 500
_OPEN_STATUSES = ("new", "active", "promise", "plan")


def _batches(ids):
    ids = list(ids)
    for i in range(0, len(ids), BATCH):
        yield ids[i:i + BATCH]


def accounts_back_to_active(account_ids, *, from_status: str) -> int:
    """Accounts left with no open promise and no active plan go back to active."""
    moved = 0
    open_promise = Promise.objects.filter(account_id=OuterRef("pk"), status="open")
    active_plan = PaymentPlan.objects.filter(account_id=OuterRef("pk"), status="active")
    for ids in _batches(sorted(set(account_ids))):
        moved += (Account.objects.filter(pk__in=ids, status=from_status)
                  .exclude(Exists(open_promise)).exclude(Exists(active_plan))
                  .update(status="active", updated_at=timezone.now()))
    return moved


def promises_judge(*, today: date) -> dict:
    with transaction.atomic():
        due = Promise.objects.filter(status="open", due_date__lt=today)
        not_kept = list(due.exclude(amount_paid__gte=F("amount")).values_list("account_id", flat=True))
        kept = due.filter(amount_paid__gte=F("amount")).update(status="kept", judged_on=today)
        partial = due.filter(amount_paid__gt=0).update(status="partial", judged_on=today)
        broken = due.update(status="broken", judged_on=today)  # what is left: nothing paid
        moved = accounts_back_to_active(not_kept, from_status="promise")
    return {"kept": kept, "partial": partial, "broken": broken, "accounts_to_active": moved}


def plans_check(*, today: date) -> dict:
    with transaction.atomic():
        per_plan: dict[int, int] = defaultdict(int)
        missed = 0
        graces = (PaymentPlan.objects.filter(status="active").values_list("grace_days", flat=True)
                  .distinct().order_by())
        for grace in graces:
            late = Installment.objects.filter(plan__status="active", plan__grace_days=grace, status="scheduled",
                                              due_date__lt=today - timedelta(days=grace))
            rows = list(late.values_list("pk", "plan_id"))
            for ids in _batches(pk for pk, _ in rows):
                missed += Installment.objects.filter(pk__in=ids, status="scheduled").update(status="missed")
            for _, plan_id in rows:
                per_plan[plan_id] += 1
        by_count: dict[int, list[int]] = defaultdict(list)
        for plan_id, n in per_plan.items():
            by_count[n].append(plan_id)
        for n, plan_ids in by_count.items():
            for ids in _batches(plan_ids):
                PaymentPlan.objects.filter(pk__in=ids).update(missed_count=F("missed_count") + n)
        defaulting = PaymentPlan.objects.filter(status="active", missed_count__gte=F("default_after_misses"))
        defaulted = list(defaulting.values_list("account_id", flat=True))
        defaulting.update(status="defaulted", ended_on=today)
        moved = accounts_back_to_active(defaulted, from_status="plan")
    return {"installments_missed": missed, "plans_with_new_misses": len(per_plan),
            "plans_defaulted": len(defaulted), "accounts_to_active": moved}


def settlements_expire(*, today: date) -> dict:
    with transaction.atomic():
        expired = (Settlement.objects.filter(status__in=["approved", "awaiting_approval"], kind="settlement",
                                             expires_on__lt=today).update(status="expired"))
    return {"expired": expired}


def interest_amount(*, base: Decimal, annual_rate: Decimal, days: int) -> Decimal:
    """Simple interest, actual/365, rounded half up to the cent (PostgreSQL's round(numeric, 2))."""
    return (base * annual_rate / 100 * days / 365).quantize(CENT, rounding=ROUND_HALF_UP)


def principal_outstanding(account_ids) -> dict[int, Decimal]:
    """account id -> principal outstanding, by accounts.balances.balance_by_kind over its ledger."""
    totals: dict[int, dict] = defaultdict(dict)
    orders = {}
    for ids in _batches(account_ids):
        for account_id, kind, total in (LedgerEntry.objects.filter(account_id__in=ids).values_list("account_id", "kind")
                                        .annotate(total=Sum("amount")).order_by().values_list("account_id", "kind",
                                                                                              "total")):
            totals[account_id][kind] = total
        orders.update(Account.objects.filter(pk__in=ids).values_list("pk", "creditor__allocation_order"))
    return {i: balance_by_kind(totals.get(i, {}), orders[i] or ())["principal"] for i in orders}


def interest_accrue(*, today: date) -> dict:
    through = today - timedelta(days=1)
    allowed = {s.creditor_id: s for s in PaymentSettings.objects.filter(interest_allowed=True)}
    open_dispute = Dispute.objects.filter(account_id=OuterRef("account_id")).exclude(status="resolved")
    active_plan = PaymentPlan.objects.filter(account_id=OuterRef("account_id"), status="active")
    approved = Settlement.objects.filter(account_id=OuterRef("account_id"), status="approved")
    terms = list(InterestTerms.objects.filter(accrued_through__lt=through, account__creditor_id__in=list(allowed))
                 .select_related("account")
                 .annotate(disputed=Exists(open_dispute), planned=Exists(active_plan), settled=Exists(approved)))
    principal = principal_outstanding([t.account_id for t in terms if t.method != "compound_daily"])
    entries, total, balances, stamped = 0, Decimal("0.00"), 0, 0
    with transaction.atomic():
        existing = set(LedgerEntry.objects.filter(
            reference__in=[f"INT-{t.account_id}-{through.isoformat()}" for t in terms]).values_list(
            "creditor_id", "reference"))
        for t in terms:
            a = t.account
            rules = allowed[a.creditor_id]
            base = a.current_balance if t.method == "compound_daily" else max(principal.get(a.pk, ZERO), ZERO)
            accrues = (a.status in (*_OPEN_STATUSES, "disputed", "hold") and a.current_balance > 0
                       and not (rules.interest_stops_at_charge_off and a.charge_off_date is not None)
                       and not (t.planned or t.settled or t.disputed))
            amount = interest_amount(base=base, annual_rate=t.annual_rate, days=(through - t.accrued_through).days)
            reference = f"INT-{a.pk}-{through.isoformat()}"
            if accrues and amount > 0 and (a.creditor_id, reference) not in existing:
                LedgerEntry.objects.create(account_id=a.pk, creditor_id=a.creditor_id, kind="interest", amount=amount,
                                           posted_date=today, reference=reference,
                                           memo=f"Interest accrued through {through.isoformat()}", source="system")
                balances += Account.objects.filter(pk=a.pk).update(current_balance=F("current_balance") + amount)
                entries += 1
                total += amount
            stamped += InterestTerms.objects.filter(pk=t.pk).update(accrued_through=through,
                                                                    stopped_reason="" if accrues else "stopped")
    return {"entries": entries, "total": str(total), "accounts": balances, "terms_advanced": stamped}


def reminders_queue(*, today: date) -> dict:
    days_before = dict(PaymentSettings.objects.values_list("creditor_id", "reminder_days_before"))
    candidates: dict[str, list[Reminder]] = {"promise_due": [], "installment_due": [], "installment_missed": [],
                                             "promise_missed": []}
    for p in Promise.objects.filter(status="open", due_date__gte=today).select_related("account"):
        if p.due_date <= today + timedelta(days=days_before.get(p.account.creditor_id) or 2):
            candidates["promise_due"].append(Reminder(account_id=p.account_id, kind="promise_due", promise_id=p.pk,
                                                      due_date=p.due_date,
                                                      idempotency_key=f"reminder:promise_due:{p.pk}"))
    for i in (Installment.objects.filter(status="scheduled", due_date__gte=today, plan__status="active")
              .select_related("plan__account")):
        if i.due_date <= today + timedelta(days=days_before.get(i.plan.account.creditor_id) or 2):
            candidates["installment_due"].append(Reminder(
                account_id=i.plan.account_id, kind="installment_due", installment_id=i.pk, due_date=i.due_date,
                idempotency_key=f"reminder:installment_due:{i.pk}"))
    for i in (Installment.objects.filter(status="missed", plan__status="active", amount_paid__lt=F("amount"))
              .select_related("plan")):
        candidates["installment_missed"].append(Reminder(
            account_id=i.plan.account_id, kind="installment_missed", installment_id=i.pk, due_date=i.due_date,
            idempotency_key=f"reminder:installment_missed:{i.pk}"))
    for p in Promise.objects.filter(status="broken", judged_on=today):
        candidates["promise_missed"].append(Reminder(account_id=p.account_id, kind="promise_missed", promise_id=p.pk,
                                                     due_date=p.due_date,
                                                     idempotency_key=f"reminder:promise_missed:{p.pk}"))
    counts = {}
    with transaction.atomic():
        for kind, rows in candidates.items():
            keys = [r.idempotency_key for r in rows]
            existing = set()
            for batch in _batches(keys):
                existing |= set(Reminder.objects.filter(idempotency_key__in=batch).values_list("idempotency_key",
                                                                                              flat=True))
            new = [r for r in rows if r.idempotency_key not in existing]
            for r in new:
                r.status, r.created_on = "queued", today
            Reminder.objects.bulk_create(new, ignore_conflicts=True)
            counts[kind] = len(new)
    return {**counts, "queued": sum(counts.values())}
