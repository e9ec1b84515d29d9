"""Settlement offers and credit extensions, approved maker-checker above the collector's authority."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Account


class SettlementKind(models.TextChoices):
    SETTLEMENT = "settlement", _("Settlement for less than the balance")
    EXTENSION = "extension", _("Credit extension (new due date or terms)")


class SettlementStatus(models.TextChoices):
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting supervisor approval")
    APPROVED = "approved", _("Approved (offer open)")
    PAID = "paid", _("Paid, remainder written off")
    APPLIED = "applied", _("Applied (new terms in force)")
    EXPIRED = "expired", _("Expired")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


SETTLEMENT_TRANSITIONS = {
    SettlementStatus.AWAITING_APPROVAL: frozenset({SettlementStatus.APPROVED, SettlementStatus.APPLIED,
                                                   SettlementStatus.REJECTED, SettlementStatus.CANCELLED,
                                                   SettlementStatus.EXPIRED}),
    SettlementStatus.APPROVED: frozenset({SettlementStatus.PAID, SettlementStatus.EXPIRED,
                                          SettlementStatus.CANCELLED}),
    SettlementStatus.PAID: frozenset({SettlementStatus.APPROVED}),  # a returned payment re-opens it
    SettlementStatus.APPLIED: frozenset(),
    SettlementStatus.EXPIRED: frozenset(),
    SettlementStatus.REJECTED: frozenset(),
    SettlementStatus.CANCELLED: frozenset(),
}


class Settlement(models.Model):
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="settlements")
    kind = models.CharField(max_length=10, choices=SettlementKind.choices, default=SettlementKind.SETTLEMENT)
    balance_at_offer = models.DecimalField(max_digits=14, decimal_places=2)
    amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    discount_pct = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    installments = models.PositiveSmallIntegerField(default=1, help_text="1 = lump sum")
    expires_on = models.DateField(null=True, blank=True)
    # Credit extensions (commercial invoices): a new due date and/or terms.
    new_due_date = models.DateField(null=True, blank=True)
    new_terms_days = models.PositiveSmallIntegerField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=SettlementStatus.choices,
                              default=SettlementStatus.AWAITING_APPROVAL)
    reason = models.CharField(max_length=255, blank=True)
    amount_paid = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    write_off_entry_id = models.BigIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=255, blank=True)

    class Meta:
        indexes = [models.Index(fields=["account", "status"]), models.Index(fields=["status", "created_at"])]
        constraints = [
            models.CheckConstraint(condition=~models.Q(decided_by=models.F("created_by")),
                                   name="settlement_maker_is_not_checker"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount or ''} ({self.status})"
