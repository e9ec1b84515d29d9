"""Writes for creditors, debtors, accounts and the ledger. Each owns its transaction."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import DecimalField, Exists, F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext

from . import timezones
from .ledger_csv import transaction_fingerprint
from .models import Account, Address, Creditor, EntryKind, EntrySource, LedgerEntry, Phone
from .models.account import ACCOUNT_TRANSITIONS

CENT = Decimal("0.01")


def creditor_get_or_create(*, code: str, name: str, kind: str = Creditor.Kind.BANK) -> tuple[Creditor, bool]:
    """Idempotent: the same code twice returns the first creditor unchanged."""
    with transaction.atomic():
        return Creditor.objects.get_or_create(code=code, defaults={"name": name, "kind": kind})


def _money(amount) -> Decimal:
    value = Decimal(str(amount))
    if value != value.quantize(CENT):
        raise ValidationError(gettext("Amount %(amount)s has more than 2 decimal places.") % {"amount": amount})
    return value.quantize(CENT)


def ledger_entry_post(*, account: Account, kind: str, amount, posted_date: date, source: str,
                      reference: str | None = None, memo: str = "", created_by=None,
                      reverses: LedgerEntry | None = None) -> tuple[LedgerEntry, bool]:
    """Append one entry and move the cached balance in the same transaction.

    Idempotent by (creditor, reference): a repeated reference returns the original entry and
    `False`; the same reference with a different amount or account is refused.
    """
    amount = _money(amount)
    if kind not in EntryKind.values:
        raise ValidationError(gettext("Unknown ledger entry kind %(kind)s.") % {"kind": repr(kind)})
    with transaction.atomic():
        if reference:
            existing = LedgerEntry.objects.filter(creditor_id=account.creditor_id, reference=reference).first()
            if existing is not None:
                if existing.account_id != account.id or existing.amount != amount or existing.kind != kind:
                    raise ValidationError(
                        gettext("Reference %(reference)s was already used for a different entry (#%(entry)s).")
                        % {"reference": repr(reference), "entry": existing.pk})
                return existing, False
        # The same content hash imports use, so a file re-sending this entry counts it as a duplicate.
        fingerprint = str(transaction_fingerprint(account.creditor_account_number, posted_date, kind,
                                                  int(amount * 100)))
        entry = LedgerEntry.objects.create(
            account=account, creditor_id=account.creditor_id, kind=kind, amount=amount,
            posted_date=posted_date, reference=reference, memo=memo, source=source,
            created_by=created_by, reverses=reverses, fingerprint=fingerprint)
        Account.objects.filter(pk=account.pk).update(current_balance=F("current_balance") + amount)
        account.refresh_from_db(fields=["current_balance"])
        return entry, True


def ledger_entry_reverse(*, entry: LedgerEntry, reason: str, created_by=None) -> LedgerEntry:
    """Correct an entry the only way the ledger allows: a reversal of the opposite amount."""
    if entry.reversed_by.exists():
        raise ValidationError(gettext("Entry #%(entry)s is already reversed.") % {"entry": entry.pk})
    reversal, _ = ledger_entry_post(
        account=entry.account, kind=EntryKind.REVERSAL, amount=-entry.amount, posted_date=date.today(),
        source=EntrySource.USER, reference=f"REV-{entry.pk}", memo=reason[:255], created_by=created_by,
        reverses=entry)
    return reversal


def account_status_change(*, account: Account, to_status: str) -> Account:
    """The one place account status moves; refuses anything the transitions table does not allow."""
    allowed = ACCOUNT_TRANSITIONS.get(account.status, frozenset())
    if to_status == account.status:
        return account
    if to_status not in allowed:
        raise ValidationError(gettext("An account cannot move from %(status)s to %(to_status)s.")
                              % {"status": repr(account.status), "to_status": repr(to_status)})
    with transaction.atomic():
        updated = Account.objects.filter(pk=account.pk, status=account.status).update(status=to_status)
        if not updated:
            raise ValidationError(gettext("The account's status changed meanwhile; reload and try again."))
        account.status = to_status
    return account


def balances_verify(*, limit: int = 100) -> dict:
    """Compare every cached balance with the sum of its entries, set-based (one query).

    Returns how many accounts were checked and up to `limit` mismatches.
    """
    ledger_sum = (LedgerEntry.objects.filter(account_id=OuterRef("pk")).order_by()
                  .values("account_id").annotate(total=Sum("amount")).values("total"))
    zero = Value(Decimal("0.00"), output_field=DecimalField(max_digits=14, decimal_places=2))
    annotated = Account.objects.annotate(ledger_total=Coalesce(Subquery(ledger_sum), zero))
    if connection.vendor == "postgresql":
        # numeric arithmetic is exact: let the database find the mismatches.
        wrong = annotated.exclude(current_balance=F("ledger_total"))
        rows = list(wrong.values_list("id", "current_balance", "ledger_total")[:limit])
        mismatched = wrong.count() if rows else 0
    else:
        # SQLite sums decimals as floats: compare to the cent in Python.
        rows, mismatched = [], 0
        for pk, cached, total in annotated.values_list("id", "current_balance", "ledger_total").iterator(5000):
            if Decimal(cached).quantize(CENT) != Decimal(total).quantize(CENT):
                mismatched += 1
                if len(rows) < limit:
                    rows.append((pk, cached, total))
    mismatches = [{"account_id": pk, "cached": str(Decimal(cached).quantize(CENT)),
                   "ledger": str(Decimal(total).quantize(CENT))} for pk, cached, total in rows]
    # The ledger's account reference is guarded by triggers, not a per-row FK: prove none dangles.
    orphaned = LedgerEntry.objects.filter(~Exists(Account.objects.filter(pk=OuterRef("account_id")))).count()
    return {"checked": Account.objects.count(), "mismatched": mismatched, "mismatches": mismatches,
            "orphaned_entries": orphaned}


def address_zone_refresh(*, address: Address) -> Address:
    address.time_zone = timezones.zone_for_zip(address.zip) or ""
    address.save(update_fields=["time_zone"])
    return address


def phone_zone_refresh(*, phone: Phone) -> Phone:
    phone.time_zones = list(timezones.zones_for_phone(phone.number))
    phone.save(update_fields=["time_zones"])
    return phone
