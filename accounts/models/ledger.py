"""The append-only ledger: every change to what a debtor owes is one LedgerEntry."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .account import Account
from .append_only import AppendOnlyModel
from .parties import Creditor


class EntryKind(models.TextChoices):
    CHARGE = "charge", _("Charge / principal")
    INTEREST = "interest", _("Interest")
    FEE = "fee", _("Fee")
    PAYMENT = "payment", _("Payment")
    ADJUSTMENT = "adjustment", _("Adjustment")
    REVERSAL = "reversal", _("Reversal")
    WRITE_OFF = "write_off", _("Write-off")


class EntrySource(models.TextChoices):
    IMPORT = "import", _("Ledger import")
    PLACEMENT = "placement", _("Placement")
    PAYMENT = "payment", _("Payment")
    USER = "user", _("User")
    SYSTEM = "system", _("System")


class LedgerEntry(AppendOnlyModel):
    """Signed amount: positive raises the debt, negative lowers it. Never edited, never deleted.

    PostgreSQL also refuses UPDATE and DELETE on this table with a trigger (migration 0002).
    """

    # Few indexes and no per-row foreign-key checks, on purpose: at commit they cost a quarter of a
    # million-row import. Integrity holds without them: entries are only written with account ids
    # read from accounts_account in the same statement (services, the import merge), accounts cannot
    # be deleted while they have entries (a trigger, migration 0008; the ORM PROTECTs too), and
    # verify_balances reports any entry whose account is missing. account_id is served by the
    # (account, posted_date, id) index; creditor always equals account.creditor.
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="ledger_entries", db_index=False,
                                db_constraint=False)
    creditor = models.ForeignKey(Creditor, on_delete=models.PROTECT, related_name="+", db_index=False,
                                 db_constraint=False)
    kind = models.CharField(max_length=12, choices=EntryKind.choices)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    posted_date = models.DateField()
    # Creditor's or our reference; unique per creditor so a repeated import or payment is a no-op.
    reference = models.CharField(max_length=100, null=True, blank=True)
    memo = models.CharField(max_length=255, blank=True)
    source = models.CharField(max_length=10, choices=EntrySource.choices)
    import_batch_id = models.BigIntegerField(null=True, blank=True)
    fingerprint = models.CharField(max_length=32, blank=True)
    reverses = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="reversed_by", db_index=False, db_constraint=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+", db_index=False, db_constraint=False)
    created_at = models.DateTimeField(auto_now_add=True)

    append_only_hint = ": post a reversal instead"

    class Meta:
        verbose_name_plural = "ledger entries"
        constraints = [
            models.UniqueConstraint(fields=["creditor", "reference"], name="ledger_reference_unique_per_creditor",
                                    condition=models.Q(reference__isnull=False)),
        ]
        indexes = [
            models.Index(fields=["account", "posted_date", "id"]),
            models.Index(fields=["reverses"], name="ledger_reverses_idx", condition=models.Q(reverses__isnull=False)),
        ]

    def __str__(self):
        return f"{self.posted_date} {self.kind} {self.amount}"
