"""Legal holds: a reason to keep an account's records and stop its purge (and, for some kinds, its reporting).

A hold is never deleted: releasing it stamps ``released_at`` / ``released_by`` so the record of why data
was kept stays on file. Open disputes and active bankruptcy restrictions count as holds without a row here
(``compliance.services.holds.active_hold_account_ids``).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class HoldKind(models.TextChoices):
    DISPUTE = "dispute", _("Dispute")
    SUIT = "suit", _("Lawsuit / litigation")
    COMPLAINT = "complaint", _("Complaint")
    BANKRUPTCY = "bankruptcy", _("Bankruptcy")
    FRAUD = "fraud", _("Fraud / identity theft claim")
    OTHER = "other", _("Other")


class LegalHoldQuerySet(models.QuerySet):
    def active(self):
        return self.filter(released_at__isnull=True)


class LegalHold(models.Model):
    account = models.ForeignKey("accounts.Account", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=12, choices=HoldKind.choices)
    reason = models.TextField()
    ref = models.CharField(max_length=120, blank=True, default="",
                           help_text="Source reference: case number, complaint id, dispute id …")
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    placed_at = models.DateTimeField()
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    objects = LegalHoldQuerySet.as_manager()

    class Meta:
        ordering = ["-placed_at", "-id"]
        indexes = [models.Index(fields=["account"], name="legalhold_active_account",
                                condition=models.Q(released_at__isnull=True))]

    def __str__(self):
        state = "released" if self.released_at else "active"
        return f"{self.get_kind_display()} hold on account {self.account_id} ({state})"

    @property
    def is_active(self) -> bool:
        return self.released_at is None
