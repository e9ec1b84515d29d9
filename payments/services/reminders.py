"""Sending queued reminders: each through the compliance gate, in the debtor's lawful window, once."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import Account
from compliance.gate import contact_check, contact_send
from compliance.models import AttemptStatus
from payments.models import Installment, Promise, Reminder, ReminderPreference, ReminderStatus
from payments.reminder_text import reminder_content

from .status import reminder_status_change

DEFAULT_ORDER = ("email", "sms", "letter")
# A reminder the gate cannot allow within this long (a cease, a dispute ...) is recorded as blocked.
MAX_DEFER = timedelta(days=3)


def _candidates(account: Account) -> list[tuple[str, str]]:
    """(channel, to) in the debtor's preferred order, each only where the debtor consented to it."""
    debtor = account.debtor
    pref = ReminderPreference.objects.filter(debtor_id=debtor.pk).values_list("channel", flat=True).first()
    order = ([pref] if pref else []) + [c for c in DEFAULT_ORDER if c != pref]
    found = []
    for channel in order:
        if channel == "email":
            found += [("email", e.address) for e in debtor.emails.all() if e.status == "active" and e.consent_at]
        elif channel == "sms":
            found += [("sms", p.number) for p in debtor.phones.all()
                      if p.status == "active" and p.phone_type == "cell" and p.tcpa_consent and not p.tcpa_revoked_at]
        elif channel == "letter":
            found += [("letter", str(a)) for a in debtor.addresses.all() if a.status == "active"]
    return found


def _still_relevant(reminder: Reminder) -> tuple[bool, object]:
    if reminder.promise_id:
        promise = Promise.objects.filter(pk=reminder.promise_id).first()
        wanted = ("open",) if reminder.kind == "promise_due" else ("broken",)
        return bool(promise and promise.status in wanted), promise
    inst = Installment.objects.select_related("plan").filter(pk=reminder.installment_id).first()
    wanted = ("scheduled",) if reminder.kind == "installment_due" else ("missed",)
    return bool(inst and inst.status in wanted and inst.plan.status == "active"), inst


def reminder_send(*, reminder_id: int, now: datetime | None = None) -> Reminder:
    """Send one queued reminder through the gate, or defer it to the next lawful moment, or record
    why not. Idempotent: only a queued reminder is acted on, and the gate's key is the reminder's."""
    now = now or timezone.now()
    with transaction.atomic():
        reminder = Reminder.objects.select_for_update().get(pk=reminder_id)
        if reminder.status != ReminderStatus.QUEUED or (reminder.not_before and reminder.not_before > now):
            return reminder
        relevant, target = _still_relevant(reminder)
        if not relevant:
            return reminder_status_change(reminder=reminder, to_status=ReminderStatus.SKIPPED,
                                          fields={"detail": "paid, cancelled or no longer due"})
        account = Account.objects.select_related("debtor", "creditor").get(pk=reminder.account_id)
        candidates = _candidates(account)
        if not candidates:
            return reminder_status_change(reminder=reminder, to_status=ReminderStatus.SKIPPED,
                                          fields={"detail": "no consented channel"})
        # The preferred channel first: if only the hour stands in the way, wait for its lawful window
        # rather than falling back; fall back only past a block that waiting will not lift.
        chosen = None
        for channel, to in candidates:
            decision = contact_check(account=account, channel=channel, to=to, now=now)
            if decision["decision"] == "allow":
                chosen = (channel, to)
                break
            if decision.get("next_allowed_at"):
                at = datetime.fromisoformat(decision["next_allowed_at"])
                if at - now <= MAX_DEFER:
                    Reminder.objects.filter(pk=reminder.pk).update(not_before=at, detail="waiting for a lawful time")
                    reminder.not_before = at
                    return reminder
        channel, to = chosen or candidates[0]
        content = reminder_content(kind=reminder.kind, channel=channel, language=account.debtor.preferred_language,
                                   amount=target.amount, due_date=target.due_date,
                                   account_number=account.creditor_account_number)
        # The gate logs the attempt (allowed or blocked) with its decision; its key makes a retry a no-op.
        attempt = contact_send(account=account, channel=channel, to=to, user=None, content=content,
                               idempotency_key=reminder.idempotency_key, now=now,
                               notes=f"Payment reminder: {reminder.get_kind_display()}")
        sent = attempt.status != AttemptStatus.BLOCKED
        return reminder_status_change(
            reminder=reminder, to_status=ReminderStatus.SENT if sent else ReminderStatus.BLOCKED,
            fields={"channel": channel, "attempt_id": attempt.pk,
                    "detail": "" if sent else ", ".join(attempt.reasons)[:255]})


def reminders_due(*, now: datetime | None = None, limit: int = 1000) -> list[int]:
    from django.db.models import Q

    now = now or timezone.now()
    return list(Reminder.objects.filter(status=ReminderStatus.QUEUED)
                .filter(Q(not_before__isnull=True) | Q(not_before__lte=now))
                .order_by("id").values_list("id", flat=True)[:limit])
