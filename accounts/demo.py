"""Realistic demo portfolio: creditors, debtors in every US time zone, accounts and ledgers.

Rows are generated as plain tuples and inserted set-based (accounts.bulk), so 100,000 accounts
take seconds, not the minutes per-row saves would.
"""

import json
import random
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from . import bulk, timezones
from .models import Account, AccountStatus, Address, Creditor, Debtor, DebtType, Email, LedgerEntry, Phone

DEMO_CREDITORS = [
    # code, name, kind, debt types it places
    ("ACME", "Acme Bank, N.A.", Creditor.Kind.BANK, [DebtType.CREDIT_CARD]),
    ("SUMMIT", "Summit Auto Finance", Creditor.Kind.LENDER, [DebtType.AUTO_LOAN, DebtType.CONSUMER_LOAN]),
    ("MERCY", "Mercy Regional Health", Creditor.Kind.HEALTHCARE, [DebtType.MEDICAL]),
    ("GRIDCO", "GridCo Power & Light", Creditor.Kind.UTILITY, [DebtType.UTILITY]),
    ("BOLT", "Bolt Industrial Supply", Creditor.Kind.BUSINESS, [DebtType.COMMERCIAL]),
]

# city, state, ZIP, local area code — every US zone, Arizona (no DST), Alaska and Hawaii included.
PLACES = [
    ("New York", "NY", "10001", "212"), ("Atlanta", "GA", "30303", "404"), ("Miami", "FL", "33101", "305"),
    ("Boston", "MA", "02108", "617"), ("Detroit", "MI", "48201", "313"), ("Chicago", "IL", "60601", "312"),
    ("Dallas", "TX", "75201", "214"), ("Minneapolis", "MN", "55401", "612"), ("Denver", "CO", "80202", "303"),
    ("Salt Lake City", "UT", "84101", "801"), ("Phoenix", "AZ", "85004", "602"), ("Tucson", "AZ", "85701", "520"),
    ("Los Angeles", "CA", "90012", "213"), ("San Francisco", "CA", "94102", "415"), ("Seattle", "WA", "98101", "206"),
    ("Portland", "OR", "97201", "503"), ("Anchorage", "AK", "99501", "907"), ("Honolulu", "HI", "96813", "808"),
    ("Boise", "ID", "83702", "208"), ("Nashville", "TN", "37201", "615"),
]
FIRST = ["James", "Maria", "Robert", "Linda", "Michael", "Patricia", "David", "Jennifer", "Jose", "Elizabeth",
         "William", "Susan", "Carlos", "Jessica", "Thomas", "Sarah", "Daniel", "Karen", "Luis", "Nancy",
         "Kenji", "Aiyana", "Mei", "Noah", "Olivia", "Liam", "Emma", "Ava", "Mateo", "Sofia"]
LAST = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
        "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
        "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
        "Kahale", "Nakamura", "Begay", "Okafor", "Nguyen", "Kowalski", "O'Brien", "Schmidt", "Rossi", "Yazzie"]
BUSINESSES = ["Harbor", "Pinnacle", "Redwood", "Lakeside", "Summit", "Prairie", "Coastal", "Granite", "Beacon"]
BUSINESS_SUFFIX = ["Builders LLC", "Dental Group", "Logistics Inc.", "Cafe & Bakery", "Auto Body", "Farms Co."]
STREETS = ["Main St", "Oak Ave", "Maple Dr", "Cedar Ln", "Elm St", "Park Blvd", "Lake Rd", "Hill St"]
# Accounts generated per insert round: bounds memory (~40 MB of tuples) at any portfolio size.
CHUNK_ACCOUNTS = 20_000
STATUS_WEIGHTS = [(AccountStatus.NEW, 25), (AccountStatus.ACTIVE, 55), (AccountStatus.PROMISE, 5),
                  (AccountStatus.PLAN, 6), (AccountStatus.DISPUTED, 3), (AccountStatus.PAID, 4),
                  (AccountStatus.CLOSED, 2)]


def _cents(value: int) -> Decimal:
    return Decimal(value).scaleb(-2)


def creditors_ensure() -> list[tuple[Creditor, list[str]]]:
    out = []
    for code, name, kind, types in DEMO_CREDITORS:
        creditor, _ = Creditor.objects.get_or_create(code=code, defaults={"name": name, "kind": kind})
        out.append((creditor, types))
    return out


