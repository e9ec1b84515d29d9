"""Reads for accounts: search, detail, ledger with running balance, balance by kind."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Q, Sum

from . import timezones
from .balances import balance_by_kind
from .models import Account, LedgerEntry


def account_search(*, q: str = "", creditor_id=None, status: str = "", debt_type: str = ""):
    """Accounts matching a free-text query: account number, debtor name, phone (any format)."""
    qs = Account.objects.select_related("creditor", "debtor")
    q = (q or "").strip()
    if q:
        cond = Q(creditor_account_number__iexact=q) | Q(creditor_account_number__istartswith=q)
        digits = "".join(ch for ch in q if ch.isdigit())
        phone = timezones.normalize_phone(q) if len(digits) >= 10 else None
        if phone:
            cond |= Q(debtor__phones__number=phone)
        words = q.split()
        if len(words) >= 2:
            cond |= Q(debtor__first_name__istartswith=words[0], debtor__last_name__istartswith=words[-1])
        else:
            cond |= Q(debtor__last_name__istartswith=q) | Q(debtor__business_name__istartswith=q)
        qs = qs.filter(cond).distinct() if phone else qs.filter(cond)
    if creditor_id:
        qs = qs.filter(creditor_id=creditor_id)
    if status:
        qs = qs.filter(status=status)
    if debt_type:
        qs = qs.filter(debt_type=debt_type)
    return qs.order_by("-current_balance", "id")


def account_get(*, account_id) -> Account:
    return (Account.objects.select_related("creditor", "debtor")
            .prefetch_related("debtor__phones", "debtor__emails", "debtor__addresses")
            .get(pk=account_id))


def account_balance_by_kind(*, account: Account) -> dict:
    totals = dict(LedgerEntry.objects.filter(account=account).values_list("kind")
                  .annotate(total=Sum("amount")).order_by())
    return balance_by_kind(totals, account.creditor.allocation_order)


# Entries shown on the account page; older ones are summarised by the opening balance of the first.
LEDGER_PAGE = 100


def ledger_with_running_balance(*, account: Account, limit: int = LEDGER_PAGE) -> list[dict]:
    """Entries oldest first with the balance after each; the newest `limit` are returned."""
    entries = list(LedgerEntry.objects.filter(account=account).select_related("created_by")
                   .order_by("-posted_date", "-id")[:limit])
    entries.reverse()
    shown = sum((e.amount for e in entries), Decimal("0.00"))
    running = account.current_balance - shown  # balance before the oldest entry shown
    rows = []
    for entry in entries:
        running += entry.amount
        rows.append({"entry": entry, "balance": running})
    return rows


def ledger_count(*, account: Account) -> int:
    return LedgerEntry.objects.filter(account=account).count()


def debtor_zones(*, debtor) -> list[str]:
    """Candidate IANA zones (address ZIPs and every phone's area code, or the stated location)."""
    return timezones.candidate_zones(
        address_zones=[a.time_zone for a in debtor.addresses.all()],
        phone_zones=[p.time_zones for p in debtor.phones.all()],
        stated_zone=debtor.stated_time_zone,
    )


def local_times(*, zones: list[str], now: datetime) -> list[dict]:
    return [{"zone": z, "local": now.astimezone(ZoneInfo(z))} for z in zones]
