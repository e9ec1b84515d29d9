from .account import Account, AccountStatus, DebtType
from .ledger import EntryKind, EntrySource, LedgerEntry
from .parties import Address, Creditor, Debtor, Email, Phone

__all__ = [
    "Account",
    "AccountStatus",
    "Address",
    "Creditor",
    "DebtType",
    "Debtor",
    "Email",
    "EntryKind",
    "EntrySource",
    "LedgerEntry",
    "Phone",
]