def portfolio_create(*, accounts: int, seed: int) -> dict:
    """Create `accounts` demo accounts for the demo creditors; a no-op when this seed exists."""
    rng = random.Random(seed)
    creditors = creditors_ensure()
    prefix = f"D{seed}-"
    if Account.objects.filter(creditor_account_number__startswith=prefix).exists():
        return {"accounts_created": 0, "skipped": "demo portfolio for this seed already exists"}
    zones = {zip_: timezones.zone_for_zip(zip_) or "" for _, _, zip_, _ in PLACES}
    area_zones = {ac: json.dumps(list(timezones.zones_for_phone(f"+1{ac}5550100"))) for *_, ac in PLACES}
    today = date.today()
    now = timezone.now()
    statuses, weights = zip(*STATUS_WEIGHTS, strict=True)

    with transaction.atomic():
        debtor_ids = bulk.next_ids(Debtor, accounts)
        account_ids = bulk.next_ids(Account, accounts)
        debtors, addresses, phones, emails, accts, entries = [], [], [], [], [], []
        counts = {"entries": 0, "phones": 0}

        def flush():
            bulk.insert_rows(Debtor, ["id", "debtor_type", "first_name", "last_name", "business_name", "date_of_birth",
                                      "ssn_last4", "preferred_language", "stated_time_zone", "created_at"], debtors)
            bulk.insert_rows(Address, ["debtor_id", "line1", "line2", "city", "state", "zip", "is_primary", "status",
                                       "time_zone"], addresses)
            bulk.insert_rows(Phone, ["debtor_id", "number", "phone_type", "status", "is_workplace", "tcpa_consent",
                                     "tcpa_consent_source", "tcpa_consent_at", "tcpa_revoked_at", "time_zones"], phones)
            bulk.insert_rows(Email, ["debtor_id", "address", "status", "is_work_email", "consent_at",
                                     "consumer_emailed_from_at"], emails)
            bulk.insert_rows(Account, ["id", "creditor_id", "debtor_id", "creditor_account_number", "debt_type",
                                       "original_creditor", "itemization_date", "itemization_balance",
                                       "charge_off_date",
                                       "date_of_first_delinquency", "last_payment_date", "due_date", "terms_days",
                                       "status", "current_balance", "placed_at", "updated_at"], accts)
            bulk.insert_rows(LedgerEntry, ["account_id", "creditor_id", "kind", "amount", "posted_date", "reference",
                                           "memo", "source", "import_batch_id", "fingerprint", "reverses_id",
                                           "created_by_id", "created_at"], entries)
            counts["entries"] += len(entries)
            counts["phones"] += len(phones)
            for rows in (debtors, addresses, phones, emails, accts, entries):
                rows.clear()

        for i, (debtor_id, account_id) in enumerate(zip(debtor_ids, account_ids, strict=True)):
            creditor, types = creditors[i % len(creditors)]
            debt_type = rng.choice(types)
            business = debt_type == DebtType.COMMERCIAL
            city, state, zip_, area = rng.choice(PLACES)
            first, last = rng.choice(FIRST), rng.choice(LAST)
            bname = f"{rng.choice(BUSINESSES)} {rng.choice(BUSINESS_SUFFIX)}" if business else ""
            dob = None if business else today - timedelta(days=rng.randint(21 * 365, 80 * 365))
            lang = "es" if rng.random() < 0.12 else "en"
            debtors.append((debtor_id, "business" if business else "consumer", first, last, bname, dob,
                            f"{rng.randint(0, 9999):04d}" if not business else "", lang, "", now))
            addresses.append((debtor_id, f"{rng.randint(10, 9999)} {rng.choice(STREETS)}", "", city, state, zip_,
                              True, "active", zones[zip_]))
            phones.append((debtor_id, f"+1{area}555{rng.randint(0, 9999):04d}",
                           "work" if business else "cell", "active", business, rng.random() < 0.4, "", None,
                           None, area_zones[area]))
            if rng.random() < 0.15:  # a second number from another region: several candidate zones
                other = rng.choice(PLACES)[3]
                phones.append((debtor_id, f"+1{other}555{rng.randint(0, 9999):04d}", "home", "active", False,
                               False, "", None, None, area_zones[other]))
            if rng.random() < 0.6:
                emails.append((debtor_id, f"{first}.{last}{i}@example.com".lower().replace("'", ""), "active",
                               business, None, None))
            principal = rng.randint(150_00, 12_000_00) if not business else rng.randint(800_00, 60_000_00)
            interest = 0 if debt_type in (DebtType.MEDICAL, DebtType.UTILITY) else rng.randint(0, principal // 5)
            fees = rng.choice([0, 0, 25_00, 35_00, 39_00])
            dofd = today - timedelta(days=rng.randint(60, 6 * 365))
            item_date = dofd + timedelta(days=180) if dofd + timedelta(days=180) < today else dofd
            status = rng.choices(statuses, weights)[0]
            number = f"{prefix}{i + 1:07d}"
            account_entries = [("charge", principal, item_date, f"{number}-P", "Principal at itemization"),
                               ("interest", interest, item_date, f"{number}-I", "Interest at itemization"),
                               ("fee", fees, item_date, f"{number}-F", "Fees at itemization")]
            account_entries = [e for e in account_entries if e[1]]
            paid = 0
            if status == AccountStatus.PAID:
                paid = principal + interest + fees
            elif rng.random() < 0.3:
                paid = rng.randint(1, max(principal // 4, 1))
            last_payment = None
            if paid:
                last_payment = min(today, item_date + timedelta(days=rng.randint(5, 300)))
                account_entries.append(("payment", -paid, last_payment, f"{number}-PMT1", "Payment"))
            balance = sum(e[1] for e in account_entries)
            due = item_date + timedelta(days=30) if business else None
            accts.append((account_id, creditor.id, debtor_id, number, debt_type, creditor.name if not business else "",
                          item_date, _cents(principal + interest + fees), dofd + timedelta(days=150) if not business
                          else None, dofd, last_payment, due, 30 if business else None, status, _cents(balance),
                          now, now))
            for kind, amount, posted, ref, memo in account_entries:
                entries.append((account_id, creditor.id, kind, _cents(amount), posted, ref, memo, "placement",
                                None, "", None, None, now))
            if len(accts) >= CHUNK_ACCOUNTS:
                flush()

        flush()
        for model in (Debtor, Account, Address, Phone, Email, LedgerEntry):
            bulk.set_sequence(model)
    return {"accounts_created": accounts, "debtors_created": accounts, "ledger_entries_created": counts["entries"],
            "phones_created": counts["phones"]}
