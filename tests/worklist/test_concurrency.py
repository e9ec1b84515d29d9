"""Many processes popping "next account" at once on PostgreSQL: never the same account twice, and a
lease whose holder died comes back after it expires."""

import multiprocessing
from datetime import timedelta

import pytest
from django.db import connection, connections

from collections_app.models import User, WorkItem
from collections_app.worklist.leasing import lease_release, next_account, worklist_sweep
from collections_app.worklist.rescoring import reprioritize_all

from .support import NOW, collector, debt, team_with_queue

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.skipif(connection.vendor != "postgresql", reason="real row locks: PostgreSQL")]
PROCESSES = 8
ACCOUNTS = 32


def _pop_all(username, barrier, results):
    connections.close_all()  # a connection of its own, not the parent's
    user = User.objects.get(username=username)
    barrier.wait()
    got = []
    while True:
        lease = next_account(user=user, now=NOW)
        if lease is None:
            break
        got.append(lease.account.pk)
        # done with it (as a disposition would): not workable again today
        lease_release(user=user, account_id=lease.account.pk, wait_until=NOW + timedelta(days=1), reason="test")
    results.put((username, got))
    connections.close_all()


def _pop_and_die(username, results):
    connections.close_all()
    lease = next_account(user=User.objects.get(username=username), now=NOW)
    results.put(lease.account.pk)
    connections.close_all()
    # the process ends holding the lease, as a collector's browser that closed would


def test_many_processes_never_get_the_same_account():
    team, _ = team_with_queue()
    for i in range(ACCOUNTS):
        debt(balance=f"{100 + i}.00")
    users = [collector(team, f"proc{i}").username for i in range(PROCESSES)]
    reprioritize_all(now=NOW)
    ctx = multiprocessing.get_context("fork")
    barrier, results = ctx.Barrier(PROCESSES), ctx.Queue()
    connections.close_all()
    procs = [ctx.Process(target=_pop_all, args=(u, barrier, results)) for u in users]
    for p in procs:
        p.start()
    popped = dict(results.get(timeout=120) for _ in procs)
    for p in procs:
        p.join(timeout=30)
        assert p.exitcode == 0
    everything = [a for got in popped.values() for a in got]
    assert len(everything) == ACCOUNTS  # every workable account handed out ...
    assert len(set(everything)) == len(everything)  # ... to exactly one collector
    assert sum(1 for got in popped.values() if got) > 1  # and the work was shared


def test_a_dead_holders_lease_expires_and_another_process_gets_the_account():
    team, _ = team_with_queue()
    only = debt()
    dead, alive = collector(team, "dead"), collector(team, "alive")
    reprioritize_all(now=NOW)
    ctx = multiprocessing.get_context("fork")
    results = ctx.Queue()
    connections.close_all()
    p = ctx.Process(target=_pop_and_die, args=(dead.username, results))
    p.start()
    assert results.get(timeout=60) == only.pk
    p.join(timeout=30)
    assert WorkItem.objects.get(pk=only.pk).leased_by_id == dead.pk
    assert next_account(user=alive, now=NOW + timedelta(minutes=14)) is None  # still leased
    assert worklist_sweep(now=NOW + timedelta(minutes=15))["leases_expired"] == 1
    assert next_account(user=alive, now=NOW + timedelta(minutes=15)).account.pk == only.pk
