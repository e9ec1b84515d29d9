"""What an upload leaves on disk (issue 14): one stored copy per content, none for a refused file.

- A file is stored under its SHA-256 (``import_upload_path``); the same content uploaded again for the
  same creditor reuses that copy instead of writing another (``stored_name``).
- An XLSX workbook is kept only while a worker converts it (``discard_workbook`` once converted, refused
  or abandoned by a dead worker); the CSV made from it is what is stored.
- A refused upload (unreadable, or carrying personal data it must not: a full SSN) has its stored copy
  deleted at once (``discard_file``) and keeps only its history row and reason.
- Full SSNs are refused at the door (``full_ssn_line``): before anything else reads the file, the column
  mapped to ``ssn_last4`` is scanned; a 9-digit value there makes the upload invalid and its file deleted.
"""

from __future__ import annotations

from ..ledger_csv import open_csv
from ..models import ImportBatch


def reusable_name(*, batch: ImportBatch) -> str | None:
    """The stored copy of the same content for the same creditor, if one is still on disk."""
    other = (ImportBatch.objects.filter(creditor_id=batch.creditor_id, sha256=batch.sha256).exclude(file="")
             .values_list("file", flat=True).first())
    if other and ImportBatch._meta.get_field("file").storage.exists(other):
        return other
    return None


def discard_file(*, batch: ImportBatch) -> None:
    """Delete a refused batch's stored file (unless another batch still uses the same copy)."""
    name = batch.file.name if batch.file else ""
    ImportBatch.objects.filter(pk=batch.pk).update(file="")
    batch.file.name = ""
    if name and not ImportBatch.objects.filter(file=name).exclude(pk=batch.pk).exists():
        ImportBatch._meta.get_field("file").storage.delete(name)


def delete_workbook_file(*, batch: ImportBatch) -> None:
    """Delete a batch's stored workbook from storage (converted or refused: it is never needed again); the
    caller clears the field (``workbook=""``) with the batch's next status change."""
    name = batch.workbook.name if batch.workbook else ""
    if name and not ImportBatch.objects.filter(workbook=name).exclude(pk=batch.pk).exists():
        ImportBatch._meta.get_field("workbook").storage.delete(name)


def discard_workbook(*, batch: ImportBatch) -> None:
    """Delete a batch's stored workbook and clear the field."""
    delete_workbook_file(batch=batch)
    ImportBatch.objects.filter(pk=batch.pk).update(workbook="")
    batch.workbook.name = ""


def is_full_ssn(text: str) -> bool:
    digits = text.strip().replace("-", "").replace(" ", "")
    return len(digits) == 9 and digits.isascii() and digits.isdigit()


def full_ssn_line(*, path: str, plan, max_bytes: int | None) -> int | None:
    """The first line whose ssn_last4 column(s) hold a full 9-digit SSN, or None."""
    source = plan.sources.get("ssn_last4")
    indexes = tuple(getattr(source, "columns", ()) or ())
    if not indexes:
        return None
    with open_csv(path, max_bytes=max_bytes) as csv_file:
        for line, row in csv_file.records():
            if any(i < len(row) and is_full_ssn(row[i]) for i in indexes):
                return line
    return None
