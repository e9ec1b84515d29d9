"""Reads for the import screens and API: history, progress, the error report's first rows."""

import csv
import io
from dataclasses import dataclass, replace
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone

from ..models import ImportBatch, ImportStatus
from . import texts

IN_PROGRESS = (ImportStatus.CONVERTING, ImportStatus.VALIDATING, ImportStatus.QUEUED, ImportStatus.RUNNING)
FINISHED = (ImportStatus.IMPORTED, ImportStatus.ALREADY_IMPORTED, ImportStatus.INVALID, ImportStatus.FAILED)


def import_batch_list() -> QuerySet[ImportBatch]:
    """Newest first, with everything the history table shows (one query per page)."""
    return ImportBatch.objects.select_related("creditor", "uploaded_by", "duplicate_of").order_by("-created_at",
                                                                                                  "-id")


def import_batch_get(*, batch_id: int) -> ImportBatch:
    return ImportBatch.objects.select_related("creditor", "uploaded_by", "duplicate_of").get(pk=batch_id)


@dataclass(frozen=True)
class Progress:
    status: str
    rows_done: int
    rows_total: int | None
    percent: int
    rate: float | None  # rows per second since the worker started
    eta_seconds: int | None
    finished: bool

    @property
    def eta_display(self) -> str:
        if self.eta_seconds is None:
            return "—"
        minutes, seconds = divmod(self.eta_seconds, 60)
        return f"{minutes} min {seconds} s" if minutes else f"{seconds} s"

    def as_dict(self) -> dict:
        return {"status": self.status, "rows_done": self.rows_done, "rows_total": self.rows_total,
                "percent": self.percent, "rate": self.rate, "eta_seconds": self.eta_seconds,
                "finished": self.finished}


def import_progress(*, batch: ImportBatch, now: datetime | None = None) -> Progress:
    """Rows done of the total, rows/s and seconds left, from what the worker writes on the batch."""
    now = now or timezone.now()
    total, done = batch.rows_total, batch.rows_done or 0
    finished = batch.status in FINISHED
    if batch.status == ImportStatus.IMPORTED:
        percent = 100
    elif total:
        # 100% means landed: while the merge still runs after the last row is read, show 99%.
        percent = min(99, int(done * 100 / total))
    else:
        percent = 0
    rate = eta = None
    if batch.started_at and batch.status in (ImportStatus.RUNNING, ImportStatus.IMPORTED):
        elapsed = ((batch.finished_at or now) - batch.started_at).total_seconds()
        if elapsed > 0 and done:
            rate = round(done / elapsed, 1)
            if not finished and total:
                eta = max(0, round((total - done) / rate)) if rate else None
    if finished:
        eta = 0 if batch.status == ImportStatus.IMPORTED else None
    return Progress(status=batch.status, rows_done=done, rows_total=total, percent=percent, rate=rate,
                    eta_seconds=eta, finished=finished)


@dataclass(frozen=True)
class ErrorRow:
    line: str
    column: str
    value: str
    message: str


def import_error_rows(*, batch: ImportBatch, limit: int = 200) -> tuple[list[ErrorRow], int]:
    """The first `limit` rows of the error report and how many it holds in all."""
    if not batch.error_report:
        return [], 0
    rows: list[ErrorRow] = []
    total = 0
    with batch.error_report.open("rb") as raw:
        reader = csv.reader(io.TextIOWrapper(raw, encoding="utf-8", newline=""))
        next(reader, None)  # header: line,column,value,message
        for record in reader:
            total += 1
            if len(rows) < limit:
                rows.append(ErrorRow(*(record + ["", "", "", ""])[:4]))
    return rows, total


def import_totals(*, batch: ImportBatch) -> list[dict]:
    """The dry run's totals by type as rows: type, count, amount."""
    totals = (batch.summary or {}).get("totals", {})
    return [{"type": key, "count": value["count"], "amount": value["amount"]} for key, value in totals.items()]


def import_counts(*, batch: ImportBatch) -> dict:
    """Rows, valid and invalid rows; invalid includes rows only the database could reject (an
    unknown account, a reference already used for another entry)."""
    rows = batch.rows_total or 0
    invalid = batch.errors or 0
    duplicates = batch.duplicates or 0
    # valid = what the import writes: neither invalid nor a duplicate of an earlier import.
    return {"rows": rows, "valid": max(rows - invalid - duplicates, 0), "invalid": invalid,
            "duplicates": duplicates}


def import_warnings(*, batch: ImportBatch) -> list[str]:
    """What the dry run found allowed but probably wrong (implausible amounts, near-miss accounts…), in the
    reader's language (from the stored keys; a batch from before keys were kept: its English, read back)."""
    summary = batch.summary or {}
    return [texts.message_text(w) for w in summary.get("warning_keys") or summary.get("warnings") or []]


def import_error_rows_shown(*, batch: ImportBatch, limit: int = 200) -> tuple[list[ErrorRow], int]:
    """import_error_rows with each message in the reader's language (the report itself stays English)."""
    rows, total = import_error_rows(batch=batch, limit=limit)
    keys = (batch.summary or {}).get("error_keys") or {}
    return [replace(row, message=texts.message_text(keys.get(row.message) or row.message)) for row in rows], total


def import_message(*, batch: ImportBatch) -> str:
    """The batch's message (what it is doing, how it ended, why it was refused) in the reader's language."""
    return texts.message_text(batch.message) if batch.message else ""
