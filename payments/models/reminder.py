"""Reminders to debtors: queued by the night, each sent once through the compliance gate."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Account


class ReminderKind(models.TextChoices):
    PROMISE_DUE = "promise_due", _("Promise due soon")
    INSTALLMENT_DUE = "installment_due", _("Installment due soon")
    INSTALLMENT_MISSED = "installment_missed", _("Installment missed")
    PROMISE_MISSED = "promise_missed", _("Promise missed")


class ReminderStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent through the gate")
    BLOCKED = "blocked", _("Blocked by the gate")
    SKIPPED = "skipped", _("Skipped (nothing to remind or no usable channel)")


REMINDER_TRANSITIONS = {
    ReminderStatus.QUEUED: frozenset({ReminderStatus.SENT, ReminderStatus.BLOCKED, ReminderStatus.SKIPPED}),
    ReminderStatus.SENT: frozenset(),
    ReminderStatus.BLOCKED: frozenset(),
    ReminderStatus.SKIPPED: frozenset(),
}


class Reminder(models.Model):
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="payment_reminders",
                                db_constraint=False)
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    promise_id = models.BigIntegerField(null=True, blank=True)
    installment_id = models.BigIntegerField(null=True, blank=True)
    due_date = models.DateField()
    # "reminder:<kind>:<promise|installment id>": never twice, whatever reruns the night.
    idempotency_key = models.CharField(max_length=100, unique=True)
    status = models.CharField(max_length=10, choices=ReminderStatus.choices, default=ReminderStatus.QUEUED)
    not_before = models.DateTimeField(null=True, blank=True, help_text="the next lawful moment the gate gave")
    channel = models.CharField(max_length=8, blank=True)
    attempt_id = models.BigIntegerField(null=True, blank=True)
    detail = models.CharField(max_length=255, blank=True)
    created_on = models.DateField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["status", "not_before"], name="reminder_queued_idx",
                                condition=models.Q(status="queued"))]

    def __str__(self):
        return f"{self.kind} for {self.account_id} ({self.status})"


class ReminderChannel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("Text message")
    LETTER = "letter", _("Letter")


class ReminderPreference(models.Model):
    """How the debtor asked to be reminded. Without one: email, then text, then letter (each only where
    consented: email to an address the consumer agreed to, texts to a cell with TCPA consent)."""

    debtor = models.OneToOneField("accounts.Debtor", on_delete=models.CASCADE, related_name="reminder_preference")
    channel = models.CharField(max_length=8, choices=ReminderChannel.choices)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.debtor_id}: {self.channel}"
