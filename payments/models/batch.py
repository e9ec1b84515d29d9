"""A batch / lockbox payment file, posted row by row on a Celery worker with its progress stored."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Creditor


class BatchStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Posting")
    POSTED = "posted", _("Posted")
    INVALID = "invalid", _("Invalid: nothing posted")


class PaymentBatch(models.Model):
    creditor = models.ForeignKey(Creditor, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(upload_to="payments/batches/", max_length=255)
    original_name = models.CharField(max_length=255)
    status = models.CharField(max_length=10, choices=BatchStatus.choices, default=BatchStatus.QUEUED)
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    rows_done = models.PositiveIntegerField(default=0)
    posted = models.PositiveIntegerField(default=0)
    duplicates = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True, help_text="[{line, column, reason}], the first 500")
    message = models.CharField(max_length=300, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "payment batches"

    def __str__(self):
        return f"payment batch #{self.pk} ({self.original_name}, {self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (BatchStatus.POSTED, BatchStatus.INVALID)

    @property
    def percent(self) -> int:
        if self.status == BatchStatus.POSTED:
            return 100
        return int(100 * self.rows_done / self.rows_total) if self.rows_total else 0
