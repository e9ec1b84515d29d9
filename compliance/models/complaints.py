"""Complaints from the debtor, a regulator or the CFPB portal, each tracked to a response by its deadline."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class ComplaintSource(models.TextChoices):
    DEBTOR = "debtor", _("The debtor (or their representative)")
    REGULATOR = "regulator", _("A regulator (state AG, banking department)")
    CFPB_PORTAL = "cfpb_portal", _("CFPB company portal")


# Days from receipt to the response deadline.
# CFPB portal: companies respond within 15 calendar days (CFPB company portal manual; an "in
# progress" answer then allows up to 60 days for the final one). Regulators usually set their own
# date in the letter: [POL] 30 days unless the letter says otherwise (``due_at`` can be set).
# Debtors: [POL] 30 days, like a written dispute's investigation (12 CFR 1022.43(e)).
RESPONSE_DAYS = {
    ComplaintSource.CFPB_PORTAL: 15,
    ComplaintSource.REGULATOR: 30,
    ComplaintSource.DEBTOR: 30,
}


def response_deadline(source: str, received_at):
    return received_at + timedelta(days=RESPONSE_DAYS[source])


class ComplaintStatus(models.TextChoices):
    OPEN = "open", _("Open")
    INVESTIGATING = "investigating", _("Investigating")
    RESPONDED = "responded", _("Responded")
    CLOSED = "closed", _("Closed")


# Checked only in compliance.services.complaints.complaint_status_change.
COMPLAINT_TRANSITIONS: dict[str, frozenset[str]] = {
    ComplaintStatus.OPEN: frozenset({ComplaintStatus.INVESTIGATING, ComplaintStatus.RESPONDED}),
    ComplaintStatus.INVESTIGATING: frozenset({ComplaintStatus.RESPONDED}),
    ComplaintStatus.RESPONDED: frozenset({ComplaintStatus.CLOSED, ComplaintStatus.INVESTIGATING}),
    ComplaintStatus.CLOSED: frozenset(),
}
UNANSWERED = (ComplaintStatus.OPEN, ComplaintStatus.INVESTIGATING)


class Complaint(models.Model):
    account = models.ForeignKey("accounts.Account", on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=12, choices=ComplaintSource.choices)
    regulator = models.CharField(max_length=120, blank=True, help_text="Which regulator, for regulator complaints")
    reference = models.CharField(max_length=64, blank=True, help_text="The portal's or regulator's case number")
    received_at = models.DateTimeField()
    due_at = models.DateTimeField(help_text="The response deadline")
    category = models.CharField(max_length=80, blank=True)
    description = models.TextField()
    status = models.CharField(max_length=14, choices=ComplaintStatus.choices, default=ComplaintStatus.OPEN)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    response = models.TextField(blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    legal_hold_id = models.BigIntegerField(null=True, blank=True, help_text="The hold that keeps its records")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["due_at"], name="complaint_unanswered_due",
                                condition=Q(status__in=["open", "investigating"]))]

    def __str__(self):
        with translation.override("en"):  # audit summaries quote it: records stay in one language
            return f"{self.get_source_display()} complaint #{self.pk} on account {self.account_id}"

    def is_overdue(self, now) -> bool:
        return self.status in UNANSWERED and self.due_at < now

    @property
    def responded_late(self) -> bool:
        return bool(self.responded_at and self.responded_at > self.due_at)
