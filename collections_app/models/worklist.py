"""The worklist: aging buckets, scores with their reasons, queues, leases, callbacks, dispositions.

Worklist state lives here, one ``WorkItem`` per account, not in columns of ``accounts.Account``:
the nightly rescoring rewrites these rows set-based without touching the account table.
"""

from datetime import date, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from collections_app.worklist.buckets import days_past_due


def agency_today(now=None) -> date:
    """The agency's calendar day (days past due and the nightly run count in it)."""
    return (now or timezone.now()).astimezone(ZoneInfo(settings.AGENCY_TIME_ZONE)).date()


class AgingBucket(models.Model):
    """One aging band of days past due; the bands are data (admin) and must not overlap."""

    code = models.CharField(max_length=16, unique=True, help_text='e.g. "31-60"')
    label = models.CharField(max_length=40)
    min_days = models.PositiveIntegerField(help_text="Inclusive")
    max_days = models.PositiveIntegerField(null=True, blank=True, help_text="Inclusive; empty = no upper end")

    class Meta:
        ordering = ["min_days"]

    def __str__(self):
        return self.label


class ScoringWeights(models.Model):
    """One version of the priority score's weights. The newest version is the one in force."""

    version = models.PositiveIntegerField(unique=True)
    weights = models.JSONField()
    note = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        verbose_name_plural = "scoring weights"

    def __str__(self):
        return f"weights v{self.version}"


class Queue(models.Model):
    """A supervisor's slice of the open accounts: filters, an order, and who works it.

    An account belongs to the first active queue (by ``position``) whose filters it matches; the
    rescoring writes that into ``WorkItem.queue`` set-based.
    """

    class Order(models.TextChoices):
        SCORE = "score", _("Priority score (highest first)")
        BALANCE = "balance", _("Balance (largest first)")
        DPD = "dpd", _("Days past due (oldest first)")

    name = models.CharField(max_length=80, unique=True)
    position = models.PositiveIntegerField(default=100, help_text="Lower matches (and is worked) first")
    is_active = models.BooleanField(default=True)
    order = models.CharField(max_length=10, choices=Order.choices, default=Order.SCORE)
    # filters; an empty list means "any"
    creditors = models.ManyToManyField("accounts.Creditor", blank=True, related_name="+")
    buckets = models.JSONField(default=list, blank=True)
    debt_types = models.JSONField(default=list, blank=True)
    states = models.JSONField(default=list, blank=True)
    statuses = models.JSONField(default=list, blank=True)
    languages = models.JSONField(default=list, blank=True)
    balance_min = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    balance_max = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    teams = models.ManyToManyField("collections_app.Team", blank=True, related_name="queues")
    collectors = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="queues")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.name


