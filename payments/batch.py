"""Batch / lockbox payment files, read with the ledger import's CSV reader and value parsers.

Columns (case and spaces ignored): creditor_account_number, amount, method, received_at, reference.
Accounting's page stores the file as a ``PaymentBatch`` and a Celery worker posts it
(``payment_batch_run``) with its progress stored for the batch page. Every row is checked first and
every bad row named (line, column, reason); a file with any bad row posts nothing. Each row is then
posted through ``payment_post`` with the key
``lockbox:<creditor>:<reference>``, so posting the same file again (or after a crash) posts once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.ledger_csv.reading import LedgerFileError, open_csv
from accounts.ledger_csv.values import cents_to_decimal, parse_amount_cents, parse_date
from accounts.models import Account, Creditor
from payments.models import BatchStatus, PaymentBatch, PaymentMethod
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


def batch_parse(*, creditor: Creditor, content: bytes) -> tuple[list, list]:
    """(rows to post, problems): every row checked, every problem named (line, column, reason)."""
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
    return parsed, errors


def _post_row(*, creditor: Creditor, row, user) -> bool:
    account, amount, method, received, reference = row
    _, created = payment_post(account=account, amount=amount, method=method, received_at=received,
                              reference=reference, idempotency_key=f"lockbox:{creditor.code}:{reference}"[:100],
                              source="batch", user=user)
    return created


def payment_batch_post(*, creditor: Creditor, content: bytes, user) -> BatchResult:
    """Check and post a file at once (the command line and tests); the page queues a PaymentBatch."""
    parsed, errors = batch_parse(creditor=creditor, content=content)
    result = BatchResult(rows=len(parsed) + len({e["line"] for e in errors}), errors=errors)
    if errors:
        return result
    for row in parsed:
        created = _post_row(creditor=creditor, row=row, user=user)
        result.posted += created
        result.duplicates += not created
    return result


# Progress is written every this many rows (one small UPDATE), so the page moves without slowing the posting.
PROGRESS_EVERY = 25


def payment_batch_create(*, creditor: Creditor, upload, user) -> PaymentBatch:
    """Store the file and queue its posting on a worker (after this transaction commits)."""
    from payments.tasks import payment_batch_run

    with transaction.atomic():
        batch = PaymentBatch.objects.create(creditor=creditor, file=upload, original_name=upload.name[:255],
                                            uploaded_by=user)
        transaction.on_commit(lambda: payment_batch_run.delay(batch.pk))
    return batch


def payment_batch_run(*, batch_id: int) -> PaymentBatch:
    """Check the whole file, then post it row by row with progress. Safe to run again (a worker lost
    midway, a redelivered task): each row's idempotency key posts it once; a finished batch is left."""
    batch = PaymentBatch.objects.select_related("creditor", "uploaded_by").get(pk=batch_id)
    if batch.finished:
        return batch
    PaymentBatch.objects.filter(pk=batch.pk).update(status=BatchStatus.RUNNING, started_at=timezone.now(),
                                                    rows_done=0, posted=0, duplicates=0, message="Checking the file")
    with batch.file.open("rb") as fh:
        content = fh.read()
    try:
        parsed, errors = batch_parse(creditor=batch.creditor, content=content)
    except ValidationError as exc:
        parsed, errors = [], [{"line": 0, "column": "", "reason": "; ".join(exc.messages)}]
    if errors:
        lines = len({e["line"] for e in errors})
        PaymentBatch.objects.filter(pk=batch.pk).update(
            status=BatchStatus.INVALID, rows_total=len(parsed) + lines, errors=errors[:500],
            message=f"Nothing was posted: {len(errors)} problems in the file.", finished_at=timezone.now())
        batch.refresh_from_db()
        return batch
    PaymentBatch.objects.filter(pk=batch.pk).update(rows_total=len(parsed), message="Posting")
    posted = duplicates = 0
    for n, row in enumerate(parsed, 1):
        created = _post_row(creditor=batch.creditor, row=row, user=batch.uploaded_by)
        posted += created
        duplicates += not created
        if n % PROGRESS_EVERY == 0:
            PaymentBatch.objects.filter(pk=batch.pk).update(rows_done=n, posted=posted, duplicates=duplicates)
    PaymentBatch.objects.filter(pk=batch.pk).update(
        status=BatchStatus.POSTED, rows_done=len(parsed), posted=posted, duplicates=duplicates,
        message=f"{len(parsed)} rows: {posted} posted, {duplicates} already posted.", finished_at=timezone.now())
    batch.refresh_from_db()
    return batch
