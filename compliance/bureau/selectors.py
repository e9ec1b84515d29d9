"""Reads for credit-bureau reporting: what each account looks like to a Metro 2 run, history, paid lists."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db.models import Count, Max, Q, Sum

from accounts.models import Account, AccountStatus, DebtType, LedgerEntry
from compliance.models import (
    Bankruptcy,
    DeceasedRecord,
    Dispute,
    LegalHold,
    Metro2Outcome,
    Metro2Record,
    Metro2Run,
)

CENT = Decimal("0.01")
OPEN_STATUSES = (AccountStatus.NEW, AccountStatus.ACTIVE, AccountStatus.PROMISE, AccountStatus.PLAN,
                 AccountStatus.DISPUTED, AccountStatus.HOLD)
PAID_STATUSES = (AccountStatus.PAID, AccountStatus.SETTLED)
DELETED_STATUSES = (AccountStatus.RECALLED, AccountStatus.CLOSED)


def month_start(day: date) -> date:
    return day.replace(day=1)


def reportable_accounts(*, creditor, as_of: date):
    """The creditor's consumer accounts placed by ``as_of`` (commercial debts go to no consumer bureau)."""
    return (Account.objects.filter(creditor=creditor, placed_at__date__lte=as_of)
            .exclude(debt_type=DebtType.COMMERCIAL)
            .select_related("debtor", "creditor").prefetch_related("debtor__addresses", "debtor__phones")
            .order_by("creditor_account_number", "id"))


def reportable_account_chunks(*, creditor, as_of: date, size: int):
    """``reportable_accounts`` in lists of ``size``, read by keyset on the account number (unique per creditor,
    so the order is the file's order and each page is an index range scan): memory holds one chunk."""
    accounts = reportable_accounts(creditor=creditor, as_of=as_of)
    last = None
    while True:
        chunk = list((accounts if last is None else accounts.filter(creditor_account_number__gt=last))[:size])
        if not chunk:
            return
        yield chunk
        if len(chunk) < size:
            return
        last = chunk[-1].creditor_account_number


def furnishing_history(*, account_ids: list[int], before: date) -> dict[int, list[dict]]:
    """Per account, what earlier runs (``as_of`` before ``before``) reported, oldest first."""
    out: dict[int, list[dict]] = {}
    rows = (Metro2Record.objects.filter(account_id__in=account_ids, outcome=Metro2Outcome.REPORTED,
                                        run__as_of__lt=before)
            .order_by("run__as_of", "id")
            .values("account_id", "run__as_of", "account_status", "compliance_condition_code",
                    "special_comment", "date_of_first_delinquency", "current_balance"))
    for r in rows:
        out.setdefault(r["account_id"], []).append(r)
    return out


def payment_facts(*, account_ids: list[int], month_from: date, as_of: date) -> dict[int, dict]:
    """Per account: last payment date (by ``as_of``), total paid in the month, total ever paid, highest charge."""
    rows = (LedgerEntry.objects.filter(account_id__in=account_ids, posted_date__lte=as_of)
            .values("account_id")
            .annotate(last_payment=Max("posted_date", filter=Q(kind="payment")),
                      paid_in_month=Sum("amount", filter=Q(kind="payment", posted_date__gte=month_from)),
                      paid_total=Sum("amount", filter=Q(kind="payment")),
                      charged=Sum("amount", filter=Q(kind__in=("charge", "interest", "fee")))))
    return {r["account_id"]: r for r in rows}


def reporting_flags(*, account_ids: list[int], debtor_ids: list[int], now) -> dict:
    """Open disputes, fraud holds, deceased debtors and bankruptcy cases for the accounts, in five queries."""
    disputes: dict[int, list[str]] = {}
    for account_id, status in Dispute.objects.filter(account_id__in=account_ids).values_list("account_id", "status"):
        disputes.setdefault(account_id, []).append(status)
    fraud = set(LegalHold.objects.active().filter(account_id__in=account_ids, kind="fraud")
                .values_list("account_id", flat=True))
    deceased = set(DeceasedRecord.objects.active(now).filter(debtor_id__in=debtor_ids)
                   .values_list("debtor_id", flat=True))
    bankruptcies: dict[int, list] = {}
    for b in Bankruptcy.objects.active(now).filter(debtor_id__in=debtor_ids):
        bankruptcies.setdefault(b.debtor_id, []).append(b)
    return {"disputes": disputes, "fraud": fraud, "deceased": deceased, "bankruptcies": bankruptcies}


def runs(*, creditor=None, limit: int = 50):
    qs = Metro2Run.objects.select_related("creditor", "created_by")
    if creditor is not None:
        qs = qs.filter(creditor=creditor)
    return qs[:limit]


def run_items(*, run, outcome: str | None = None):
    qs = Metro2Record.objects.filter(run=run).select_related("account")
    return qs.filter(outcome=outcome) if outcome else qs


def paid_settled_accounts(*, creditor=None, start: date | None = None, end: date | None = None):
    """Paid and settled accounts with the date paid (the last payment), the amount paid and what the bureaus
    were told last: the "paid accounts" list a creditor receives each month."""
    qs = (Account.objects.filter(status__in=PAID_STATUSES).select_related("creditor", "debtor")
          .annotate(date_paid=Max("ledger_entries__posted_date", filter=Q(ledger_entries__kind="payment")),
                    amount_paid=Sum("ledger_entries__amount", filter=Q(ledger_entries__kind="payment")),
                    payment_count=Count("ledger_entries", filter=Q(ledger_entries__kind="payment")))
          .order_by("creditor__code", "-date_paid", "id"))
    if creditor is not None:
        qs = qs.filter(creditor=creditor)
    if start:
        qs = qs.filter(date_paid__gte=start)
    if end:
        qs = qs.filter(date_paid__lte=end)
    return qs


def last_reported(account_ids: list[int]) -> dict[int, dict]:
    out = {}
    for r in (Metro2Record.objects.filter(account_id__in=account_ids, outcome=Metro2Outcome.REPORTED)
              .order_by("run__as_of", "id").values("account_id", "account_status", "special_comment", "run__as_of")):
        out[r["account_id"]] = r
    return out


def paid_list_rows(*, creditor=None, start=None, end=None, limit: int | None = None) -> list[dict]:
    qs = paid_settled_accounts(creditor=creditor, start=start, end=end)
    accounts = list(qs[:limit] if limit else qs)
    reported = last_reported([a.pk for a in accounts])
    rows = []
    for a in accounts:
        last = reported.get(a.pk)
        rows.append({
            "account_id": a.pk, "creditor": a.creditor.code, "creditor_account_number": a.creditor_account_number,
            "debtor": a.debtor.display_name, "status": a.status, "date_paid": a.date_paid,
            # SQLite sums lose the scale: quantize to the cent
            "amount_paid": (-(a.amount_paid or Decimal("0"))).quantize(CENT), "original_balance": a.itemization_balance,
            "current_balance": a.current_balance,
            "metro2_status": "62" + (" + AU" if a.status == AccountStatus.SETTLED else ""),
            "last_reported": " ".join(p for p in [last["account_status"], last["special_comment"],
                                                  f"on {last['run__as_of']}"] if p) if last else "",
        })
    return rows
