"""Payments: one row per money received, its allocation lines (each a ledger entry), returns, refunds."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Account, Creditor


class PaymentMethod(models.TextChoices):
    CARD = "card", _("Card (token reference)")
    ACH = "ach", _("ACH")
    CHECK = "check", _("Check")
    CASH = "cash", _("Cash")
    MONEY_ORDER = "money_order", _("Money order")


class PaymentSource(models.TextChoices):
    WORKSPACE = "workspace", _("Collector workspace")
    API = "api", _("API")
    POSTING = "posting", _("Accounting posting page")
    BATCH = "batch", _("Batch / lockbox file")


class PaymentStatus(models.TextChoices):
    POSTED = "posted", _("Posted")
    RETURNED = "returned", _("Returned")


PAYMENT_TRANSITIONS = {
    PaymentStatus.POSTED: frozenset({PaymentStatus.RETURNED}),
    PaymentStatus.RETURNED: frozenset(),
}


class ReturnReason(models.TextChoices):
    NSF = "nsf", _("NSF (insufficient funds)")
    CHARGEBACK = "chargeback", _("Card chargeback")
    REVERSAL = "reversal", _("Reversal (posting error)")
    STOP_PAYMENT = "stop_payment", _("Stop payment")


class Payment(models.Model):
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="payments")
    creditor = models.ForeignKey(Creditor, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    method = models.CharField(max_length=12, choices=PaymentMethod.choices)
    received_at = models.DateTimeField()
    # The same key twice (even concurrently) posts once; the unique constraint is the arbiter.
    idempotency_key = models.CharField(max_length=100)
    # sha256 of the request's meaningful fields: the same key with another body is a conflict (409).
    request_hash = models.CharField(max_length=64)
    reference = models.CharField(max_length=100, blank=True, help_text="check number, card token ref, lockbox id")
    source = models.CharField(max_length=10, choices=PaymentSource.choices)
    status = models.CharField(max_length=10, choices=PaymentStatus.choices, default=PaymentStatus.POSTED)
    # The part beyond what was owed: a credit balance on the account (shown, refundable).
    credit_amount = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0.00"))
    return_reason = models.CharField(max_length=12, choices=ReturnReason.choices, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    returned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    # What this payment satisfied, so a return can re-open it.
    satisfied = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["idempotency_key"], name="payment_idempotency_key_unique"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payment_amount_positive"),
        ]
        indexes = [models.Index(fields=["account", "received_at"])]

    def __str__(self):
        return f"Payment #{self.pk} {self.amount} on {self.account_id}"


class PaymentAllocation(models.Model):
    """One bucket a payment retired (fees, interest, principal) or the overpayment credit."""

    class Bucket(models.TextChoices):
        FEES = "fees", _("Fees")
        INTEREST = "interest", _("Interest")
        PRINCIPAL = "principal", _("Principal")
        CREDIT = "credit", _("Credit balance (overpayment)")

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="allocations")
    bucket = models.CharField(max_length=10, choices=Bucket.choices)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    ledger_entry_id = models.BigIntegerField()

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"{self.bucket} {self.amount}"


class Refund(models.Model):
    """A refund of a credit balance: an entry that brings the balance back up toward zero."""

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="refunds")
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    method = models.CharField(max_length=12, choices=PaymentMethod.choices)
    ledger_entry_id = models.BigIntegerField()
    idempotency_key = models.CharField(max_length=100, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"Refund {self.amount} on {self.account_id}"
