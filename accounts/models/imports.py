"""Ledger and placement import batches, and the column mappings remembered per creditor."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .parties import Creditor


class ImportKind(models.TextChoices):
    ACCOUNTS = "accounts", _("Placements (accounts)")
    TRANSACTIONS = "transactions", _("Transactions (ledger entries)")


class ImportStatus(models.TextChoices):
    CONVERTING = "converting", _("Converting the workbook")
    UPLOADED = "uploaded", _("Uploaded")
    VALIDATING = "validating", _("Dry run in progress")
    VALIDATED = "validated", _("Validated (dry run passed)")
    INVALID = "invalid", _("Invalid: nothing written")
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Importing")
    IMPORTED = "imported", _("Imported")
    ALREADY_IMPORTED = "already_imported", _("Already imported (same file)")
    FAILED = "failed", _("Failed: nothing written")


# from-status -> statuses it may move to; checked only in accounts.imports.services.import_status_change.
IMPORT_TRANSITIONS: dict[str, frozenset[str]] = {
    # An uploaded XLSX workbook is converted to CSV on a worker (accounts.tasks.ledger_import_convert),
    # then continues as a CSV upload does: uploaded, already imported, or invalid (a limit, a parse
    # failure, a full SSN); failed when its worker died (the sweeper) or the database was away.
    ImportStatus.CONVERTING: frozenset({ImportStatus.CONVERTING, ImportStatus.UPLOADED, ImportStatus.INVALID,
                                        ImportStatus.ALREADY_IMPORTED, ImportStatus.FAILED}),
    ImportStatus.UPLOADED: frozenset({ImportStatus.VALIDATING, ImportStatus.VALIDATED, ImportStatus.INVALID,
                                      ImportStatus.QUEUED, ImportStatus.ALREADY_IMPORTED, ImportStatus.RUNNING}),
    # A dry run of a big file runs on a worker (VALIDATING); a small one answers at once.
    ImportStatus.VALIDATING: frozenset({ImportStatus.VALIDATING, ImportStatus.VALIDATED, ImportStatus.INVALID,
                                        ImportStatus.FAILED}),
    ImportStatus.VALIDATED: frozenset({ImportStatus.QUEUED, ImportStatus.RUNNING, ImportStatus.VALIDATING,
                                       ImportStatus.VALIDATED, ImportStatus.INVALID}),
    ImportStatus.INVALID: frozenset({ImportStatus.VALIDATING, ImportStatus.VALIDATED, ImportStatus.INVALID,
                                     ImportStatus.QUEUED, ImportStatus.RUNNING}),
    ImportStatus.QUEUED: frozenset({ImportStatus.RUNNING, ImportStatus.INVALID, ImportStatus.FAILED}),
    # RUNNING -> RUNNING: a worker that died mid-import is replaced and the batch is run again.
    # RUNNING -> QUEUED: the database went away mid-import; the task retries it.
    ImportStatus.RUNNING: frozenset({ImportStatus.RUNNING, ImportStatus.IMPORTED, ImportStatus.INVALID,
                                     ImportStatus.FAILED, ImportStatus.QUEUED}),
    # FAILED -> QUEUED / RUNNING only while the batch is `restartable` (checked in import_start and
    # import_execute): a restart that cannot succeed is refused with "fix the file and upload it again".
    ImportStatus.FAILED: frozenset({ImportStatus.QUEUED, ImportStatus.RUNNING, ImportStatus.VALIDATING}),
    ImportStatus.IMPORTED: frozenset(),
    ImportStatus.ALREADY_IMPORTED: frozenset(),
}


def import_upload_path(instance, filename):
    return f"imports/{instance.creditor_id}/{instance.sha256[:2]}/{instance.sha256}.csv"


def import_workbook_path(instance, filename):
    """Where an uploaded workbook waits for its worker (deleted once converted or refused)."""
    return f"imports/{instance.creditor_id}/workbooks/{instance.sha256}.xlsx"


class ImportBatch(models.Model):
    creditor = models.ForeignKey(Creditor, on_delete=models.PROTECT, related_name="import_batches")
    kind = models.CharField(max_length=12, choices=ImportKind.choices)
    file = models.FileField(upload_to=import_upload_path, max_length=255)
    original_name = models.CharField(max_length=255)
    sha256 = models.CharField(max_length=64, db_index=True)
    size_bytes = models.BigIntegerField(default=0)
    mapping = models.JSONField(default=dict, blank=True, help_text="file header -> canonical field")
    skip_invalid = models.BooleanField(default=False)
    status = models.CharField(max_length=16, choices=ImportStatus.choices, default=ImportStatus.UPLOADED)
    duplicate_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    rows_done = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    errors = models.PositiveIntegerField(default=0)
    summary = models.JSONField(default=dict, blank=True, help_text="dry-run totals by type and preview")
    error_report = models.FileField(upload_to="imports/errors/", max_length=255, blank=True)
    message = models.TextField(blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Stamped every few seconds by the process running the batch (and when it is queued): the
    # sweeper (accounts.tasks.ledger_import_sweep) fails a running batch whose stamp went stale.
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # False when starting the batch again cannot succeed (the file itself is unusable or the
    # database refused its content): the user must fix the file and upload it again.
    restartable = models.BooleanField(default=True)
    # An XLSX upload: the workbook and the worksheet to read, kept only while the batch is converting.
    workbook = models.FileField(upload_to=import_workbook_path, max_length=255, blank=True)
    sheet = models.CharField(max_length=100, blank=True, help_text="XLSX: the worksheet's name or number")
    # The conversion's figures: workbook and CSV bytes, seconds, the sandboxed reader's peak memory.
    conversion = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "import batches"

    def __str__(self):
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportStatus.IMPORTED, ImportStatus.ALREADY_IMPORTED, ImportStatus.INVALID,
                               ImportStatus.FAILED) and self.finished_at is not None


class ColumnMappingMemory(models.Model):
    """The header mapping a user chose for a creditor's files of one kind, reused next time."""

    creditor = models.ForeignKey(Creditor, on_delete=models.CASCADE, related_name="column_mappings")
    kind = models.CharField(max_length=12, choices=ImportKind.choices)
    mapping = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["creditor", "kind"], name="one_mapping_per_creditor_kind")]

    def __str__(self):
        return f"{self.creditor_id}/{self.kind} column mapping"
