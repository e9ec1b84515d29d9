"""The import door: the upload page, the API, the Celery task and `import_ledger` all call these."""

import csv
import hashlib
import heapq
import logging
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import DEFAULT_DB_ALIAS, DatabaseError, DataError, IntegrityError, connection, connections, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

from accounts.dates import record_date

from ..ledger_csv import (
    CODED_FIELDS,
    LedgerFileError,
    MappingSpec,
    Plan,
    RowError,
    inspect_columns,
    open_csv,
    resolve_mapping,
    samples,
    summarize,
    write_error_report,
)
from ..models import ColumnMappingMemory, Creditor, ImportBatch, ImportKind, ImportStatus
from . import failures, placements, retention, texts, transactions, workbooks
from .heartbeat import Heartbeat, stale_before
from .limits import import_limits
from .staging import Staging
from .status import import_claim, import_status_change

PREVIEW_ROWS = 20
# Error rows whose message keys a batch keeps (the review page shows this many; the report holds them all).
ERROR_KEYS = 200
log = logging.getLogger(__name__)


class ImportFileError(ValidationError):
    """A file-level problem; the message names what is wrong."""


class ImportDatabaseError(ValidationError):
    """The database failed or refused the dry run; the batch records why (never a traceback)."""

    def __init__(self, failure: failures.Failure):
        super().__init__(failure.message)
        self.transient = failure.transient


class ImportStateError(ValidationError):
    """The batch is not in a status that allows this (the API answers 409)."""


class ImportRetryLater(Exception):
    """For the task: nothing to do now, try again in `countdown` seconds (the database is away, or
    another worker's claim on the batch has not gone stale yet)."""

    def __init__(self, message: str, countdown: int):
        super().__init__(message)
        self.countdown = countdown


__all__ = ["ImportDatabaseError", "ImportFileError", "ImportRetryLater", "ImportStateError", "import_status_change"]


def _size(n: int) -> str:
    return f"{n / 1e6:.1f} MB" if n >= 100_000 else f"{n:,} bytes"


def _max_bytes() -> int:
    return settings.LEDGER_IMPORT_MAX_BYTES


def _hash_file(fileobj) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    fileobj.seek(0)
    for chunk in iter(lambda: fileobj.read(1024 * 1024), b""):
        digest.update(chunk)
        size += len(chunk)
    fileobj.seek(0)
    return digest.hexdigest(), size


def remembered_mapping(*, creditor: Creditor, kind: str) -> dict:
    memory = ColumnMappingMemory.objects.filter(creditor=creditor, kind=kind).first()
    return dict(memory.mapping) if memory else {}


def import_batch_create(*, creditor: Creditor, kind: str, fileobj, original_name: str, user=None,
                        skip_invalid: bool = False, mapping: dict | None = None, sheet: str = "",
                        convert_inline: bool = False) -> ImportBatch:
    """Store an uploaded file as a batch. The same file already imported for this creditor and kind
    yields a batch in status `already_imported` that points at the first one.

    An XLSX workbook over XLSX_INLINE_MAX_BYTES (default 0: every workbook) is stored as it is and the
    batch is `converting`: a worker converts it (import_convert_execute) and the batch then goes on as
    a CSV upload does. ``convert_inline`` (import_ledger, a command with no web request to protect)
    converts it here instead, in the same sandboxed child."""
    if kind not in ImportKind.values:
        raise ValidationError(f"Unknown import kind {kind!r}; use accounts or transactions.")
    if mapping is None:
        mapping = remembered_mapping(creditor=creditor, kind=kind)
    if workbooks.is_xlsx(fileobj, original_name):
        options = (mapping.get("options") if isinstance(mapping, dict) else None) or {}
        chosen = str(sheet or options.get("sheet") or "")
        sha256, size = _hash_file(fileobj)
        _check_size(original_name, size)
        if not convert_inline and size > settings.XLSX_INLINE_MAX_BYTES:
            return _workbook_store(creditor=creditor, kind=kind, fileobj=fileobj, original_name=original_name,
                                   user=user, skip_invalid=skip_invalid, mapping=mapping, sheet=chosen,
                                   sha256=sha256, size=size)
        try:
            fileobj = workbooks.xlsx_to_csv(fileobj, sheet=chosen or None)  # that worksheet (default the first)
        except (OSError, ValueError, KeyError) as exc:  # WorkbookError is a ValueError naming the limit
            raise ImportFileError(_unreadable_workbook(original_name, exc)) from exc
    sha256, size = _hash_file(fileobj)
    _check_size(original_name, size)
    batch = ImportBatch(creditor=creditor, kind=kind, original_name=Path(original_name).name[:255], sha256=sha256,
                        size_bytes=size, skip_invalid=skip_invalid, uploaded_by=user, mapping=mapping)
    previous = _imported_before(batch)
    with transaction.atomic():
        if previous is not None:
            batch.status, batch.duplicate_of = ImportStatus.ALREADY_IMPORTED, previous
            batch.finished_at = timezone.now()
            batch.message = _already_imported_message(previous, sha256)
            batch.save()
            return batch
        existing = retention.reusable_name(batch=batch)
        if existing:
            batch.file.name = existing  # the same content is stored once, however often it is sent
        else:
            batch.file.save(f"{sha256}.csv", File(fileobj), save=False)
        batch.save()
    return batch


