"""Disputes and original-creditor requests (15 USC 1692g(b); 12 CFR 1006.38)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DisputeStatus(models.TextChoices):
    OPEN = "open", _("Open")
    VERIFICATION_SENT = "verification_sent", _("Verification sent")
    RESOLVED = "resolved", _("Resolved")


# from-status -> statuses it may move to; checked only in compliance.services.dispute_status_change.
DISPUTE_TRANSITIONS: dict[str, frozenset[str]] = {
    DisputeStatus.OPEN: frozenset({DisputeStatus.VERIFICATION_SENT, DisputeStatus.RESOLVED}),
    DisputeStatus.VERIFICATION_SENT: frozenset({DisputeStatus.RESOLVED}),
    DisputeStatus.RESOLVED: frozenset(),
}


class Dispute(models.Model):
    class Method(models.TextChoices):
        WRITTEN_MAIL = "written_mail", _("Written (mail)")
        WRITTEN_EMAIL = "written_email", _("Written (email)")
        WRITTEN_PORTAL = "written_portal", _("Written (portal)")
        ORAL = "oral", _("Oral")
        CREDITOR = "creditor", _("Reported by the creditor (placement file)")

    class Scope(models.TextChoices):
        ENTIRE = "entire_debt", _("Entire debt")
        PORTION = "portion", _("Portion of the debt")
        IDENTITY = "identity_theft", _("Not mine / identity theft")

    account = models.ForeignKey("accounts.Account", on_delete=models.PROTECT, related_name="+")
    method = models.CharField(max_length=16, choices=Method.choices)
    received_at = models.DateTimeField()
    postmarked_on = models.DateField(null=True, blank=True)
    scope = models.CharField(max_length=16, choices=Scope.choices, default=Scope.ENTIRE)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=DisputeStatus.choices, default=DisputeStatus.OPEN,
                              db_index=True)
    verification_sent_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self):
        return f"Dispute #{self.pk} ({self.get_status_display()})"

    @property
    def is_written(self) -> bool:
        return self.method != self.Method.ORAL


class OriginalCreditorRequest(models.Model):
    account = models.ForeignKey("accounts.Account", on_delete=models.PROTECT, related_name="+")
    received_at = models.DateTimeField()
    method = models.CharField(max_length=16, choices=Dispute.Method.choices, default=Dispute.Method.WRITTEN_MAIL)
    provided_at = models.DateTimeField(null=True, blank=True)
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_at"]

    def __str__(self):
        return f"Original-creditor request #{self.pk}"
