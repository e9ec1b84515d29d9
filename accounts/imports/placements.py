"""Placements import: upsert debtors, contact points and accounts by creditor account number, and
open each new account's ledger with principal / interest / fees as of the itemization date.

Portable set-based path (bulk queries per chunk of rows, inside the batch's one transaction).

Invoice-level files (business receivables): each row is one invoice, and a ``customer_id`` column
groups them. Our choice: **one debtor per customer, one account per invoice** (the invoice number is
the account's creditor account number, so its opening entries' references are OPEN:<invoice>:P…).
Each invoice keeps its own due date, terms, dispute flag and balance, payments name the invoice they
pay, and the debtor's accounts list is the customer's open-items statement. Rows of a customer id
already placed for this creditor join that debtor.
"""

from collections.abc import Iterable
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from .. import timezones
from ..ledger_csv import PlacementRow
from ..ledger_csv.values import zip_state
from ..models import Account, Address, Debtor, Email, LedgerEntry, Phone

# Rows per round of bulk queries: bounds memory and query size (SQLite allows ~32k parameters).
CHUNK_ROWS = 2_000
OPENING = (("charge", "principal", "P"), ("interest", "interest", "I"), ("fee", "fees", "F"))
ACCOUNT_FIELDS = ("debt_type", "original_creditor", "itemization_date", "itemization_balance", "charge_off_date",
                  "date_of_first_delinquency", "last_payment_date", "due_date", "customer_id", "terms_days",
                  "placed_disputed")
EARLIEST_PLAUSIBLE_YEAR = 1990
DATE_FIELDS = ("itemization_date", "charge_off_date", "date_of_first_delinquency", "last_payment_date", "due_date")


def _account_fields(row: PlacementRow) -> dict:
    due = row.due_date
    start = row.itemization_date
    if due is None and row.terms is not None and start is not None:
        due = start + timedelta(days=row.terms)  # Net 30 from the invoice date
    values = {f: getattr(row, f) for f in ACCOUNT_FIELDS if hasattr(row, f)}
    values.update(due_date=due, terms_days=row.terms, placed_disputed=row.disputed)
    return values


class PlacementWarnings:
    """Dry-run warnings for placement files, fed one valid row at a time."""

    def __init__(self, *, today: date):
        self.today = today
        self.future: dict[str, int] = {}
        self.old: dict[str, int] = {}
        self.count = 0
        self.whole = True
        self.total_cents = 0
        self.disputed = 0
        self.zip_state: dict[tuple[str, str, str], int] = {}  # (zip, state given, its state) -> first line
        self.zip_state_rows = 0

    def add(self, row: PlacementRow) -> None:
        if row.zip and row.state:
            actual = zip_state(row.zip)
            if actual and actual != row.state:
                self.zip_state_rows += 1
                self.zip_state.setdefault((row.zip[:5], row.state, actual), row.line)
        for name in DATE_FIELDS:
            value = getattr(row, name)
            if value is None:
                continue
            if value > self.today:
                self.future.setdefault(name, row.line)
            elif value.year < EARLIEST_PLAUSIBLE_YEAR:
                self.old.setdefault(name, row.line)
        cents = int((row.principal + row.interest + row.fees) * 100)
        self.count += 1
        self.total_cents += cents
        self.whole = self.whole and cents % 100 == 0
        self.disputed += bool(row.disputed)

    def messages(self) -> list[str]:
        out = [f"{name} is in the future (first on line {line})." for name, line in self.future.items()]
        out += [f"{name} is before {EARLIEST_PLAUSIBLE_YEAR} (first on line {line})."
                for name, line in self.old.items()]
        if self.count >= 10 and self.whole and self.total_cents / self.count >= 10_000_000:
            average = self.total_cents / self.count / 100
            out.append(f"Every balance is a whole number and the average is {average:,.2f};"
                       " if 89900 means 899.00, choose 'amounts in minor units' in the mapping.")
        if self.zip_state_rows:
            (zip5, given, actual), line = next(iter(self.zip_state.items()))
            out.append(f"{self.zip_state_rows:,} address(es) have a ZIP code in another state than the one given "
                       f"(first on line {line}: ZIP {zip5} is in {actual}, not {given}); the debtor's time zone "
                       "comes from both, check the addresses.")
        if self.disputed:
            out.append(f"{self.disputed:,} placement(s) are flagged disputed: a dispute is opened for each, and"
                       " collection on them halts until it is resolved.")
        return out