def _check_size(original_name: str, size: int) -> None:
    if size > _max_bytes():
        raise ImportFileError(f"{original_name}: the file is {_size(size)}, over the {_size(_max_bytes())} limit "
                              "for imports.")
    if size == 0:
        raise ImportFileError(f"{original_name}: the file is empty.")


def _unreadable_workbook(original_name: str, exc: BaseException) -> str:
    return f"{original_name}: the Excel workbook could not be read: {exc}."


def _imported_before(batch: ImportBatch) -> ImportBatch | None:
    return ImportBatch.objects.filter(creditor_id=batch.creditor_id, kind=batch.kind, sha256=batch.sha256,
                                      status=ImportStatus.IMPORTED).order_by("id").first()


def _already_imported_message(previous: ImportBatch, sha256: str) -> str:
    return (f"This file (SHA-256 {sha256[:12]}…) was already imported on "
            f"{previous.finished_at or previous.created_at:%Y-%m-%d %H:%M} UTC as batch "
            f"#{previous.pk}; nothing was applied again.")


CONVERTING_MESSAGE = "Converting the Excel workbook to CSV on a worker…"


def _workbook_store(*, creditor, kind, fileobj, original_name, user, skip_invalid, mapping, sheet, sha256,
                    size) -> ImportBatch:
    """Keep the workbook as it came and hand its conversion to a worker (after this transaction commits).
    Until then the batch is `converting`; the page and the API poll it. `sha256` and `size_bytes` are the
    workbook's until the conversion replaces them with the CSV's."""
    from ..tasks import ledger_import_convert  # tasks import services; keep the cycle out of module load

    batch = ImportBatch(creditor=creditor, kind=kind, original_name=Path(original_name).name[:255], sha256=sha256,
                        size_bytes=size, skip_invalid=skip_invalid, uploaded_by=user, mapping=mapping,
                        status=ImportStatus.CONVERTING, sheet=sheet[:100], message=CONVERTING_MESSAGE,
                        heartbeat_at=timezone.now())
    fileobj.seek(0)
    batch.workbook.save(f"{sha256}.xlsx", File(fileobj), save=False)
    try:
        with transaction.atomic():
            batch.save()
            transaction.on_commit(lambda: ledger_import_convert.delay(batch.pk))
    except BaseException:
        batch.workbook.delete(save=False)
        raise
    return batch


def import_convert_execute(*, batch_id: int) -> ImportBatch:
    """The worker's conversion of a `converting` batch's workbook, in the sandboxed child (a bomb ends the
    child, never this process). Claimed once: a message delivered again after its worker died finds the
    batch started and leaves it to the sweeper, which fails it with the reason (a workbook that kills
    workers is not given a second worker to kill). Whatever happens, the batch leaves `converting`."""
    if not import_claim(batch_id=batch_id, to_status=ImportStatus.CONVERTING,
                        claimable=Q(status=ImportStatus.CONVERTING, started_at__isnull=True),
                        started_at=timezone.now()):
        return ImportBatch.objects.get(pk=batch_id)
    batch = ImportBatch.objects.select_related("creditor").get(pk=batch_id)
    with Heartbeat(batch.pk):
        try:
            _convert(batch)
        except DatabaseError as exc:
            _record_conversion_failure(batch, ImportStatus.FAILED, "The workbook could not be converted: the "
                                       f"database was unavailable ({failures._detail(exc)}). Upload it again.")
        except Exception as exc:  # never a batch stuck in `converting`; the log has the traceback
            log.exception("import %s: workbook conversion failed", batch.pk)
            _record_conversion_failure(batch, ImportStatus.FAILED, "The workbook conversion stopped on an "
                                       f"internal error ({failures._detail(exc)}). Upload it again, or save it "
                                       "as CSV and upload that.")
    batch.refresh_from_db()
    return batch


def _record_conversion_failure(batch: ImportBatch, status: str, message: str, **fields) -> None:
    """The batch ends `status` with `message`; its workbook (and any CSV it got) is deleted."""
    for attempt in (1, 2):
        try:
            batch.refresh_from_db()
            if batch.status != ImportStatus.CONVERTING:
                return
            retention.delete_workbook_file(batch=batch)  # first: a batch that says refused keeps nothing
            if batch.file:
                retention.discard_file(batch=batch)
            import_status_change(batch=batch, to_status=status, message=message, restartable=False,
                                 finished_at=timezone.now(), workbook="", **fields)
            return
        except DatabaseError:
            connection.close()
            if attempt == 2:
                return  # the sweeper fails it once the database is back


