"""Delivery in a real Celery worker (in-thread, memory broker): sent after commit, re-checked at send."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.utils import timezone
from kombu import pools as kombu_pools

from collections_app.celery import app
from compliance import services
from compliance.gate import contact_send
from compliance.models import AttemptStatus, ContactAttempt

from .support import PHONE, account_in_zone, zone_where_local_hour

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def memory_broker():
    """An in-process broker: this test's worker cannot take tasks from (or give them to) another run."""
    saved = {k: app.conf[k] for k in ("broker_url", "result_backend", "broker_transport_options")}
    _reset_connections()
    app.conf.update(broker_url="memory://", result_backend="cache+memory://", broker_transport_options={})
    yield app
    _reset_connections()
    app.conf.update(saved)


def _reset_connections():
    """Drop pooled broker connections so the next use connects to the configured broker.

    Celery takes its pools from kombu's process-wide registry, keyed by the broker URL: closing the app's
    pool alone left a closed pool registered under "memory://", which the next test using this fixture was
    handed ("Acquire on closed pool"). ``kombu.pools.reset`` closes every pool and empties the registry.
    """
    kombu_pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


def _wait_for(attempt_id, statuses, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        attempt = ContactAttempt.objects.get(pk=attempt_id)
        if attempt.status in statuses:
            return attempt
        time.sleep(0.2)
    raise AssertionError(f"attempt {attempt_id} still {attempt.status}")


def test_worker_sends_allowed_email_and_blocks_at_send_what_the_gate_now_refuses(memory_broker, settings, tmp_path,
                                                                                 users):
    settings.SMS_OUTBOX_DIR = str(tmp_path)
    account = account_in_zone(zone_where_local_hour(range(9, 19), margin_minutes=45))
    email = contact_send(account=account, channel="email", to="robin@example.com", user=users["collector"],
                         idempotency_key="w-email")
    sms = contact_send(account=account, channel="sms", to=PHONE, user=users["collector"], idempotency_key="w-sms")
    assert email.status == sms.status == AttemptStatus.QUEUED
    # Before the worker runs, the debtor replies STOP to texts: the queued text must not go out,
    # while the email (another medium) still may.
    services.restriction_create(kind="medium_opt_out", debtor=account.debtor, user=users["compliance"],
                                fields={"medium": "sms", "requested_at": timezone.now()})
    with start_worker(memory_broker, perform_ping_check=False, pool="solo", loglevel="WARNING"):
        sent = _wait_for(email.pk, {AttemptStatus.SENT, AttemptStatus.FAILED, AttemptStatus.BLOCKED_AT_SEND})
        blocked = _wait_for(sms.pk, {AttemptStatus.SENT, AttemptStatus.FAILED, AttemptStatus.BLOCKED_AT_SEND})
    assert sent.status == AttemptStatus.SENT, sent.send_decision
    assert sent.sent_at is not None
    assert [m.to for m in mail.outbox] == [["robin@example.com"]]
    assert blocked.status == AttemptStatus.BLOCKED_AT_SEND
    assert blocked.send_decision["reasons"] == ["MEDIUM_OPT_OUT"]
    assert not list(tmp_path.iterdir())  # the text was never written to the outbox