class WorkItem(models.Model):
    """An account's place on the worklist: its aging, score (with components), queue and lease.

    ``ready`` is maintained (rescoring, the wake-up sweep, the gate at pop time) so that "next
    account" is an index scan: see the partial indexes below and DESIGN.md section 8.
    """

    account = models.OneToOneField("accounts.Account", on_delete=models.CASCADE, primary_key=True,
                                   related_name="work_item")
    delinquent_since = models.DateField(
        null=True, blank=True,
        help_text="The day days past due count from (stored instead of the count, which changes every night)")
    bucket = models.CharField(max_length=16, blank=True)
    bucket_before = models.CharField(max_length=16, blank=True,
                                     help_text="The bucket before the last rescoring (for the change history)")
    score = models.DecimalField(max_digits=9, decimal_places=2, default=Decimal("0"))
    priority = models.DecimalField(
        max_digits=14, decimal_places=2, default=Decimal("0"),
        help_text="The queue's sort key, highest first: score, balance, or for oldest-first queues the day "
                  "delinquency began as minus its day number since 1970 (the order of days past due, without "
                  "a change every night)")
    components = models.JSONField(default=dict, blank=True)
    weights_version = models.PositiveIntegerField(default=0)
    scored_on = models.DateField(
        null=True, blank=True,
        help_text="The day the stored score last changed (a nightly run leaves rows that did not change alone; "
                  "RescoreRun records each run)")
    # (no index of its own: the (queue, priority, account) index below serves every lookup by queue)
    queue = models.ForeignKey(Queue, null=True, blank=True, on_delete=models.SET_NULL, related_name="items",
                              db_index=False)
    queue_pinned = models.BooleanField(default=False, help_text="Moved by hand: rescoring keeps the queue")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="owned_work_items", help_text="Assigned to one collector",
                              db_index=False)  # indexed where set (workitem_owner below)
    owner_reason = models.CharField(max_length=12, blank=True, help_text="assigned | callback")
    ready = models.BooleanField(default=False)
    next_contact_at = models.DateTimeField(null=True, blank=True)
    wait_reason = models.CharField(max_length=300, blank=True)
    hold_reason = models.CharField(max_length=120, blank=True, help_text="Escalations: off the list until cleared")
    leased_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="leased_work_items", db_index=False)  # see workitem_holder
    leased_at = models.DateTimeField(null=True, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            # the pop: next ready, unleased, unassigned item of a queue, best first
            # The queue's page for supervisors: every item (not only the poppable ones), in pop order.
            models.Index(fields=["queue", "-priority", "account"], name="workitem_queue_order"),
            models.Index(fields=["queue", "-priority", "account"], name="workitem_pop",
                         condition=Q(ready=True, leased_by__isnull=True, owner__isnull=True)),
            models.Index(fields=["owner", "-priority", "account"], name="workitem_owned_pop",
                         condition=Q(ready=True, leased_by__isnull=True, owner__isnull=False)),
            models.Index(fields=["next_contact_at"], name="workitem_wake",
                         condition=Q(ready=False, next_contact_at__isnull=False)),
            models.Index(fields=["lease_expires_at"], name="workitem_lease_sweep",
                         condition=Q(leased_by__isnull=False)),
            models.Index(fields=["leased_by"], name="workitem_holder", condition=Q(leased_by__isnull=False)),
            models.Index(fields=["owner"], name="workitem_owner", condition=Q(owner__isnull=False)),
        ]
        # (Each index is written on every row version that is not a heap-only update: the foreign keys
        # are indexed only where set, and the nightly run rewrites only rows that changed.)

    def __str__(self):
        return f"work item {self.account_id} ({self.bucket}, {self.score})"

    @property
    def dpd(self) -> int:
        """Days past due today (in the agency's zone)."""
        return self.dpd_on(agency_today())

    @dpd.setter
    def dpd(self, days: int) -> None:
        self.delinquent_since = agency_today() - timedelta(days=days)

    def dpd_on(self, day) -> int:
        return days_past_due(as_of=day, delinquent_since=self.delinquent_since)


class BucketChange(models.Model):
    """History of aging-bucket moves (the roll-rate dashboards read it). Written by the rescoring."""

    account = models.ForeignKey("accounts.Account", on_delete=models.CASCADE, related_name="+",
                                db_constraint=False)
    from_bucket = models.CharField(max_length=16, blank=True)
    to_bucket = models.CharField(max_length=16)
    dpd = models.IntegerField()
    changed_on = models.DateField()

    class Meta:
        ordering = ["-changed_on", "-id"]
        indexes = [models.Index(fields=["changed_on"]), models.Index(fields=["account", "changed_on"])]

    def __str__(self):
        return f"{self.account_id}: {self.from_bucket or '—'} → {self.to_bucket} on {self.changed_on}"


class RescoreRun(models.Model):
    """One nightly re-prioritisation: its progress is committed with each chunk, so a rerun resumes."""

    as_of = models.DateField()
    weights_version = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    last_account_id = models.BigIntegerField(default=0)
    accounts = models.PositiveIntegerField(default=0)
    rewritten = models.PositiveIntegerField(default=0, help_text="Work items that changed (the others were left alone)")
    bucket_changes = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self):
        return f"rescore {self.as_of} v{self.weights_version} ({'done' if self.finished_at else 'unfinished'})"


class CounselingAgency(models.Model):
    """Non-profit credit counseling agencies collectors refer debtors to (kept by admins)."""

    name = models.CharField(max_length=200)
    phone = models.CharField(max_length=20, blank=True)
    website = models.URLField(blank=True)
    states = models.CharField(max_length=200, blank=True, help_text="Comma-separated states served; empty = all")
    languages = models.CharField(max_length=60, blank=True, default="en")
    notes = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "counseling agencies"

    def __str__(self):
        return self.name


