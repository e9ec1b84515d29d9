"""The debt: one account per creditor account number, with its status machine."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from .parties import Creditor, Debtor


class DebtType(models.TextChoices):
    CREDIT_CARD = "credit_card", _("Consumer credit card")
    CONSUMER_LOAN = "consumer_loan", _("Consumer loan")
    AUTO_LOAN = "auto_loan", _("Auto loan")
    MEDICAL = "medical", _("Medical")
    UTILITY = "utility", _("Utility")
    COMMERCIAL = "commercial", _("Commercial invoice (B2B)")
    OTHER = "other", _("Other consumer debt")

    @classmethod
    def is_consumer(cls, value: str) -> bool:
        """FDCPA contact rules cover consumer debts only (15 USC 1692a(5))."""
        return value != cls.COMMERCIAL


class AccountStatus(models.TextChoices):
    NEW = "new", _("New placement")
    ACTIVE = "active", _("Active collection")
    PROMISE = "promise", _("Promise to pay")
    PLAN = "plan", _("On payment plan")
    DISPUTED = "disputed", _("Disputed")
    HOLD = "hold", _("Compliance hold")
    PAID = "paid", _("Paid in full")
    SETTLED = "settled", _("Settled")
    CLOSED = "closed", _("Closed")
    RECALLED = "recalled", _("Recalled by client")


_OPEN = {AccountStatus.NEW, AccountStatus.ACTIVE, AccountStatus.PROMISE, AccountStatus.PLAN,
         AccountStatus.DISPUTED, AccountStatus.HOLD}

# from-status -> statuses it may move to. Checked only in accounts.services.account_status_change.
ACCOUNT_TRANSITIONS: dict[str, frozenset[str]] = {
    AccountStatus.NEW: frozenset({AccountStatus.ACTIVE, AccountStatus.DISPUTED, AccountStatus.HOLD,
                                  AccountStatus.PAID, AccountStatus.RECALLED, AccountStatus.CLOSED}),
    AccountStatus.ACTIVE: frozenset({AccountStatus.PROMISE, AccountStatus.PLAN, AccountStatus.DISPUTED,
                                     AccountStatus.HOLD, AccountStatus.PAID, AccountStatus.SETTLED,
                                     AccountStatus.CLOSED, AccountStatus.RECALLED}),
    AccountStatus.PROMISE: frozenset({AccountStatus.ACTIVE, AccountStatus.PLAN, AccountStatus.DISPUTED,
                                      AccountStatus.HOLD, AccountStatus.PAID, AccountStatus.SETTLED,
                                      AccountStatus.RECALLED}),
    AccountStatus.PLAN: frozenset({AccountStatus.ACTIVE, AccountStatus.DISPUTED, AccountStatus.HOLD,
                                   AccountStatus.PAID, AccountStatus.SETTLED, AccountStatus.RECALLED}),
    AccountStatus.DISPUTED: frozenset({AccountStatus.ACTIVE, AccountStatus.HOLD, AccountStatus.CLOSED,
                                       AccountStatus.RECALLED}),
    AccountStatus.HOLD: frozenset({AccountStatus.ACTIVE, AccountStatus.DISPUTED, AccountStatus.CLOSED,
                                   AccountStatus.RECALLED}),
    AccountStatus.PAID: frozenset({AccountStatus.ACTIVE}),  # a returned payment reopens the debt
    AccountStatus.SETTLED: frozenset({AccountStatus.ACTIVE}),
    AccountStatus.CLOSED: frozenset({AccountStatus.ACTIVE}),
    AccountStatus.RECALLED: frozenset(),
}


class Account(models.Model):
    creditor = models.ForeignKey(Creditor, on_delete=models.PROTECT, related_name="accounts")
    debtor = models.ForeignKey(Debtor, on_delete=models.PROTECT, related_name="accounts")
    creditor_account_number = models.CharField(max_length=64)
    debt_type = models.CharField(max_length=16, choices=DebtType.choices, default=DebtType.CREDIT_CARD)
    original_creditor = models.CharField(max_length=200, blank=True)
    itemization_date = models.DateField(null=True, blank=True)
    itemization_balance = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    charge_off_date = models.DateField(null=True, blank=True)
    date_of_first_delinquency = models.DateField(null=True, blank=True)
    last_payment_date = models.DateField(null=True, blank=True)
    due_date = models.DateField(null=True, blank=True, help_text="Commercial invoices: payment due date")
    terms_days = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Net 30/60 …")
    # Invoice-level files: the creditor's customer id groups many invoices (accounts) under one debtor.
    # db_default: bulk loaders (accounts.bulk, bench/) write accounts by COPY without naming these columns.
    customer_id = models.CharField(max_length=64, blank=True, default="", db_default="")
    # The creditor's file flagged the debt as disputed; compliance opens a Dispute from it
    # (compliance.services.disputes.disputes_open_from_import), since accounts may not import compliance.
    placed_disputed = models.BooleanField(default=False, db_default=False)
    status = models.CharField(max_length=12, choices=AccountStatus.choices, default=AccountStatus.NEW,
                              db_index=True)
    # Cached sum of this account's ledger entries, kept in the same transaction as every entry.
    current_balance = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0.00"))
    placed_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["creditor", "creditor_account_number"],
                                    name="account_number_unique_per_creditor"),
        ]
        indexes = [
            models.Index(fields=["creditor_account_number"]),
            # Keyset pages of the account list (newest first) under each filter (accounts.keyset).
            models.Index(fields=["status", "id"], name="account_status_keyset"),
            models.Index(fields=["creditor", "id"], name="account_creditor_keyset"),
            models.Index(fields=["debt_type", "id"], name="account_debt_type_keyset"),
            # The dashboard's drill from a liquidation row: the accounts placed in one month.
            models.Index(fields=["placed_at"], name="account_placed_at"),
            # Invoice-level imports find a customer's debtor by the creditor's customer id.
            models.Index(fields=["creditor", "customer_id"], name="account_customer_idx",
                         condition=~models.Q(customer_id="")),
        ]
        # Search indexes are expression indexes created by migration 0011 (accounts.search).

    def __str__(self):
        return f"{self.creditor_account_number} ({self.creditor_id})"

    @property
    def is_open(self) -> bool:
        return self.status in _OPEN

    @property
    def is_consumer_debt(self) -> bool:
        return DebtType.is_consumer(self.debt_type)