def _convert(batch: ImportBatch) -> None:
    stats: dict = {}
    started = time.monotonic()
    try:
        csv_file = workbooks.xlsx_to_csv(batch.workbook.path, sheet=batch.sheet or None, stats=stats)
    except (OSError, ValueError, KeyError) as exc:  # WorkbookError (a ValueError) names the limit
        stats.update(seconds=round(time.monotonic() - started, 2), workbook_bytes=batch.size_bytes)
        _record_conversion_failure(batch, ImportStatus.INVALID, _unreadable_workbook(batch.original_name, exc),
                                   conversion=stats)
        return
    stats.update(seconds=round(time.monotonic() - started, 2), workbook_bytes=batch.size_bytes)
    with csv_file:
        sha256, size = _hash_file(csv_file)
        stats["csv_bytes"] = size
        try:
            _check_size(batch.original_name, size)
        except ImportFileError as exc:
            _record_conversion_failure(batch, ImportStatus.INVALID, exc.messages[0], conversion=stats)
            return
        batch.sha256 = sha256  # the stored CSV is named by its own hash
        previous = _imported_before(batch)
        with transaction.atomic():
            if previous is not None:
                retention.delete_workbook_file(batch=batch)
                import_status_change(batch=batch, to_status=ImportStatus.ALREADY_IMPORTED, duplicate_of=previous,
                                     sha256=sha256, size_bytes=size, finished_at=timezone.now(), conversion=stats,
                                     message=_already_imported_message(previous, sha256), workbook="")
            else:
                name = retention.reusable_name(batch=batch)
                if not name:
                    batch.file.save(f"{sha256}.csv", File(csv_file), save=False)
                    name = batch.file.name
                retention.delete_workbook_file(batch=batch)
                import_status_change(batch=batch, to_status=ImportStatus.UPLOADED, file=name, sha256=sha256,
                                     size_bytes=size, conversion=stats, message="", workbook="")
    if batch.status == ImportStatus.UPLOADED:
        try:
            _after_upload(batch, mapping=batch.mapping or None)
        except ImportFileError:
            pass  # the batch is invalid with the reason, and its file deleted


def _after_upload(batch: ImportBatch, *, mapping: dict | None) -> Plan:
    """What every stored upload goes through: its header is read and a full SSN refused (the batch is
    then invalid and its file deleted); a mapping given with it is saved and remembered."""
    try:
        columns = import_columns(batch=batch)
        _refuse_full_ssn(batch, columns)
    except ImportFileError as exc:
        import_status_change(batch=batch, to_status=ImportStatus.INVALID, message=exc.messages[0],
                             finished_at=timezone.now(), restartable=False)
        retention.discard_file(batch=batch)  # a refused upload is not kept
        raise
    if mapping and columns.ok:
        import_mapping_save(batch=batch, mapping=mapping)
    return columns


def import_upload(*, creditor: Creditor, kind: str, fileobj, original_name: str, user=None,
                  skip_invalid: bool = False, mapping: dict | None = None,
                  sheet: str = "") -> tuple[ImportBatch, Plan | None]:
    """What the upload page and API call: store the file, then read its header. A file that cannot be
    read as CSV text raises ImportFileError and its batch is kept as `invalid`, with the reason, in
    the history. Returns the batch and its columns (None for an already-imported file, and for a
    workbook, which is `converting` on a worker: poll the batch)."""
    batch = import_batch_create(creditor=creditor, kind=kind, fileobj=fileobj, original_name=original_name,
                                user=user, skip_invalid=skip_invalid, mapping=mapping, sheet=sheet)
    if batch.status in (ImportStatus.ALREADY_IMPORTED, ImportStatus.CONVERTING):
        return batch, None
    return batch, _after_upload(batch, mapping=mapping)


def import_skip_invalid_set(*, batch: ImportBatch, skip_invalid: bool) -> ImportBatch:
    """Choose, until the import starts, whether invalid rows are skipped or block the whole file."""
    if batch.status not in (ImportStatus.CONVERTING, ImportStatus.UPLOADED, ImportStatus.VALIDATED,
                            ImportStatus.INVALID):
        raise ValidationError("This import has already started: “skip invalid rows” can no longer change.")
    ImportBatch.objects.filter(pk=batch.pk).update(skip_invalid=skip_invalid)
    batch.skip_invalid = skip_invalid
    return batch


def _refuse_full_ssn(batch: ImportBatch, columns: Plan) -> None:
    line = retention.full_ssn_line(path=batch.file.path, plan=columns, max_bytes=_max_bytes())
    if line is not None:
        raise ImportFileError(f"{batch.original_name}: line {line} has a full Social Security number in ssn_last4. "
                              "Only the last 4 digits may be sent; the file was refused and deleted.")


def import_columns(*, batch: ImportBatch) -> Plan:
    """How the file's headers map (for the mapping form); raises ImportFileError for unreadable files."""
    if not batch.file:
        raise ImportFileError(batch.message or f"{batch.original_name}: the file was refused and deleted.")
    try:
        return inspect_columns(batch.file.path, kind=batch.kind, mapping=batch.mapping or None,
                               max_bytes=_max_bytes())
    except LedgerFileError as exc:
        raise ImportFileError(f"{batch.original_name}: {exc}") from exc


def import_column_samples(*, batch: ImportBatch, plan: Plan) -> tuple[list[list[str]], dict[str, list[str]]]:
    """Three sample values per column, and the distinct values (first 10,000 rows, at most 50) of the columns
    that feed coded fields (type, debt type, phone type, state…), for the value mapping."""
    coded = {name: plan.sources[name].columns[0] for name in CODED_FIELDS
             if name in plan.sources and plan.sources[name].columns and plan.sources[name].derive is None}
    try:
        with open_csv(batch.file.path, max_bytes=_max_bytes()) as csv_file:
            found, distinct = samples(csv_file.records(), len(csv_file.headers), coded=coded.values())
    except LedgerFileError as exc:
        raise ImportFileError(f"{batch.original_name}: {exc}") from exc
    return found, {name: distinct.get(index, []) for name, index in coded.items()}


