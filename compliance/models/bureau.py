"""Credit-bureau furnishing runs (Metro 2): each file kept with its SHA-256, and every account's outcome."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Metro2Run(models.Model):
    """One monthly furnishing file for one creditor's accounts."""

    creditor = models.ForeignKey("accounts.Creditor", on_delete=models.PROTECT, related_name="+")
    as_of = models.DateField(help_text="Reporting period end: the Date of Account Information of open accounts")
    file = models.FileField(upload_to="metro2/%Y/%m/", max_length=255)
    sha256 = models.CharField(max_length=64)
    size_bytes = models.BigIntegerField(default=0)
    records = models.PositiveIntegerField(default=0, help_text="Base records written (header and trailer not counted)")
    blocked = models.PositiveIntegerField(default=0)
    skipped = models.PositiveIntegerField(default=0, help_text="Nothing to report (e.g. paid status already sent)")
    totals = models.JSONField(default=dict, blank=True, help_text="Trailer totals as written")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-as_of", "-id"]
        indexes = [models.Index(fields=["creditor", "as_of"], name="metro2run_creditor_as_of")]

    def __str__(self):
        return f"Metro 2 {self.creditor_id} {self.as_of} ({self.records} records)"


class Metro2Outcome(models.TextChoices):
    REPORTED = "reported", _("Reported")
    BLOCKED = "blocked", _("Blocked by the gate")
    SKIPPED = "skipped", _("Nothing to report")


class Metro2Record(models.Model):
    """What one run did with one account: the codes it reported, or why it did not."""

    run = models.ForeignKey(Metro2Run, on_delete=models.CASCADE, related_name="items")
    account = models.ForeignKey("accounts.Account", on_delete=models.PROTECT, related_name="+")
    outcome = models.CharField(max_length=8, choices=Metro2Outcome.choices)
    line_no = models.PositiveIntegerField(null=True, blank=True)
    account_status = models.CharField(max_length=2, blank=True)
    special_comment = models.CharField(max_length=2, blank=True)
    compliance_condition_code = models.CharField(max_length=2, blank=True)
    current_balance = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    date_of_first_delinquency = models.DateField(null=True, blank=True)
    reasons = models.JSONField(default=list, blank=True, help_text="Gate reason codes, or why nothing was sent")
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["run", "line_no", "id"]
        indexes = [models.Index(fields=["account", "outcome"], name="metro2record_account_outcome")]

    def __str__(self):
        return f"{self.account_id} {self.outcome} {self.account_status}"
