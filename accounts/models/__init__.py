from .account import Account, AccountStatus, DebtType
from .audit import AuditAction, AuditEvent
from .imports import ColumnMappingMemory, ImportBatch, ImportKind, ImportStatus
from .ledger import EntryKind, EntrySource, LedgerEntry
from .parties import Address, ContactSource, ContactStatus, Creditor, Debtor, Email, Phone

__all__ = [
    "Account",
    "AccountStatus",
    "Address",
    "AuditAction",
    "AuditEvent",
    "ColumnMappingMemory",
    "ContactSource",
    "ContactStatus",
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