def import_mapping_export(*, batch: ImportBatch) -> dict:
    """The batch's mapping in the JSON form `import_ledger --mapping` reads, with the automatic matches
    written out (so the file means the same thing for a file whose headers differ a little)."""
    try:
        plan = import_columns(batch=batch)
    except ImportFileError:
        return MappingSpec.parse(batch.mapping or None, batch.kind).as_json()
    spec = plan.spec.as_json()
    for name, source in plan.sources.items():
        if source.automatic:
            spec["fields"][name] = {"column": plan.headers[source.columns[0]]}
    spec.pop("exclusive", None)
    return spec


def import_mapping_check(*, batch: ImportBatch) -> Plan:
    """A mapping given on purpose (import_ledger --mapping): every column it names must be in the file."""
    try:
        with open_csv(batch.file.path, max_bytes=_max_bytes()) as csv_file:
            plan = resolve_mapping(csv_file.headers, batch.kind, batch.mapping, strict=True)
        plan.raise_if_incomplete()
    except LedgerFileError as exc:
        raise ImportFileError(f"{batch.original_name}: {exc}") from exc
    return plan


def import_mapping_save(*, batch: ImportBatch, mapping: dict) -> Plan:
    """Use this mapping (either JSON form, see ledger_csv.mapping) for the batch and remember it for the
    creditor's next files of this kind. Raises ImportFileError when the mapping itself is malformed."""
    if not batch.file:
        raise ImportFileError(batch.message or f"{batch.original_name}: the file was refused and deleted.")
    try:
        with open_csv(batch.file.path, max_bytes=_max_bytes()) as csv_file:
            columns = resolve_mapping(csv_file.headers, batch.kind, mapping)
    except LedgerFileError as exc:
        raise ImportFileError(f"The mapping cannot be used: {exc}") from exc
    try:
        _refuse_full_ssn(batch, columns)  # a column mapped to ssn_last4 by hand is checked the same way
    except ImportFileError as exc:
        import_status_change(batch=batch, to_status=ImportStatus.INVALID, message=exc.messages[0],
                             finished_at=timezone.now())
        retention.discard_file(batch=batch)
        raise
    with transaction.atomic():
        ImportBatch.objects.filter(pk=batch.pk).update(mapping=mapping, restartable=True)
        batch.mapping, batch.restartable = mapping, True
        ColumnMappingMemory.objects.update_or_create(creditor=batch.creditor, kind=batch.kind,
                                                     defaults={"mapping": mapping})
    return columns


def import_dry_run(*, batch: ImportBatch) -> ImportBatch:
    """Validate the whole file and store counts, totals, preview and the error report. Writes no
    ledger entry, debtor or account."""
    if batch.status == ImportStatus.ALREADY_IMPORTED:
        return batch
    try:
        outcome = _validate(batch, write=False)
    except ImportFileError as exc:
        _record_failure(batch, ImportStatus.INVALID, exc.messages[0], restartable=False)
        raise
    except DatabaseError as exc:
        failure = failures.describe(exc, what="dry run")
        status = ImportStatus.FAILED if batch.status == ImportStatus.VALIDATING else ImportStatus.INVALID
        _record_failure(batch, status, failure.message, restartable=failure.transient)
        raise ImportDatabaseError(failure) from exc
    status = ImportStatus.INVALID if outcome["invalid"] else ImportStatus.VALIDATED
    return import_status_change(batch=batch, to_status=status, **_counts(outcome), finished_at=None, message="",
                                restartable=True)


def _record_failure(batch: ImportBatch, status: str, message: str, *, restartable: bool) -> None:
    """Write why the batch stopped. After a lost connection Django's connection is unusable: open a
    fresh one once; if the database is still away, the sweeper records it when it is back."""
    for attempt in (1, 2):
        try:
            import_status_change(batch=batch, to_status=status, message=message, restartable=restartable,
                                 finished_at=None if status == ImportStatus.QUEUED else timezone.now())
            return
        except DatabaseError:
            connection.close()
            if attempt == 2:
                return


def import_dry_run_execute(*, batch_id: int) -> ImportBatch:
    """The worker's dry run: like import_dry_run, but a file or database problem is recorded on the
    batch. Claims the batch first: a redelivered task for an answered dry run does nothing, one for a
    dry run whose worker died (stale heartbeat) runs it again."""
    if not import_claim(batch_id=batch_id, to_status=ImportStatus.VALIDATING,
                        claimable=Q(status=ImportStatus.VALIDATING) & (
                            Q(started_at__isnull=True) | Q(heartbeat_at__isnull=True)
                            | Q(heartbeat_at__lt=stale_before())),
                        started_at=timezone.now()):
        batch = ImportBatch.objects.get(pk=batch_id)
        if batch.status == ImportStatus.VALIDATING:
            raise ImportRetryLater("another worker is running this dry run", settings.LEDGER_IMPORT_STALE_SECONDS)
        return batch
    batch = ImportBatch.objects.select_related("creditor").get(pk=batch_id)
    with Heartbeat(batch.pk):
        try:
            return import_dry_run(batch=batch)
        except (ImportFileError, ImportDatabaseError):
            batch.refresh_from_db()
            return batch


DRY_RUNNABLE = (ImportStatus.UPLOADED, ImportStatus.VALIDATED, ImportStatus.INVALID, ImportStatus.FAILED,
                ImportStatus.VALIDATING)


