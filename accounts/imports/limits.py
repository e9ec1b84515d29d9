"""The import's field limits, read from the models: the one place that says which column each
canonical CSV field lands in. The parser (pure, ``ledger_csv.limits``) checks every cell against
them, so the dry run reports by line and column what the database would otherwise refuse."""

from functools import cache

from django.db import models

from ..ledger_csv import FieldLimits
from ..ledger_csv.limits import cents_limit
from ..models import Account, Address, Debtor, Email, LedgerEntry, Phone

# canonical field -> the model field it is stored in (placements and transactions share names).
STORED_IN: dict[str, tuple[type[models.Model], str]] = {
    "creditor_account_number": (Account, "creditor_account_number"),
    "original_creditor": (Account, "original_creditor"),
    "first_name": (Debtor, "first_name"),
    "last_name": (Debtor, "last_name"),
    "business_name": (Debtor, "business_name"),
    "ssn_last4": (Debtor, "ssn_last4"),
    "address_line1": (Address, "line1"),
    "address_line2": (Address, "line2"),
    "city": (Address, "city"),
    "state": (Address, "state"),
    "zip": (Address, "zip"),
    "phone": (Phone, "number"),
    "email": (Email, "address"),
    "reference": (LedgerEntry, "reference"),
    "reverses": (LedgerEntry, "reference"),  # the reference of the entry a reversal undoes
    "memo": (LedgerEntry, "memo"),
    # money: a placement's principal, interest and fees each open the ledger with one entry
    "amount": (LedgerEntry, "amount"),
    "principal": (LedgerEntry, "amount"),
    "interest": (LedgerEntry, "amount"),
    "fees": (LedgerEntry, "amount"),
    "itemization_balance": (Account, "itemization_balance"),
}


def _field(model: type[models.Model], name: str) -> models.Field:
    return model._meta.get_field(name)


@cache
def import_limits() -> FieldLimits:
    lengths, max_cents = {}, {}
    for canonical, (model, name) in STORED_IN.items():
        field = _field(model, name)
        if isinstance(field, models.DecimalField):
            max_cents[canonical] = cents_limit(field.max_digits, field.decimal_places)
        elif field.max_length:
            lengths[canonical] = field.max_length
    balance = _field(Account, "current_balance")
    return FieldLimits(lengths=lengths, max_cents=max_cents,
                       balance_max_cents=cents_limit(balance.max_digits, balance.decimal_places))
