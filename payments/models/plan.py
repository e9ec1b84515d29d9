"""Payment plans and their installments."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Account


class Frequency(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    BIWEEKLY = "biweekly", _("Every two weeks")
    SEMIMONTHLY = "semimonthly", _("Twice a month")
    MONTHLY = "monthly", _("Monthly")


class PlanStatus(models.TextChoices):
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting supervisor approval")
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    DEFAULTED = "defaulted", _("Defaulted")
    CANCELLED = "cancelled", _("Cancelled")
    REJECTED = "rejected", _("Rejected")


PLAN_TRANSITIONS = {
    PlanStatus.AWAITING_APPROVAL: frozenset({PlanStatus.ACTIVE, PlanStatus.REJECTED, PlanStatus.CANCELLED}),
    PlanStatus.ACTIVE: frozenset({PlanStatus.COMPLETED, PlanStatus.DEFAULTED, PlanStatus.CANCELLED}),
    PlanStatus.COMPLETED: frozenset({PlanStatus.ACTIVE}),  # a returned payment re-opens it
    PlanStatus.DEFAULTED: frozenset(),
    PlanStatus.CANCELLED: frozenset(),
    PlanStatus.REJECTED: frozenset(),
}
PLAN_LIVE = (PlanStatus.AWAITING_APPROVAL, PlanStatus.ACTIVE)


class PaymentPlan(models.Model):
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="plans")
    total = models.DecimalField(max_digits=14, decimal_places=2)
    down_payment = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0.00"))
    frequency = models.CharField(max_length=12, choices=Frequency.choices)
    installment_count = models.PositiveSmallIntegerField(help_text="installments after the down payment")
    start_date = models.DateField(help_text="first installment's due date")
    grace_days = models.PositiveSmallIntegerField(default=5)
    default_after_misses = models.PositiveSmallIntegerField(default=2)
    status = models.CharField(max_length=20, choices=PlanStatus.choices, default=PlanStatus.ACTIVE)
    missed_count = models.PositiveSmallIntegerField(default=0)
    outside_guardrails = models.JSONField(default=list, blank=True)
    language = models.CharField(max_length=2, default="en")
    agreement_pdf = models.CharField(max_length=255, blank=True)
    agreement_attempt_id = models.BigIntegerField(null=True, blank=True)
    settlement = models.ForeignKey("payments.Settlement", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="plans")
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["account", "status"])]

    def __str__(self):
        return f"Plan {self.total} {self.frequency} x{self.installment_count} ({self.status})"


class InstallmentStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    PAID = "paid", _("Paid")
    MISSED = "missed", _("Missed")
    CANCELLED = "cancelled", _("Cancelled")


INSTALLMENT_TRANSITIONS = {
    InstallmentStatus.SCHEDULED: frozenset({InstallmentStatus.PAID, InstallmentStatus.MISSED,
                                            InstallmentStatus.CANCELLED}),
    InstallmentStatus.MISSED: frozenset({InstallmentStatus.PAID, InstallmentStatus.CANCELLED}),
    InstallmentStatus.PAID: frozenset({InstallmentStatus.SCHEDULED, InstallmentStatus.MISSED}),  # returned
    InstallmentStatus.CANCELLED: frozenset(),
}


class Installment(models.Model):
    plan = models.ForeignKey(PaymentPlan, on_delete=models.CASCADE, related_name="installments")
    # 0 is the down payment (when there is one); 1..n the installments.
    seq = models.PositiveSmallIntegerField()
    due_date = models.DateField()
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    amount_paid = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0.00"))
    status = models.CharField(max_length=10, choices=InstallmentStatus.choices, default=InstallmentStatus.SCHEDULED)
    paid_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "seq"]
        constraints = [models.UniqueConstraint(fields=["plan", "seq"], name="installment_seq_unique")]
        indexes = [
            models.Index(fields=["due_date"], name="installment_scheduled_due_idx",
                         condition=models.Q(status="scheduled")),
            # Missed installments are few: the reminders step finds them without scanning every installment.
            models.Index(fields=["plan"], name="installment_missed_idx", condition=models.Q(status="missed")),
        ]

    def __str__(self):
        return f"#{self.seq} {self.amount} due {self.due_date}"