def import_dry_run_request(*, batch: ImportBatch) -> tuple[ImportBatch, bool]:
    """What the page and the API call: files over LEDGER_DRY_RUN_SYNC_MAX_BYTES are checked on a worker
    (returns True: poll the batch's progress), smaller ones at once (False). Raises ImportStateError
    once the import has started, ImportFileError / ImportDatabaseError when the check itself fails."""
    if batch.status not in DRY_RUNNABLE:
        raise ImportStateError(f"This import is {batch.get_status_display().lower()}: there is nothing to dry-run.")
    if batch.status == ImportStatus.VALIDATING:
        return batch, True  # already on a worker: poll it
    if batch.size_bytes > settings.LEDGER_DRY_RUN_SYNC_MAX_BYTES:
        return import_dry_run_start(batch=batch), True
    return import_dry_run(batch=batch), False


def import_dry_run_start(*, batch: ImportBatch) -> ImportBatch:
    """Run the dry run on a worker (for big files, so no web request waits on it)."""
    from ..tasks import ledger_import_dry_run  # tasks import services; keep the cycle out of module load

    if batch.status == ImportStatus.VALIDATING:
        return batch  # a worker has it (or will, once the sweeper re-sends a lost message)
    with transaction.atomic():
        import_status_change(batch=batch, to_status=ImportStatus.VALIDATING, rows_done=0, started_at=None,
                             finished_at=None, message="Reading and validating rows…", heartbeat_at=timezone.now())
        transaction.on_commit(lambda: ledger_import_dry_run.delay(batch.pk))
    return batch


def import_start(*, batch: ImportBatch) -> ImportBatch:
    """Queue the import on a Celery worker (after this transaction commits)."""
    from ..tasks import ledger_import_run  # tasks import services; keep the cycle out of module load

    if batch.status in (ImportStatus.IMPORTED, ImportStatus.ALREADY_IMPORTED):
        return batch
    if batch.status == ImportStatus.CONVERTING:
        raise ImportStateError("The workbook is still being converted: map its columns and dry-run it first.")
    if not batch.restartable:
        raise ValidationError(f"{batch.message} Starting it again cannot succeed: fix the file and upload it again."
                              if batch.message else "This file cannot be imported as it is: fix it and upload it "
                                                    "again.")
    if batch.status == ImportStatus.INVALID and not batch.skip_invalid:
        raise ValidationError("The dry run found invalid rows: fix the file or choose “skip invalid rows”.")
    with transaction.atomic():
        import_status_change(batch=batch, to_status=ImportStatus.QUEUED, rows_done=0, message="",
                             heartbeat_at=timezone.now(), finished_at=None)
        transaction.on_commit(lambda: ledger_import_run.delay(batch.pk))
    return batch


def import_run_queued(*, batch_id: int) -> ImportBatch:
    """The task's entry: claim the batch (queued, or running with a stale heartbeat because its worker
    died), then run it. Raises ImportRetryLater when a live worker holds it or the database is away."""
    claimed = import_claim(batch_id=batch_id, to_status=ImportStatus.RUNNING,
                           claimable=Q(status=ImportStatus.QUEUED) | Q(status=ImportStatus.RUNNING)
                           & (Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=stale_before())),
                           started_at=timezone.now(), rows_done=0, finished_at=None,
                           message="Reading and validating rows…")
    batch = ImportBatch.objects.select_related("creditor").get(pk=batch_id)
    if not claimed:
        if batch.status == ImportStatus.RUNNING:
            raise ImportRetryLater("another worker is running this import", settings.LEDGER_IMPORT_STALE_SECONDS)
        return batch  # finished, failed or sent back to the user: nothing for this message to do
    return _run(batch, requeue_on_outage=True)


def import_execute(*, batch_id: int) -> ImportBatch:
    """Run an import now (`import_ledger` calls this). Safe to run again: a finished batch is left
    alone and an interrupted one starts over with the same result."""
    batch = ImportBatch.objects.select_related("creditor").get(pk=batch_id)
    if batch.status in (ImportStatus.IMPORTED, ImportStatus.ALREADY_IMPORTED):
        return batch
    if batch.status == ImportStatus.FAILED and not batch.restartable:
        return batch
    import_status_change(batch=batch, to_status=ImportStatus.RUNNING, started_at=timezone.now(), rows_done=0,
                         finished_at=None, message="Reading and validating rows…", heartbeat_at=timezone.now())
    return _run(batch, requeue_on_outage=False)


def _run(batch: ImportBatch, *, requeue_on_outage: bool) -> ImportBatch:
    with Heartbeat(batch.pk):
        try:
            try:
                outcome = _validate(batch, write=True)
            except IntegrityError:
                # Another import wrote some of the same references between our check and our write, or (a
                # file parsed on both cores) the file repeats a reference; nothing of ours landed. Check
                # again, fully: those rows are now duplicates, conflicts or repeated references.
                outcome = _validate(batch, write=True, thorough=True)
        except ImportFileError as exc:
            _record_failure(batch, ImportStatus.INVALID, exc.messages[0], restartable=False)
            return batch
        except DatabaseError as exc:
            # The merge is one transaction, so nothing landed.
            failure = failures.describe(exc)
            if failure.transient and requeue_on_outage:
                _record_failure(batch, ImportStatus.QUEUED, "The database was unavailable; the import will be "
                                "retried shortly.", restartable=True)
                raise ImportRetryLater(failure.message, settings.LEDGER_IMPORT_STALE_SECONDS) from exc
            _record_failure(batch, ImportStatus.FAILED, failure.message, restartable=failure.transient)
            return batch
        except OSError as exc:  # the stored file could not be read (storage outage)
            _record_failure(batch, ImportStatus.FAILED, f"The import stopped: its file could not be read ({exc}). "
                            "Nothing was written; start it again.", restartable=True)
            return batch
    if outcome.get("status") == ImportStatus.IMPORTED:
        batch.refresh_from_db()
        return batch
    return import_status_change(batch=batch, to_status=ImportStatus.INVALID, **_counts(outcome),
                                finished_at=timezone.now(),
                                message=f"{outcome['invalid']} invalid row(s): nothing was written. Fix the file "
                                        "or choose “skip invalid rows”.")


