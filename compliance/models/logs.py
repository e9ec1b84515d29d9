"""The contact log: every contact attempt with its decision (the audit log is accounts.AuditEvent).

ContactAttempt rows are never deleted and never edited, except the delivery fields of a queued
attempt (status, sent_at, send_decision, error), which move once through CONTACT_TRANSITIONS in
``compliance.gate.delivery``. PostgreSQL enforces the same (migration 0002).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import AppendOnlyModel, AppendOnlyQuerySet


class Channel(models.TextChoices):
    CALL = "call", _("Call")
    SMS = "sms", _("SMS")
    EMAIL = "email", _("Email")
    LETTER = "letter", _("Letter")


class Direction(models.TextChoices):
    OUTBOUND = "outbound", _("Outbound")
    INBOUND = "inbound", _("Inbound")


class CallOutcome(models.TextChoices):
    """examples.json ``countable_call_outcomes`` vocabulary."""

    NO_ANSWER = "no_answer", _("No answer")
    VOICEMAIL_NO_MESSAGE = "reached_voicemail_no_message_left", _("Voicemail, no message left")
    VOICEMAIL_LCM = "voicemail_left_limited_content", _("Left limited-content voicemail")
    CONVERSATION = "conversation", _("Conversation (right party)")
    OTHER_PERSON = "answered_other_person", _("Answered by someone else")
    BUSY = "busy_signal", _("Busy signal")
    NOT_IN_SERVICE = "number_not_in_service", _("Number not in service")


class Recipient(models.TextChoices):
    CONSUMER = "consumer", _("The consumer")
    THIRD_PARTY = "third_party", _("A third party (location information)")


class Purpose(models.TextChoices):
    COLLECTION = "collection", _("Collection")
    LOCATION = "location_information", _("Location information (15 USC 1692b)")


class AttemptStatus(models.TextChoices):
    BLOCKED = "blocked", _("Blocked by the gate")
    ALLOWED = "allowed", _("Allowed (collector dialled)")
    QUEUED = "queued", _("Queued for delivery")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Delivery failed")
    BLOCKED_AT_SEND = "blocked_at_send", _("Blocked at send time")
    RECEIVED = "received", _("Received (inbound, not gated)")


# The outbound-message state machine: only a queued attempt moves, and only once.
CONTACT_TRANSITIONS: dict[str, frozenset[str]] = {
    AttemptStatus.QUEUED: frozenset({AttemptStatus.SENT, AttemptStatus.FAILED, AttemptStatus.BLOCKED_AT_SEND}),
    AttemptStatus.BLOCKED: frozenset(),
    AttemptStatus.ALLOWED: frozenset(),
    AttemptStatus.SENT: frozenset(),
    AttemptStatus.FAILED: frozenset(),
    AttemptStatus.BLOCKED_AT_SEND: frozenset(),
    AttemptStatus.RECEIVED: frozenset(),
}
DELIVERY_FIELDS = frozenset({"status", "sent_at", "send_decision", "error"})
# Attempts that reached (or may have reached) the debtor, and contacts the debtor made with us:
# they are the engine's contact history.
HAPPENED = (AttemptStatus.ALLOWED, AttemptStatus.QUEUED, AttemptStatus.SENT, AttemptStatus.RECEIVED)
# An inbound call is a conversation, or one we did not pick up (a missed call, a message left for us).
INBOUND_CALL_OUTCOMES = (CallOutcome.CONVERSATION, CallOutcome.NO_ANSWER)


class ContactAttemptQuerySet(AppendOnlyQuerySet):
    def update(self, **kwargs):
        if set(kwargs) - DELIVERY_FIELDS:
            raise TypeError("ContactAttempt is append-only: only delivery fields of a queued attempt change.")
        return super(AppendOnlyQuerySet, self).update(**kwargs)


class ContactAttempt(AppendOnlyModel):
    account = models.ForeignKey("accounts.Account", on_delete=models.PROTECT, related_name="+")
    debtor = models.ForeignKey("accounts.Debtor", on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=8, choices=Channel.choices)
    to = models.CharField(max_length=254, blank=True, help_text="Number, email address or postal address")
    direction = models.CharField(max_length=8, choices=Direction.choices, default=Direction.OUTBOUND)
    outcome = models.CharField(max_length=40, blank=True)
    notes = models.TextField(blank=True)
    debt_ids = models.JSONField(default=list)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    idempotency_key = models.CharField(max_length=100, unique=True)
    requested_at = models.DateTimeField()
    status = models.CharField(max_length=16, choices=AttemptStatus.choices)
    decision = models.JSONField()
    context = models.JSONField(help_text="The facts snapshot the decision was made on")
    content = models.JSONField(default=dict, blank=True, help_text="Subject/body/template of a message")
    sent_at = models.DateTimeField(null=True, blank=True)
    send_decision = models.JSONField(null=True, blank=True, help_text="The gate's decision at send time")
    error = models.TextField(blank=True)
    # Location calls (15 USC 1692b; 12 CFR 1006.10) reach a third party, once each: who it was is
    # kept so the gate can count contacts per third party. db_default: older writers name none of these.
    recipient = models.CharField(max_length=12, choices=Recipient.choices, default=Recipient.CONSUMER,
                                 db_default=Recipient.CONSUMER)
    purpose = models.CharField(max_length=24, choices=Purpose.choices, default=Purpose.COLLECTION,
                               db_default=Purpose.COLLECTION)
    third_party_id = models.CharField(max_length=64, blank=True, default="", db_default="")
    third_party_name = models.CharField(max_length=200, blank=True, default="", db_default="")
    # 1692b(3): another contact is allowed when the person asked for it or the earlier answer was wrong
    further_contact_reason = models.CharField(max_length=40, blank=True, default="", db_default="")
    responds_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="responses",
        help_text="The inbound contact this outbound attempt answers (12 CFR 1006.6(b)(4), 1006.14(h)(2))")

    objects = ContactAttemptQuerySet.as_manager()
    # The only columns the application's database role may UPDATE (accounts.db_roles); the trigger
    # still allows only a queued attempt's one move to its outcome.
    append_only_updatable = tuple(sorted(DELIVERY_FIELDS))

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            # "respond once": at most one response that went out per consumer-initiated contact
            # (comment 6(b)(1)-2); a blocked try does not use it up.
            models.UniqueConstraint(fields=["responds_to"], name="contact_attempt_one_response",
                                    condition=models.Q(status__in=["allowed", "queued", "sent"])),
        ]
        indexes = [
            models.Index(fields=["account", "requested_at"]),
            models.Index(fields=["debtor", "requested_at"]),
            models.Index(fields=["status", "requested_at"]),
        ]

    def __str__(self):
        return f"{self.channel} to {self.to} at {self.requested_at:%Y-%m-%d %H:%M} ({self.status})"

    @property
    def reasons(self) -> list[str]:
        return list((self.send_decision or self.decision or {}).get("reasons") or [])
