"""Promises to pay, with optional pick-up appointments for field collection."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Account

from .payment import PaymentMethod


class PromiseStatus(models.TextChoices):
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting supervisor approval")
    OPEN = "open", _("Open")
    KEPT = "kept", _("Kept")
    PARTIAL = "partial", _("Partially kept")
    BROKEN = "broken", _("Broken")
    CANCELLED = "cancelled", _("Cancelled")
    REJECTED = "rejected", _("Rejected")


# Checked only in payments.services.status.promise_status_change (and its set-based twin in the night,
# which moves only rows whose current status allows the move).
PROMISE_TRANSITIONS = {
    PromiseStatus.AWAITING_APPROVAL: frozenset({PromiseStatus.OPEN, PromiseStatus.REJECTED, PromiseStatus.CANCELLED}),
    PromiseStatus.OPEN: frozenset({PromiseStatus.KEPT, PromiseStatus.PARTIAL, PromiseStatus.BROKEN,
                                   PromiseStatus.CANCELLED}),
    # A returned payment re-opens what it satisfied.
    PromiseStatus.KEPT: frozenset({PromiseStatus.OPEN}),
    PromiseStatus.PARTIAL: frozenset({PromiseStatus.OPEN, PromiseStatus.KEPT}),
    PromiseStatus.BROKEN: frozenset({PromiseStatus.KEPT, PromiseStatus.PARTIAL}),
    PromiseStatus.CANCELLED: frozenset(),
    PromiseStatus.REJECTED: frozenset(),
}
PROMISE_LIVE = (PromiseStatus.AWAITING_APPROVAL, PromiseStatus.OPEN)


class Promise(models.Model):
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="promises")
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    due_date = models.DateField()
    method = models.CharField(max_length=12, choices=PaymentMethod.choices)
    status = models.CharField(max_length=20, choices=PromiseStatus.choices, default=PromiseStatus.OPEN)
    # Payments received toward it (set when judged, and when a payment is posted).
    amount_paid = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0.00"))
    # Pick-up appointment for in-person collection (field collector).
    pickup_start = models.DateTimeField(null=True, blank=True)
    pickup_end = models.DateTimeField(null=True, blank=True)
    pickup_place = models.CharField(max_length=255, blank=True)
    outside_guardrails = models.JSONField(default=list, blank=True, help_text="why it needed a supervisor")
    override_reason = models.CharField(max_length=255, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    judged_on = models.DateField(null=True, blank=True)

    class Meta:
        indexes = [
            # The night judges open promises by due date: a partial index keeps that scan small.
            models.Index(fields=["due_date"], name="promise_open_due_idx", condition=models.Q(status="open")),
            models.Index(fields=["account", "status"]),
        ]

    def __str__(self):
        return f"Promise {self.amount} by {self.due_date} ({self.status})"

    @property
    def has_pickup(self) -> bool:
        return bool(self.pickup_start)