class DispositionCode(models.TextChoices):
    NO_ANSWER = "no_answer", _("No answer")
    BUSY = "busy", _("Busy")
    VOICEMAIL = "voicemail", _("Voicemail / limited-content message")
    RIGHT_PARTY = "right_party", _("Right-party contact")
    THIRD_PARTY = "third_party", _("Third party")
    WRONG_NUMBER = "wrong_number", _("Wrong number")
    DISCONNECTED = "disconnected", _("Disconnected")
    PROMISE = "promise", _("Promise to pay")
    REFUSED = "refused", _("Refused")
    DISPUTE = "dispute", _("Dispute raised")
    CALLBACK = "callback", _("Callback requested")
    ESCALATE = "escalate", _("Escalate")
    REFER = "refer", _("Refer to a debt counselor")
    WORKSHEET = "worksheet", _("Ability-to-pay worksheet")
    CONTACT = "contact", _("Contact logged (API)")
    SKIPPED = "skipped", _("Skipped")


class Disposition(models.Model):
    """What came of working an account: one row per disposition, written by the service that caused it."""

    class Escalation(models.TextChoices):
        LEGAL = "legal", _("Legal")
        FRAUD = "fraud", _("Fraud")
        MANAGEMENT = "management", _("Management")
        COMPLAINT = "complaint", _("Complaint")

    account = models.ForeignKey("accounts.Account", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    code = models.CharField(max_length=16, choices=DispositionCode.choices)
    at = models.DateTimeField()
    notes = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)
    contact_attempt = models.ForeignKey("compliance.ContactAttempt", null=True, blank=True,
                                        on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["user", "at"]), models.Index(fields=["account", "at"])]

    def __str__(self):
        return f"{self.get_code_display()} on {self.account_id} by {self.user_id}"


class Callback(models.Model):
    """A callback the debtor asked for: it comes first, at its time, to the collector who set it."""

    account = models.ForeignKey("accounts.Account", on_delete=models.PROTECT, related_name="+")
    collector = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="callbacks")
    due_at = models.DateTimeField()
    debtor_zone = models.CharField(max_length=64, blank=True, help_text="The zone the time was agreed in")
    notes = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at"]
        indexes = [models.Index(fields=["collector", "due_at"], name="callback_due",
                                condition=Q(done_at__isnull=True))]

    def __str__(self):
        return f"callback {self.account_id} at {self.due_at:%Y-%m-%d %H:%M}"


class AbilityToPay(models.Model):
    """The ability-to-pay worksheet taken on a call: monthly income, expenses and hardship."""

    class Hardship(models.TextChoices):
        NONE = "", _("None stated")
        JOB_LOSS = "job_loss", _("Job loss / reduced hours")
        MEDICAL = "medical", _("Medical")
        DIVORCE = "divorce", _("Divorce / separation")
        DISASTER = "disaster", _("Natural disaster")
        DEATH = "death", _("Death in the family")
        OTHER = "other", _("Other")

    account = models.ForeignKey("accounts.Account", on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    monthly_income = models.DecimalField(max_digits=12, decimal_places=2)
    monthly_expenses = models.DecimalField(max_digits=12, decimal_places=2)
    household_size = models.PositiveSmallIntegerField(default=1)
    hardship = models.CharField(max_length=12, choices=Hardship.choices, blank=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "ability-to-pay worksheets"

    def __str__(self):
        return f"ability to pay {self.account_id}: {self.disposable}/month"

    @property
    def disposable(self) -> Decimal:
        return self.monthly_income - self.monthly_expenses


class ContactPointEvent(models.Model):
    """A collector added, verified, or marked a phone or email wrong party / disconnected (who, when).

    The contact point's own status (accounts) is what the gate reads; this row is the history.
    """

    class Kind(models.TextChoices):
        PHONE = "phone", _("Phone")
        EMAIL = "email", _("Email")
        ADDRESS = "address", _("Address")

    class Action(models.TextChoices):
        ADDED = "added", _("Added")
        VERIFIED = "verified", _("Verified with the debtor")
        WRONG = "wrong", _("Marked wrong party")
        DISCONNECTED = "disconnected", _("Marked disconnected")
        RETURNED = "returned", _("Mail returned")

    debtor = models.ForeignKey("accounts.Debtor", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    contact_id = models.BigIntegerField()
    value = models.CharField(max_length=254)
    action = models.CharField(max_length=16, choices=Action.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["debtor", "at"])]

    def __str__(self):
        return f"{self.kind} {self.value}: {self.action}"
