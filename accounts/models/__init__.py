from .account import Account, AccountStatus, DebtType
from .imports import ColumnMappingMemory, ImportBatch, ImportKind, ImportStatus
from .ledger import EntryKind, EntrySource, LedgerEntry
from .parties import Address, Creditor, Debtor, Email, Phone

__all__ = [
    "Account",
    "AccountStatus",
    "Address",
    "ColumnMappingMemory",
    "ImportBatch",
    "ImportKind",
    "ImportStatus",
    "Creditor",
    "DebtType",
    "Debtor",
    "Email",
    "EntryKind",
    "EntrySource",
    "LedgerEntry",
    "Phone",
]
