"""Summary tables behind the supervisor dashboards, and the goals collectors are measured against.

The ``Dash*`` tables are never written by application code: on PostgreSQL statement-level triggers
(and on SQLite row-level triggers) keep them in the same transaction as the facts they summarise
(ledger entries, accounts, work items, contact attempts, dispositions, promises, bucket changes).
``collections_app.dashboards.summaries`` defines each one as SQL, installs the triggers and can
rebuild any table from its base tables, which is also how the tests prove them equal.
A key value of 0 / '' stands for "none" (no user, not yet scored) so keys are never NULL.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

ZERO = Decimal("0.00")


class SummaryRow(models.Model):
    """A row of a summary table: shown as its key and measures (admin, shell)."""

    class Meta:
        abstract = True

    def __str__(self):
        return ", ".join(f"{f.name}={getattr(self, f.attname)}" for f in self._meta.concrete_fields
                         if f.name != "id")


def _money(**kwargs):
    return models.DecimalField(max_digits=18, decimal_places=2, default=ZERO, **kwargs)


class DashAging(SummaryRow):
    """Open accounts now: count and balance per creditor, debt type and aging bucket."""

    creditor_id = models.BigIntegerField()
    debt_type = models.CharField(max_length=16)
    bucket = models.CharField(max_length=16)
    accounts = models.BigIntegerField(default=0)
    balance = _money()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["creditor_id", "debt_type", "bucket"], name="dash_aging_key")]


class DashAgingSnapshot(SummaryRow):
    """``DashAging`` as the first nightly run of each month found it: the month's opening position."""

    month = models.DateField()
    creditor_id = models.BigIntegerField()
    debt_type = models.CharField(max_length=16)
    bucket = models.CharField(max_length=16)
    accounts = models.BigIntegerField(default=0)
    balance = _money()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["month", "creditor_id", "debt_type", "bucket"],
                                               name="dash_aging_snapshot_key")]


class DashPlacement(SummaryRow):
    """What was placed with us per placement month: accounts and the amount placed (placement entries)."""

    month = models.DateField()
    creditor_id = models.BigIntegerField()
    debt_type = models.CharField(max_length=16)
    accounts = models.BigIntegerField(default=0)
    placed = _money()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["month", "creditor_id", "debt_type"], name="dash_placement_key")]


class DashCollection(SummaryRow):
    """Money collected per posting day, net of returned payments, by placement month and collector."""

    day = models.DateField()
    creditor_id = models.BigIntegerField()
    debt_type = models.CharField(max_length=16)
    placement_month = models.DateField()
    user_id = models.BigIntegerField(help_text="0 = not taken by a user (imports, lockbox)")
    collected = _money()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "creditor_id", "debt_type", "placement_month", "user_id"],
                                               name="dash_collection_key")]
        # One collector's (or team's) figures over a range: the filter the supervisor uses most.
        indexes = [models.Index(fields=["user_id", "day"], name="dash_collection_user_day")]


class DashActivity(SummaryRow):
    """Per day and user: outbound attempts, right-party contacts, accounts worked (dispositions)."""

    day = models.DateField()
    user_id = models.BigIntegerField()
    creditor_id = models.BigIntegerField()
    debt_type = models.CharField(max_length=16)
    attempts = models.BigIntegerField(default=0)
    rpc = models.BigIntegerField(default=0)
    worked = models.BigIntegerField(default=0)
    seconds = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "user_id", "creditor_id", "debt_type"],
                                               name="dash_activity_key")]
        indexes = [models.Index(fields=["user_id", "day"], name="dash_activity_user_day")]


class DashPromise(SummaryRow):
    """Promises to pay per day taken, day due, taker and current status."""

    day = models.DateField()
    due_day = models.DateField()
    user_id = models.BigIntegerField()
    creditor_id = models.BigIntegerField()
    debt_type = models.CharField(max_length=16)
    status = models.CharField(max_length=20)
    promises = models.BigIntegerField(default=0)
    amount = _money()

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["day", "due_day", "user_id", "creditor_id", "debt_type", "status"], name="dash_promise_key")]
        indexes = [models.Index(fields=["user_id", "day"], name="dash_promise_user_day"),
                   models.Index(fields=["user_id", "due_day"], name="dash_promise_user_due")]


class DashRoll(SummaryRow):
    """Bucket moves per month (from the bucket-change history): the roll-rate numerators."""

    month = models.DateField()
    from_bucket = models.CharField(max_length=16)
    to_bucket = models.CharField(max_length=16)
    accounts = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["month", "from_bucket", "to_bucket"], name="dash_roll_key")]


class DashQueue(SummaryRow):
    """Work items per queue (0 = in no queue): all; workable now (ready, not leased, unassigned);
    assigned to one collector; leased; waiting for a lawful time. The collector's home, the queues
    page and the dashboard read it instead of counting a million work items per view."""

    queue_id = models.BigIntegerField(unique=True)
    items = models.BigIntegerField(default=0)
    ready = models.BigIntegerField(default=0)
    assigned = models.BigIntegerField(default=0)
    leased = models.BigIntegerField(default=0)
    waiting = models.BigIntegerField(default=0)


class CollectorGoal(models.Model):
    """A daily target a supervisor sets, for one collector or (user empty) for every collector."""

    class Metric(models.TextChoices):
        ATTEMPTS = "attempts", _("Attempts per day")
        RPC = "rpc", _("Right-party contacts per day")
        PROMISES = "promises", _("Promises per day")
        COLLECTED = "collected", _("Amount collected per day")
        WORKED = "worked", _("Accounts worked per day")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="goals")
    metric = models.CharField(max_length=12, choices=Metric.choices)
    target = models.DecimalField(max_digits=14, decimal_places=2)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "metric"], name="collector_goal_once",
                                    condition=models.Q(user__isnull=False)),
            models.UniqueConstraint(fields=["metric"], name="collector_goal_default_once",
                                    condition=models.Q(user__isnull=True)),
        ]

    def __str__(self):
        return f"{self.get_metric_display()}: {self.target} ({self.user or 'everyone'})"


class CreditorFee(models.Model):
    """The agency's contingency fee on what it collects for a creditor (the remittance view)."""

    creditor = models.OneToOneField("accounts.Creditor", on_delete=models.CASCADE, related_name="+")
    fee_pct = models.DecimalField(max_digits=5, decimal_places=2, help_text="Percent of money collected")

    def __str__(self):
        return f"{self.creditor_id}: {self.fee_pct}%"