def _counts(outcome: dict) -> dict:
    return {"rows_total": outcome["rows"], "rows_done": outcome["rows"], "errors": outcome["invalid"],
            "duplicates": outcome["duplicates"], "summary": _keyed_summary(outcome),
            "error_report": outcome["error_report"], "created": outcome.get("created", 0),
            "updated": outcome.get("updated", 0)}


def _keyed_summary(outcome: dict) -> dict:
    """The summary with the key (template + parameters, accounts.imports.texts) of each warning and of each
    error message the review page shows, so pages render them in the reader's language; the English stays."""
    summary = dict(outcome["summary"])
    summary["warning_keys"] = [texts.message_key(w) for w in summary.get("warnings") or []]
    summary["error_keys"] = outcome.get("error_keys") or {}
    return summary


class _Progress:
    """Writes rows done on the batch while the import runs. On PostgreSQL the import's own
    connection is busy streaming a COPY, so progress goes through a second connection."""

    def __init__(self, batch: ImportBatch):
        self.batch_id = batch.pk
        self._connection = connections.create_connection(DEFAULT_DB_ALIAS) if connection.vendor == "postgresql" \
            else None
        if self._connection is not None:
            self._connection.inc_thread_sharing()  # a pipelined import parses (and reports) in a thread

    def __call__(self, rows_done: int) -> None:
        if self._connection is None:
            ImportBatch.objects.filter(pk=self.batch_id).update(rows_done=rows_done)
            return
        with self._connection.cursor() as cursor:
            cursor.execute("UPDATE accounts_importbatch SET rows_done = %s WHERE id = %s", [rows_done, self.batch_id])

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection.dec_thread_sharing()


def _phase(batch: ImportBatch, message: str) -> None:
    """What the running import or dry run is doing now (shown under the progress bar)."""
    ImportBatch.objects.filter(pk=batch.pk, status__in=(ImportStatus.RUNNING, ImportStatus.VALIDATING)).update(
        message=message)


def _estimate_rows(path: str) -> int:
    """Lines after the header: a cheap total for the progress bar before the exact count is known."""
    count = 0
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(4 * 1024 * 1024), b""):
            count += chunk.count(b"\n")
    return max(count - 1, 0)


def _validate(batch: ImportBatch, *, write: bool, thorough: bool = False) -> dict:
    path = batch.file.path
    ImportBatch.objects.filter(pk=batch.pk).update(rows_total=_estimate_rows(path))
    with tempfile.NamedTemporaryFile("w+", newline="", encoding="utf-8", suffix=".csv") as parse_errors:
        sink = csv.writer(parse_errors)

        def error_sink(error: RowError) -> None:
            sink.writerow((error.line, error.column or "", error.value, error.message))

        try:
            if batch.kind == ImportKind.TRANSACTIONS:
                return _transactions(batch, write, parse_errors, error_sink, thorough)
            return _placements(batch, write, parse_errors, error_sink)
        except LedgerFileError as exc:
            raise ImportFileError(f"{batch.original_name}: {exc}") from exc


def _read_back(fh) -> Iterator[RowError]:
    fh.flush()
    fh.seek(0)
    for line, column, value, message in csv.reader(fh):
        yield RowError(int(line), column or None, value, message)


def _save_report(batch: ImportBatch, errors: Iterator[RowError], keys: dict | None = None) -> tuple[str, int]:
    """Write the error report; ``keys`` receives the key of each message among the first ERROR_KEYS rows (what
    the review page shows), by its English text."""
    with tempfile.TemporaryFile("w+", newline="", encoding="utf-8") as out:
        written = write_error_report(out, errors if keys is None else _keying(errors, keys))
        if not written:
            return "", 0
        out.seek(0)
        name = f"batch-{batch.pk}-errors.csv"
        batch.error_report.save(name, ContentFile(out.read().encode("utf-8")), save=False)
    return batch.error_report.name, written


def _keying(errors: Iterator[RowError], keys: dict) -> Iterator[RowError]:
    for seen, error in enumerate(errors):
        if seen < ERROR_KEYS and error.message not in keys:
            key = texts.message_key(error.message)
            if isinstance(key, dict):
                keys[error.message] = key
        yield error


