"""Sending a queued attempt: re-ask the gate at send time, then hand it to its channel."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import Account
from compliance.channels import PermanentDeliveryError, TransientDeliveryError, channel_for
from compliance.engine import evaluate
from compliance.models import CONTACT_TRANSITIONS, AttemptStatus, ContactAttempt

from .policy import policy_table
from .snapshot import build_context

__all__ = ["TransientDeliveryError", "contact_attempt_status_change", "deliver", "give_up"]


def contact_attempt_status_change(*, attempt: ContactAttempt, to_status: str, **fields) -> ContactAttempt:
    """The one place a contact attempt's status moves (queued -> sent | failed | blocked_at_send)."""
    if to_status not in CONTACT_TRANSITIONS.get(attempt.status, frozenset()):
        raise ValueError(f"A contact attempt cannot move from {attempt.status!r} to {to_status!r}.")
    with transaction.atomic():
        updated = ContactAttempt.objects.filter(pk=attempt.pk, status=attempt.status).update(status=to_status, **fields)
        if not updated:
            raise ValueError("The attempt's status changed meanwhile.")
    attempt.status = to_status
    for name, value in fields.items():
        setattr(attempt, name, value)
    return attempt


def deliver(*, attempt_id: int, now: datetime | None = None) -> ContactAttempt:
    """Send one queued attempt if the gate still allows it; safe to run twice.

    The decision is taken again at send time (a dispute or cease may have arrived, the local
    hour may have passed 21:00): if it no longer allows the contact the attempt ends as
    ``blocked_at_send``. Transient channel errors propagate so the task can retry.
    """
    with transaction.atomic():
        attempt = ContactAttempt.objects.select_for_update().get(pk=attempt_id)
        if attempt.status != AttemptStatus.QUEUED:
            return attempt  # already handled: a redelivered task changes nothing
        account = Account.objects.select_for_update().get(pk=attempt.account_id)
        now = now or timezone.now()
        context = build_context(account=account, action=attempt.context["action"], now=now,
                                exclude_attempt_id=attempt.pk)
        decision = evaluate(context, policy=policy_table(on=now.date()))
        if decision["decision"] != "allow":
            return contact_attempt_status_change(attempt=attempt, to_status=AttemptStatus.BLOCKED_AT_SEND,
                                                 send_decision=decision)
        try:
            channel_for(attempt.channel).send(attempt)
        except PermanentDeliveryError as exc:
            return contact_attempt_status_change(attempt=attempt, to_status=AttemptStatus.FAILED,
                                                 send_decision=decision, error=str(exc)[:2000])
        return contact_attempt_status_change(attempt=attempt, to_status=AttemptStatus.SENT, sent_at=now,
                                             send_decision=decision)


def give_up(*, attempt_id: int, error: str) -> ContactAttempt:
    """After the last retry of a transient failure: the attempt ends as failed."""
    with transaction.atomic():
        attempt = ContactAttempt.objects.select_for_update().get(pk=attempt_id)
        if attempt.status != AttemptStatus.QUEUED:
            return attempt
        return contact_attempt_status_change(attempt=attempt, to_status=AttemptStatus.FAILED, error=error[:2000])
