"""Reads for accounts: search, detail, ledger with running balance, balance by kind."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import QuerySet, Sum

from . import search, timezones
from .balances import balance_by_kind
from .models import Account, LedgerEntry


def account_search(*, q: str = "", creditor_id=None, status: str = "", debt_type: str = "",
                   limit: int = search.SEARCH_LIMIT) -> list[Account]:
    """Accounts matching a free-text query (account number, phone in any format, email, name or
    business name), best match first, at most `limit` (see accounts.search)."""
    ids = search.ranked_account_ids(q, filters=search.Filters(creditor_id=creditor_id, status=status,
                                                              debt_type=debt_type), limit=limit)
    found = Account.objects.select_related("creditor", "debtor").in_bulk(ids)
    return [found[i] for i in ids if i in found]


def account_list(*, creditor_id=None, status: str = "", debt_type: str = "") -> QuerySet[Account]:
    """Accounts under the list's filters, for keyset pages newest first (accounts.keyset): each
    filter has an (filter, id) index, so a page reads one index range whatever the portfolio size."""
    qs = Account.objects.select_related("creditor", "debtor")
    if creditor_id:
        qs = qs.filter(creditor_id=creditor_id)
    if status:
        qs = qs.filter(status=status)
    if debt_type:
        qs = qs.filter(debt_type=debt_type)
    return qs


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