def _transactions(batch, write, parse_errors, error_sink, thorough=False) -> dict:
    if write and not thorough and connection.vendor == "postgresql" and settings.LEDGER_IMPORT_PIPELINE:
        try:
            return _transactions_pipelined(batch, parse_errors, error_sink)
        except (transactions.PipelineAbort, IntegrityError, DataError) as exc:
            # Rolled back: nothing of the attempt stays. The classic path classifies every row and names
            # what the pipeline could not take (or imports around it, with "skip invalid rows").
            log.info("import %s: classic path (%s: %s)", batch.pk, type(exc).__name__, exc)
            parse_errors.seek(0)
            parse_errors.truncate()
            ImportBatch.objects.filter(pk=batch.pk).update(rows_done=0)
    staging = Staging(f"import_stage_{batch.pk}_{os.getpid()}")
    clock = _Clock()
    progress = _Progress(batch)
    limits = import_limits()
    try:
        try:
            staged = transactions.stage_file(path=batch.file.path, mapping=batch.mapping or None,
                                             max_bytes=_max_bytes(), staging=staging, progress=progress,
                                             error_sink=error_sink, preview=PREVIEW_ROWS,
                                             creditor_currency=batch.creditor.currency,
                                             parallel=settings.LEDGER_IMPORT_PARALLEL, limits=limits)
        finally:
            progress.close()
        clock.lap("parse_and_stage")
        _phase(batch, f"Checking {staged.staged:,} rows against accounts and earlier imports…")
        if staged.repeated_references_in_sql and (not write or thorough):
            # A reference repeated in the file: on an import, the ledger's unique index finds it at the merge
            # (IntegrityError), and import_execute then runs again with thorough=True to name the lines.
            transactions.mark_repeated_references(staging=staging)
        states = transactions.classify(staging=staging, creditor_id=batch.creditor_id,
                                       check_reversals=staged.has_reverses,
                                       balance_max_cents=limits.balance_max_cents)
        clock.lap("classify")
        hints = transactions.near_misses(staging=staging, creditor_id=batch.creditor_id) \
            if states.get(transactions.UNKNOWN_ACCOUNT) else {}
        db_errors = transactions.database_errors(staging=staging, creditor_code=batch.creditor.code, hints=hints,
                                                 balance_max_cents=limits.balance_max_cents)
        error_keys: dict = {}
        report, _ = _save_report(batch, heapq.merge(_read_back(parse_errors), db_errors, key=lambda e: e.line),
                                 error_keys)
        clock.lap("error_report")
        summary = staged.summary
        db_invalid = sum(states.get(state, 0) for state in transactions.INVALID_STATES)
        invalid = summary.invalid + db_invalid
        duplicates = states.get(transactions.DUPLICATE, 0)
        stats = transactions.staged_stats(staging=staging, today=record_date())
        totals, net_change = transactions.staged_totals(stats=stats)
        warnings = transactions.staged_warnings(staging=staging, stats=stats, creditor_id=batch.creditor_id,
                                                hints=hints, generated_references=staged.generated_references,
                                                balances=not write)
        clock.lap("totals_and_warnings")
        outcome = {"rows": summary.rows, "invalid": invalid, "duplicates": duplicates,
                   "summary": {"rows": summary.rows, "valid": states.get(transactions.OK, 0),
                               "invalid": invalid, "duplicates": duplicates,
                               "errors": summary.errors + db_invalid, "totals": totals, "net_change": net_change,
                               "warnings": warnings,
                               "preview": transactions.staged_preview(staging=staging, limit=PREVIEW_ROWS)},
                   "error_report": report, "error_keys": error_keys}
        if not write or (invalid and not batch.skip_invalid):
            return outcome
        _phase(batch, f"Writing {states.get(transactions.OK, 0):,} entries to the ledger and updating balances…")
        with transaction.atomic():
            locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
            if locked.status != ImportStatus.RUNNING:
                return {**outcome, "status": locked.status}
            result = transactions.merge(staging=staging, creditor_id=batch.creditor_id, batch_id=batch.pk,
                                        user_id=batch.uploaded_by_id)
            outcome.update(created=result["created"], updated=result["accounts_updated"])
            clock.lap("merge")
            outcome["summary"]["seconds"] = clock.laps
            import_status_change(batch=locked, to_status=ImportStatus.IMPORTED, **_counts(outcome),
                                 finished_at=timezone.now(), message=_done_message(outcome))
        return {**outcome, "status": ImportStatus.IMPORTED}
    finally:
        staging.drop()


