"""Record retention: a policy per record kind, each purge run with its certificate, and what it purged."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RecordKind(models.TextChoices):
    CONTACT_ATTEMPTS = "contact_attempts", _("Contact attempts and recordings")
    PERSONAL_DATA = "personal_data", _("Personal data of closed and paid accounts")
    IMPORT_FILES = "import_files", _("Import files")
    ERROR_REPORTS = "error_reports", _("Import error reports")
    GENERATED_LETTERS = "generated_letters", _("Generated letters")


class RetentionPolicy(models.Model):
    kind = models.CharField(max_length=20, choices=RecordKind.choices, unique=True)
    retention_days = models.PositiveIntegerField()
    measured_from = models.CharField(max_length=120, help_text=_("What the period counts from"))
    action = models.CharField(max_length=12, choices=[("anonymise", _("Anonymise")), ("delete", _("Delete file"))])
    basis = models.CharField(max_length=300, help_text=_("Rule book citation or policy reason"))
    is_active = models.BooleanField(default=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind"]
        verbose_name_plural = "retention policies"

    def __str__(self):
        return f"{self.get_kind_display()}: {self.retention_days} days"


class PurgeRun(models.Model):
    """One purge (or dry run): counts and the policy applied per kind; the certificate is in the audit log."""

    dry_run = models.BooleanField(default=False)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    counts = models.JSONField(default=dict)
    certificate = models.JSONField(default=dict, help_text=_("Per kind: policy, cutoff, count, held back"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self):
        return f"Purge {'dry run ' if self.dry_run else ''}{self.started_at:%Y-%m-%d %H:%M}"


class PurgedRecord(models.Model):
    """A record a purge anonymised, so a rerun leaves it alone and the certificate can name it."""

    kind = models.CharField(max_length=20, choices=RecordKind.choices)
    object_id = models.BigIntegerField()
    run = models.ForeignKey(PurgeRun, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="purgedrecord_once_per_object")]

    def __str__(self):
        return f"{self.kind} #{self.object_id} (purge {self.run_id})"
