"""Escalations: an account handed to legal, fraud, management or a senior collector, with a reason, an
owner and a due date; legal referrals with the attorney and suit stage; billing-discrepancy research
that may end in a ledger adjustment approved by a supervisor (maker-checker)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class EscalationKind(models.TextChoices):
    LEGAL = "legal", _("Legal referral")
    FRAUD = "fraud", _("Suspected fraud / identity theft")
    MANAGEMENT = "management", _("Management")
    SENIOR = "senior_collector", _("Senior collector")
    BILLING = "billing_discrepancy", _("Billing-discrepancy research")


class EscalationStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    CANCELLED = "cancelled", _("Cancelled")


# Checked only in collections_app.escalations.services.escalation_status_change.
ESCALATION_TRANSITIONS: dict[str, frozenset[str]] = {
    EscalationStatus.OPEN: frozenset({EscalationStatus.IN_PROGRESS, EscalationStatus.RESOLVED,
                                      EscalationStatus.CANCELLED}),
    EscalationStatus.IN_PROGRESS: frozenset({EscalationStatus.RESOLVED, EscalationStatus.CANCELLED}),
    EscalationStatus.RESOLVED: frozenset(),
    EscalationStatus.CANCELLED: frozenset(),
}
OPEN_STATUSES = (EscalationStatus.OPEN, EscalationStatus.IN_PROGRESS)


class SuitStage(models.TextChoices):
    REFERRED = "referred", _("Referred to attorney")
    DEMAND = "demand_letter", _("Attorney demand letter")
    FILED = "suit_filed", _("Suit filed")
    SERVED = "served", _("Debtor served")
    JUDGMENT = "judgment", _("Judgment obtained")
    DISMISSED = "dismissed", _("Dismissed")
    SETTLED = "settled", _("Settled in litigation")


# A suit on file holds the account's records (legal hold) from filing on.
SUIT_STAGES = (SuitStage.FILED, SuitStage.SERVED, SuitStage.JUDGMENT)


class AdjustmentStatus(models.TextChoices):
    NONE = "", _("None proposed")
    AWAITING = "awaiting_approval", _("Awaiting approval")
    POSTED = "posted", _("Approved and posted")
    REJECTED = "rejected", _("Rejected")


class Escalation(models.Model):
    account = models.ForeignKey("accounts.Account", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20, choices=EscalationKind.choices)
    status = models.CharField(max_length=12, choices=EscalationStatus.choices, default=EscalationStatus.OPEN)
    reason = models.TextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.TextField(blank=True)
    # legal referrals
    attorney_name = models.CharField(max_length=200, blank=True)
    attorney_firm = models.CharField(max_length=200, blank=True)
    suit_stage = models.CharField(max_length=16, choices=SuitStage.choices, blank=True)
    court_case_number = models.CharField(max_length=60, blank=True)
    # fraud: the compliance FraudClaim recorded with it
    fraud_claim_id = models.BigIntegerField(null=True, blank=True)
    # billing discrepancy: the adjustment proposed, its approval (maker-checker) and the ledger entry
    disputed_amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    adjustment_amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True,
                                            help_text="Signed: negative lowers the debt")
    adjustment_memo = models.CharField(max_length=200, blank=True)
    adjustment_status = models.CharField(max_length=20, choices=AdjustmentStatus.choices, blank=True, default="")
    adjustment_proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                               on_delete=models.PROTECT, related_name="+")
    adjustment_decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                              on_delete=models.PROTECT, related_name="+")
    adjustment_entry_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["owner", "due_on"], name="escalation_open_owner",
                                condition=Q(status__in=["open", "in_progress"])),
                   models.Index(fields=["account"])]

    def __str__(self):
        with translation.override("en"):  # audit summaries quote it: records stay in one language
            return f"{self.get_kind_display()} #{self.pk} on account {self.account_id}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES
