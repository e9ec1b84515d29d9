"""Placements import: upsert debtors, contact points and accounts by creditor account number, and
open each new account's ledger with principal / interest / fees as of the itemization date.

Portable set-based path (bulk queries per chunk of rows, inside the batch's one transaction).
"""

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.utils import timezone

from .. import timezones
from ..ledger_csv import PlacementRow
from ..models import Account, Address, Debtor, Email, LedgerEntry, Phone

# Rows per round of bulk queries: bounds memory and query size (SQLite allows ~32k parameters).
CHUNK_ROWS = 2_000
OPENING = (("charge", "principal", "P"), ("interest", "interest", "I"), ("fee", "fees", "F"))
ACCOUNT_FIELDS = ("debt_type", "original_creditor", "itemization_date", "itemization_balance", "charge_off_date",
                  "date_of_first_delinquency", "last_payment_date", "due_date")


def opening_reference(number: str, suffix: str) -> str:
    return f"OPEN:{number}:{suffix}"[:100]


def _debtor_fields(row: PlacementRow) -> dict:
    debtor_type = row.debtor_type or ("business" if row.business_name and not row.first_name else "consumer")
    return {"debtor_type": debtor_type, "first_name": row.first_name, "last_name": row.last_name,
            "business_name": row.business_name, "date_of_birth": row.date_of_birth, "ssn_last4": row.ssn_last4}


def upsert(*, rows: Iterable[PlacementRow], creditor, batch_id: int, user_id: int | None) -> dict[str, int]:
    assert transaction.get_connection().in_atomic_block, "placements run inside the batch's transaction"
    counts = {"created": 0, "updated": 0}
    chunk: list[PlacementRow] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= CHUNK_ROWS:
            _chunk(chunk, creditor, batch_id, user_id, counts)
            chunk = []
    if chunk:
        _chunk(chunk, creditor, batch_id, user_id, counts)
    return counts


def _chunk(rows: list[PlacementRow], creditor, batch_id, user_id, counts) -> None:
    existing = {a.creditor_account_number: a for a in Account.objects.filter(
        creditor=creditor, creditor_account_number__in=[r.creditor_account_number for r in rows]
    ).select_related("debtor")}
    new_rows = [r for r in rows if r.creditor_account_number not in existing]
    old_rows = [r for r in rows if r.creditor_account_number in existing]
    now = timezone.now()

    debtors = Debtor.objects.bulk_create([Debtor(**_debtor_fields(r)) for r in new_rows])
    accounts = Account.objects.bulk_create([
        Account(creditor=creditor, debtor=d, creditor_account_number=r.creditor_account_number,
                **{f: getattr(r, f) for f in ACCOUNT_FIELDS},
                current_balance=r.principal + r.interest + r.fees)
        for r, d in zip(new_rows, debtors, strict=True)])
    entries = []
    for r, account in zip(new_rows, accounts, strict=True):
        posted = r.itemization_date or r.charge_off_date or date.today()
        for kind, attr, suffix in OPENING:
            amount = getattr(r, attr)
            if amount:
                entries.append(LedgerEntry(
                    account=account, creditor=creditor, kind=kind, amount=amount, posted_date=posted,
                    reference=opening_reference(r.creditor_account_number, suffix), memo=f"Placement: {attr}",
                    source="placement", import_batch_id=batch_id, created_by_id=user_id, created_at=now))
    LedgerEntry.objects.bulk_create(entries)
    _contact_points(list(zip(new_rows, debtors, strict=True)), known=None)
    counts["created"] += len(new_rows)

    if old_rows:
        changed_accounts, changed_debtors = [], []
        for r in old_rows:
            account = existing[r.creditor_account_number]
            for f in ACCOUNT_FIELDS:
                value = getattr(r, f)
                if value not in (None, ""):
                    setattr(account, f, value)
            changed_accounts.append(account)
            for f, value in _debtor_fields(r).items():
                if value not in (None, ""):
                    setattr(account.debtor, f, value)
            changed_debtors.append(account.debtor)
        Account.objects.bulk_update(changed_accounts, list(ACCOUNT_FIELDS))
        Debtor.objects.bulk_update(changed_debtors, [f for f in _debtor_fields(old_rows[0])])
        _contact_points([(r, existing[r.creditor_account_number].debtor) for r in old_rows], known=True)
        counts["updated"] += len(old_rows)


def _contact_points(pairs, known) -> None:
    """Add the row's address, phone and email unless the debtor already has them."""
    if not pairs:
        return
    debtor_ids = [d.pk for _, d in pairs]
    have_phone, have_email, have_addr = set(), set(), set()
    if known:
        have_phone = set(Phone.objects.filter(debtor_id__in=debtor_ids).values_list("debtor_id", "number"))
        have_email = set(Email.objects.filter(debtor_id__in=debtor_ids).values_list("debtor_id", "address"))
        have_addr = set(Address.objects.filter(debtor_id__in=debtor_ids).values_list("debtor_id", "line1", "zip"))
    addresses, phones, emails = [], [], []
    for r, debtor in pairs:
        if r.address_line1 and (debtor.pk, r.address_line1, r.zip) not in have_addr:
            addresses.append(Address(debtor=debtor, line1=r.address_line1, line2=r.address_line2, city=r.city,
                                     state=r.state, zip=r.zip, is_primary=not known,
                                     time_zone=timezones.zone_for_zip(r.zip) or ""))
        if r.phone and (debtor.pk, r.phone) not in have_phone:
            phones.append(Phone(debtor=debtor, number=r.phone, phone_type=r.phone_type or Phone.Type.CELL,
                                time_zones=list(timezones.zones_for_phone(r.phone))))
        if r.email and (debtor.pk, r.email) not in have_email:
            emails.append(Email(debtor=debtor, address=r.email))
    Address.objects.bulk_create(addresses)
    Phone.objects.bulk_create(phones)
    Email.objects.bulk_create(emails)
