from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from accounts.services import ledger_entry_post
from tests.factories import AccountFactory, AddressFactory, CreditorFactory

UTC = ZoneInfo("UTC")


def funded_account(*, principal="1000.00", interest="0.00", fees="0.00", creditor=None, **kwargs):
    """An account whose ledger owes the given buckets (entries posted through the ledger service)."""
    account = AccountFactory(creditor=creditor or CreditorFactory(), status="active", **kwargs)
    for kind, amount in (("charge", principal), ("interest", interest), ("fee", fees)):
        if Decimal(amount) > 0:
            ledger_entry_post(account=account, kind=kind, amount=Decimal(amount), posted_date=date(2025, 1, 1),
                              source="placement", reference=f"{account.creditor_account_number}-{kind}")
    account.refresh_from_db()
    return account


def with_address(account):
    AddressFactory(debtor=account.debtor)
    return account


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)