def opening_reference(number: str, suffix: str) -> str:
    return f"OPEN:{number}:{suffix}"[:100]


def _debtor_fields(row: PlacementRow) -> dict:
    debtor_type = row.debtor_type or ("business" if row.business_name and not row.first_name else "consumer")
    return {"debtor_type": debtor_type, "first_name": row.first_name, "last_name": row.last_name,
            "business_name": row.business_name, "date_of_birth": row.date_of_birth, "ssn_last4": row.ssn_last4}


def upsert(*, rows: Iterable[PlacementRow], creditor, batch_id: int, user_id: int | None) -> dict[str, int]:
    assert transaction.get_connection().in_atomic_block, "placements run inside the batch's transaction"
    counts = {"created": 0, "updated": 0, "debtors": 0}
    customers: dict[str, Debtor] = {}  # customer id -> its debtor, across chunks
    chunk: list[PlacementRow] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= CHUNK_ROWS:
            _chunk(chunk, creditor, batch_id, user_id, counts, customers)
            chunk = []
    if chunk:
        _chunk(chunk, creditor, batch_id, user_id, counts, customers)
    return counts


def _debtors_for(rows: list[PlacementRow], creditor, customers: dict[str, Debtor]) -> tuple[list[Debtor], int]:
    """One debtor per new row, except rows sharing a customer id, which share one (an existing one
    when that customer was placed before for this creditor)."""
    wanted = {r.customer_id for r in rows if r.customer_id and r.customer_id not in customers}
    if wanted:
        for account in (Account.objects.filter(creditor=creditor, customer_id__in=wanted)
                        .select_related("debtor").order_by("id")):
            customers.setdefault(account.customer_id, account.debtor)
    new: list[Debtor] = []
    out: list[Debtor] = []
    for r in rows:
        if r.customer_id and r.customer_id in customers:
            out.append(customers[r.customer_id])
            continue
        debtor = Debtor(**_debtor_fields(r))
        new.append(debtor)
        out.append(debtor)
        if r.customer_id:
            customers[r.customer_id] = debtor
    Debtor.objects.bulk_create(new)
    return out, len(new)


def _chunk(rows: list[PlacementRow], creditor, batch_id, user_id, counts, customers) -> None:
    existing = {a.creditor_account_number: a for a in Account.objects.filter(
        creditor=creditor, creditor_account_number__in=[r.creditor_account_number for r in rows]
    ).select_related("debtor")}
    new_rows = [r for r in rows if r.creditor_account_number not in existing]
    old_rows = [r for r in rows if r.creditor_account_number in existing]
    now = timezone.now()

    debtors, created = _debtors_for(new_rows, creditor, customers)
    counts["debtors"] += created
    accounts = Account.objects.bulk_create([
        Account(creditor=creditor, debtor=d, creditor_account_number=r.creditor_account_number,
                **_account_fields(r), current_balance=r.principal + r.interest + r.fees)
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
            for f, value in _account_fields(r).items():
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
    for r, debtor in pairs:  # several invoices of one customer share a debtor: add each point once
        if r.address_line1 and (debtor.pk, r.address_line1, r.zip) not in have_addr:
            have_addr.add((debtor.pk, r.address_line1, r.zip))
            addresses.append(Address(debtor=debtor, line1=r.address_line1, line2=r.address_line2, city=r.city,
                                     state=r.state, zip=r.zip, is_primary=not known,
                                     time_zone=timezones.zone_for_zip(r.zip) or ""))
        if r.phone and (debtor.pk, r.phone) not in have_phone:
            have_phone.add((debtor.pk, r.phone))
            phones.append(Phone(debtor=debtor, number=r.phone, phone_type=r.phone_type or Phone.Type.CELL,
                                time_zones=list(timezones.zones_for_phone(r.phone))))
        if r.email and (debtor.pk, r.email) not in have_email:
            have_email.add((debtor.pk, r.email))
            emails.append(Email(debtor=debtor, address=r.email))
    Address.objects.bulk_create(addresses)
    Phone.objects.bulk_create(phones)
    Email.objects.bulk_create(emails)
