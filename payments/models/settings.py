"""Per-creditor payment settings (guardrails, plan rules, interest) and per-account interest terms.

The allocation waterfall itself is ``Creditor.allocation_order`` (accounts), which the balance-by-kind
view already reads: one waterfall, not two.
"""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Account, Creditor


class PaymentSettings(models.Model):
    """A creditor's guardrails. A creditor without a row gets the defaults (``settings_for``)."""

    creditor = models.OneToOneField(Creditor, on_delete=models.CASCADE, related_name="payment_settings")
    # Promises: a collector may accept at most this far ahead and at least this much (else supervisor).
    promise_max_days = models.PositiveSmallIntegerField(default=30)
    promise_min_amount = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("25.00"))
    # Plans: longest plan, smallest installment a collector may agree without approval.
    plan_max_installments = models.PositiveSmallIntegerField(default=24)
    plan_min_installment = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("25.00"))
    plan_grace_days = models.PositiveSmallIntegerField(default=5, help_text="days after a due date before it is missed")
    plan_default_after_misses = models.PositiveSmallIntegerField(default=2)
    # Interest accrual (consumer loans): only where the creditor's contract allows it.
    interest_allowed = models.BooleanField(default=False)
    interest_stops_at_charge_off = models.BooleanField(default=True)
    # Reminders: how many days before a due date the reminder goes out.
    reminder_days_before = models.PositiveSmallIntegerField(default=2)

    class Meta:
        verbose_name_plural = "payment settings"

    def __str__(self):
        return f"Payment settings of {self.creditor_id}"


class InterestMethod(models.TextChoices):
    SIMPLE_DAILY = "simple_daily", _("Simple daily interest, actual/365, on the principal outstanding")
    COMPOUND_DAILY = "compound_daily", _("Daily interest, actual/365, on the whole balance (interest on interest)")


class InterestTerms(models.Model):
    """Contract interest of one account; accrued nightly as ledger entries while not stopped."""

    account = models.OneToOneField(Account, on_delete=models.CASCADE, related_name="interest_terms")
    annual_rate = models.DecimalField(max_digits=6, decimal_places=4, help_text="percent per year, e.g. 18.0000")
    method = models.CharField(max_length=16, choices=InterestMethod.choices, default=InterestMethod.SIMPLE_DAILY)
    accrued_through = models.DateField(help_text="interest has been posted up to and including this day")
    stopped_reason = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name_plural = "interest terms"

    def __str__(self):
        return f"{self.annual_rate}% on {self.account_id}"
