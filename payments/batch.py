"""Batch / lockbox payment files, read with the ledger import's CSV reader and value parsers.

Columns (case and spaces ignored): creditor_account_number, amount, method, received_at, reference.
Every row is checked first and every bad row named (line, column, reason); a file with any bad row
posts nothing. Each row is then posted through ``payment_post`` with the key
``lockbox:<creditor>:<reference>``, so posting the same file again (or after a crash) posts once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError

from accounts.ledger_csv.reading import LedgerFileError, open_csv
from accounts.ledger_csv.values import cents_to_decimal, parse_amount_cents, parse_date
from accounts.models import Account, Creditor
from payments.models import PaymentMethod
from payments.services import payment_post

COLUMNS = ("creditor_account_number", "amount", "method", "received_at", "reference")
METHOD_ALIASES = {"card": "card", "credit card": "card", "debit card": "card", "ach": "ach", "eft": "ach",
                  "check": "check", "cheque": "check", "cash": "cash", "money order": "money_order",
                  "money_order": "money_order", "mo": "money_order"}


@dataclass
class BatchResult:
    rows: int = 0
    posted: int = 0
    duplicates: int = 0
    errors: list | None = None


def _received_at(raw: str) -> datetime:
    raw = raw.strip()
    try:
        moment = datetime.fromisoformat(raw)
    except ValueError:
        moment = datetime.combine(parse_date(raw), time(12, 0))  # a date only: noon, the lockbox's day
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo(settings.TIME_ZONE))
    return moment


def payment_batch_post(*, creditor: Creditor, content: bytes, user) -> BatchResult:
    errors, parsed = [], []
    try:
        with open_csv(content) as csv_file:
            headers = [h.strip().lower() for h in csv_file.headers]
            missing = [c for c in COLUMNS if c not in headers]
            if missing:
                raise ValidationError(f"The file has no column {', '.join(missing)} (needs {', '.join(COLUMNS)}).")
            index = {c: headers.index(c) for c in COLUMNS}
            for line, row in csv_file.records():
                cell = {c: (row[i].strip() if i < len(row) else "") for c, i in index.items()}
                problems = []
                try:
                    amount = cents_to_decimal(parse_amount_cents(cell["amount"]))
                    if amount <= 0:
                        problems.append(("amount", "must be positive"))
                except ValueError as exc:
                    problems.append(("amount", str(exc)))
                method = METHOD_ALIASES.get(cell["method"].lower())
                if method not in PaymentMethod.values:
                    problems.append(("method", f"unknown method {cell['method']!r}"))
                try:
                    received = _received_at(cell["received_at"])
                except ValueError as exc:
                    problems.append(("received_at", str(exc)))
                if not cell["reference"]:
                    problems.append(("reference", "a lockbox reference is required (it makes the row idempotent)"))
                account = Account.objects.filter(creditor=creditor,
                                                 creditor_account_number=cell["creditor_account_number"]).first()
                if account is None:
                    problems.append(("creditor_account_number",
                                     f"no account {cell['creditor_account_number']!r} for {creditor.code}"))
                if problems:
                    errors += [{"line": line, "column": col, "reason": why} for col, why in problems]
                else:
                    parsed.append((account, amount, method, received, cell["reference"]))
    except LedgerFileError as exc:
        raise ValidationError(f"The file cannot be read: {exc}") from None
    result = BatchResult(rows=len(parsed) + len({e["line"] for e in errors}), errors=errors)
    if errors:
        return result
    for account, amount, method, received, reference in parsed:
        _, created = payment_post(account=account, amount=amount, method=method, received_at=received,
                                  reference=reference, idempotency_key=f"lockbox:{creditor.code}:{reference}"[:100],
                                  source="batch", user=user)
        result.posted += created
        result.duplicates += not created
    return result
