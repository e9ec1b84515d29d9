"""The delivery task's failure paths, with the task function called directly (no broker, no eager mode)."""

import pytest

from compliance import tasks
from compliance.gate import contact_send
from compliance.gate import delivery as delivery_module
from compliance.models import AttemptStatus, ContactAttempt

from .support import account_in_zone, zone_where_local_hour

pytestmark = pytest.mark.django_db
# the channels' error types, as the gate's delivery module sees them (only the gate imports channels)
PermanentDeliveryError = delivery_module.PermanentDeliveryError
TransientDeliveryError = delivery_module.TransientDeliveryError


class FailingChannel:
    def __init__(self, error):
        self.error, self.calls = error, 0

    def send(self, attempt):
        self.calls += 1
        raise self.error


@pytest.fixture
def queued_email(users):
    # delivery re-asks the gate at the real "now": pick a debtor for whom it is mid-day
    account = account_in_zone(zone_where_local_hour(range(9, 19), margin_minutes=45))
    attempt = contact_send(account=account, channel="email", to="robin@example.com", user=users["collector"],
                           idempotency_key="retry-email")
    assert attempt.status == AttemptStatus.QUEUED
    return attempt


def run_task(attempt_id, *, retries):
    """deliver_contact's body as the worker runs it on its ``retries``-th retry."""
    tasks.deliver_contact.push_request(retries=retries)
    try:
        return tasks.deliver_contact.run(attempt_id)
    finally:
        tasks.deliver_contact.pop_request()


def test_transient_error_is_raised_for_celery_to_retry_and_the_attempt_stays_queued(monkeypatch, queued_email):
    channel = FailingChannel(TransientDeliveryError("smtp 421 try later"))
    monkeypatch.setattr(delivery_module, "channel_for", lambda name: channel)
    with pytest.raises(TransientDeliveryError, match="421"):
        run_task(queued_email.pk, retries=0)
    assert channel.calls == 1
    assert ContactAttempt.objects.get(pk=queued_email.pk).status == AttemptStatus.QUEUED
    assert TransientDeliveryError in tasks.deliver_contact.autoretry_for
    assert PermanentDeliveryError not in tasks.deliver_contact.autoretry_for


def test_after_the_last_retry_a_transient_error_marks_the_attempt_failed(monkeypatch, queued_email):
    monkeypatch.setattr(delivery_module, "channel_for", lambda name: FailingChannel(TransientDeliveryError("timeout")))
    status = run_task(queued_email.pk, retries=tasks.MAX_DELIVERY_RETRIES)
    attempt = ContactAttempt.objects.get(pk=queued_email.pk)
    assert status == attempt.status == AttemptStatus.FAILED
    assert attempt.error == "gave up after retries: timeout"
    assert attempt.sent_at is None


def test_permanent_error_marks_the_attempt_failed_at_once_without_retry(monkeypatch, queued_email):
    channel = FailingChannel(PermanentDeliveryError("550 no such mailbox"))
    monkeypatch.setattr(delivery_module, "channel_for", lambda name: channel)
    assert run_task(queued_email.pk, retries=0) == AttemptStatus.FAILED
    attempt = ContactAttempt.objects.get(pk=queued_email.pk)
    assert attempt.error == "550 no such mailbox"
    assert attempt.send_decision["decision"] == "allow"  # the gate allowed it; the channel refused


def test_a_redelivered_task_after_failure_changes_nothing(monkeypatch, queued_email):
    monkeypatch.setattr(delivery_module, "channel_for", lambda name: FailingChannel(PermanentDeliveryError("bad")))
    run_task(queued_email.pk, retries=0)
    channel = FailingChannel(AssertionError("must not send again"))
    monkeypatch.setattr(delivery_module, "channel_for", lambda name: channel)
    assert run_task(queued_email.pk, retries=1) == AttemptStatus.FAILED
    assert channel.calls == 0
