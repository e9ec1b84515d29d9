"""Reminders go through the gate, only in the debtor's lawful window, never twice, in their language."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.services import ledger_entry_post
from collections_app.nightly import run_night
from compliance.models import ContactAttempt
from payments.models import Reminder, ReminderStatus
from payments.services import promise_create
from payments.services.reminders import reminder_send
from tests.gate.support import at, atlanta_account

pytestmark = pytest.mark.django_db


def _account_with_promise(users, language="en"):
    account = atlanta_account(status="active")
    account.debtor.preferred_language = language
    account.debtor.save()
    account.debtor.emails.update(consent_at=timezone.now() - timedelta(days=30))
    ledger_entry_post(account=account, kind="charge", amount="400.00", posted_date=timezone.localdate(),
                      source="placement", reference=f"{account.pk}-open")
    account.refresh_from_db()
    promise_create(account=account, amount="100.00", due_date=timezone.localdate() + timedelta(days=1),
                   method="ach", user=users["collector"])
    run_night(today=timezone.localdate(), only=["reminders"])
    return account, Reminder.objects.get(account=account)


def test_a_reminder_at_night_waits_for_the_lawful_window_then_goes_once_through_the_gate(users):
    account, reminder = _account_with_promise(users)
    late = reminder_send(reminder_id=reminder.pk, now=at(2025, 6, 10, 22))  # 22:00 in Atlanta
    assert late.status == ReminderStatus.QUEUED and late.not_before is not None
    assert ContactAttempt.objects.filter(account=account).count() == 0
    early = reminder_send(reminder_id=reminder.pk, now=at(2025, 6, 10, 23, 30))  # before not_before: nothing
    assert early.status == ReminderStatus.QUEUED
    sent = reminder_send(reminder_id=reminder.pk, now=at(2025, 6, 11, 10))
    assert sent.status == ReminderStatus.SENT and sent.channel == "email"
    attempt = ContactAttempt.objects.get(pk=sent.attempt_id)
    assert attempt.idempotency_key == reminder.idempotency_key
    assert "STOP" in attempt.content["body"] and "promised payment of $100.00" in attempt.content["body"]
    again = reminder_send(reminder_id=reminder.pk, now=at(2025, 6, 11, 11))
    assert again.status == ReminderStatus.SENT
    assert ContactAttempt.objects.filter(account=account).count() == 1


def test_a_spanish_speaker_gets_the_spanish_reminder_with_a_spanish_opt_out(users):
    account, reminder = _account_with_promise(users, language="es")
    sent = reminder_send(reminder_id=reminder.pk, now=at(2025, 6, 11, 10))
    body = ContactAttempt.objects.get(pk=sent.attempt_id).content["body"]
    assert "Le recordamos su pago prometido de $100.00" in body and "responda con la palabra STOP" in body


def test_a_cease_request_blocks_the_reminder_and_the_block_is_logged(users):
    from compliance.models import CeaseRequest

    account, reminder = _account_with_promise(users)
    CeaseRequest.objects.create(debtor=account.debtor, received_at=at(2025, 6, 1))
    done = reminder_send(reminder_id=reminder.pk, now=at(2025, 6, 11, 10))
    assert done.status == ReminderStatus.BLOCKED
    assert ContactAttempt.objects.get(pk=done.attempt_id).status == "blocked"
    assert reminder_send(reminder_id=reminder.pk, now=at(2025, 6, 11, 11)).status == ReminderStatus.BLOCKED
    assert ContactAttempt.objects.filter(account=account).count() == 1