def _transactions_pipelined(batch, parse_errors, error_sink) -> dict:
    """A write of a file that needs no classify pass, with the parse and the ledger write overlapped (see
    transactions.Pipeline): one transaction from the first chunk to the batch's final status, so the
    file lands whole or not at all. Raises PipelineAbort (or the database's refusal) when the file needs
    the classic path; the outcome is otherwise the one the classic path gives for such a file."""
    staging = Staging(f"import_stage_{batch.pk}_{os.getpid()}")
    clock = _Clock()
    limits = import_limits()
    try:
        with transaction.atomic():
            # Before this file's rows are in the ledger: they are not the creditor's usual amounts.
            usual = transactions.creditor_usual_amounts(creditor_id=batch.creditor_id)
            pipeline = transactions.Pipeline(creditor_id=batch.creditor_id, batch_id=batch.pk,
                                             user_id=batch.uploaded_by_id, now=timezone.now(),
                                             stop_on_invalid=not batch.skip_invalid)
            # No write to the batch row on this connection until the parse is over: the row would stay
            # locked until commit, and the progress connection (written from the parsing thread) would wait.
            progress = _Progress(batch)
            try:
                staged = transactions.stage_file(path=batch.file.path, mapping=batch.mapping or None,
                                                 max_bytes=_max_bytes(), staging=staging, progress=progress,
                                                 error_sink=error_sink, preview=PREVIEW_ROWS,
                                                 creditor_currency=batch.creditor.currency,
                                                 parallel=settings.LEDGER_IMPORT_PARALLEL, limits=limits,
                                                 pipeline=pipeline)
            finally:
                progress.close()
            clock.lap("parse_stage_and_write")
            moved = pipeline.finish(summary=staged.summary)
            clock.lap("balances")
            error_keys: dict = {}
            report, _ = _save_report(batch, _read_back(parse_errors), error_keys)
            clock.lap("error_report")
            summary = staged.summary
            stats = transactions.staged_stats(staging=staging, today=record_date(), all_written=True)
            totals, net_change = transactions.staged_totals(stats=stats)
            warnings = transactions.staged_warnings(staging=staging, stats=stats, creditor_id=batch.creditor_id,
                                                    hints={}, generated_references=False, balances=False,
                                                    usual_amounts=usual)
            clock.lap("totals_and_warnings")
            outcome = {"rows": summary.rows, "invalid": summary.invalid, "duplicates": 0,
                       "summary": {"rows": summary.rows, "valid": staged.staged, "invalid": summary.invalid,
                                   "duplicates": 0, "errors": summary.errors, "totals": totals,
                                   "net_change": net_change, "warnings": warnings,
                                   "preview": transactions.parsed_preview(summary=summary, limit=PREVIEW_ROWS)
                                   or transactions.staged_preview(staging=staging, limit=PREVIEW_ROWS)},
                       "error_report": report, "error_keys": error_keys, "created": staged.created,
                       "updated": moved}
            locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
            if locked.status != ImportStatus.RUNNING:
                transaction.set_rollback(True)  # another run finished or stopped it: ours must not land
                return {**outcome, "status": locked.status}
            outcome["summary"]["seconds"] = {**clock.laps, "pipelined_chunks": pipeline.chunks}
            import_status_change(batch=locked, to_status=ImportStatus.IMPORTED, **_counts(outcome),
                                 finished_at=timezone.now(), message=_done_message(outcome))
        return {**outcome, "status": ImportStatus.IMPORTED}
    finally:
        staging.drop()


def _placements(batch, write, parse_errors, error_sink) -> dict:
    from ..ledger_csv import open_ledger

    limits = import_limits()

    def ledger():
        return open_ledger(batch.file.path, kind="accounts", mapping=batch.mapping or None, max_bytes=_max_bytes(),
                           creditor_currency=batch.creditor.currency, limits=limits)

    watch = placements.PlacementWarnings(today=record_date())
    with ledger() as opened:
        def tee():
            for item in opened:
                if item.__class__ is RowError:
                    error_sink(item)
                else:
                    watch.add(item)
                yield item
        summary = summarize(tee(), preview=PREVIEW_ROWS)
    ImportBatch.objects.filter(pk=batch.pk).update(rows_done=summary.rows)
    error_keys: dict = {}
    report, _ = _save_report(batch, _read_back(parse_errors), error_keys)
    outcome = {"rows": summary.rows, "invalid": summary.invalid, "duplicates": 0, "error_report": report,
               "error_keys": error_keys,
               "summary": {**summary.as_dict(), "warnings": watch.messages(),
                           "preview": [_row_dict(r) for r in summary.preview]}}
    if not write or (summary.invalid and not batch.skip_invalid):
        return outcome
    _phase(batch, f"Writing {summary.valid:,} placements: debtors, contact points, accounts and opening ledgers…")
    with transaction.atomic():
        locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status != ImportStatus.RUNNING:
            return {**outcome, "status": locked.status}
        with ledger() as opened:
            rows = (item for item in opened if item.__class__ is not RowError)
            result = placements.upsert(rows=rows, creditor=batch.creditor, batch_id=batch.pk,
                                       user_id=batch.uploaded_by_id)
        outcome.update(result)
        import_status_change(batch=locked, to_status=ImportStatus.IMPORTED, **_counts(outcome),
                             finished_at=timezone.now(), message=_done_message(outcome))
        _after_import(locked)
    return {**outcome, "status": ImportStatus.IMPORTED}


def _after_import(batch: ImportBatch) -> None:
    """Steps other apps attach to a landed import, named in settings.LEDGER_IMPORT_AFTER (dotted paths,
    called with batch=). They run inside the import's transaction, so they land with it or not at all.
    This is how the creditor's "disputed" flag opens compliance disputes without accounts importing
    compliance (DESIGN.md §2: accounts <- compliance)."""
    for path in getattr(settings, "LEDGER_IMPORT_AFTER", ()):
        import_string(path)(batch=batch)


class _Clock:
    """Seconds per phase, kept in the batch summary: where an import's time went."""

    def __init__(self):
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = round(now - self._last, 3)
        self._last = now


def _done_message(outcome: dict) -> str:
    parts = [f"{outcome.get('created', 0):,} created", f"{outcome.get('updated', 0):,} updated",
             f"{outcome['duplicates']:,} duplicates skipped"]
    if outcome["invalid"]:
        parts.append(f"{outcome['invalid']:,} invalid rows skipped (see the error report)")
    return "Imported: " + ", ".join(parts) + "."


def _row_dict(row) -> dict:
    data = row._asdict()
    for key in ("amount_cents", "signed_amount_cents", "fingerprint"):
        data.pop(key, None)
    if hasattr(row, "signed_amount"):
        data["amount"] = str(row.amount)
        data["ledger_amount"] = str(row.signed_amount)
    return {k: (v.isoformat() if hasattr(v, "isoformat") else str(v) if v is not None else "")
            for k, v in data.items()}
