"""Rescoring by task name in a real Celery worker (in-thread, memory broker): a restriction that ends
brings the account back at once, without waiting for the night."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.db import OperationalError
from django.utils import timezone

from collections_app.models import WorkItem
from collections_app.worklist.leasing import next_account
from collections_app.worklist.rescoring import reprioritize_all
from compliance.services import restriction_create, restriction_end
from tests.gate.support import zone_where_local_hour
from tests.gate.test_delivery_worker import memory_broker  # noqa: F401 (fixture)

from .support import collector, debt, team_with_queue

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _wait_for(predicate, timeout=30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if predicate():
                return
        except OperationalError:  # SQLite in memory: the worker thread holds the table this instant
            pass
        time.sleep(0.2)
    raise AssertionError("the worker did not rescore the account in time")


def test_ending_a_cease_rescores_the_account_on_a_worker_and_it_is_workable_again(memory_broker):  # noqa: F811
    team, _ = team_with_queue()
    ann = collector(team, "workerann")
    account = debt(zone=zone_where_local_hour(range(10, 19), margin_minutes=30))
    reprioritize_all()
    cease = restriction_create(kind="cease", debtor=account.debtor, user=ann, fields={"received_at": timezone.now()})
    assert next_account(user=ann) is None  # the gate passes over it ...
    item = WorkItem.objects.get(pk=account.pk)
    assert not item.ready and item.wait_reason.startswith("gate:")
    # Ended before the worker starts (the task waits on the broker): on SQLite in memory, a worker thread
    # starting up can hold a table lock the instant the request's transaction begins.
    restriction_end(restriction=cease, user=ann, reason="entered in error")
    assert not WorkItem.objects.get(pk=account.pk).ready  # nothing rescored it in the request itself
    with start_worker(memory_broker, perform_ping_check=False, pool="solo", concurrency=1, loglevel="WARNING"):
        _wait_for(lambda: WorkItem.objects.get(pk=account.pk).ready)
    assert WorkItem.objects.get(pk=account.pk).wait_reason == ""
    assert next_account(user=ann).account.pk == account.pk
