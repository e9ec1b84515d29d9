""""Next account": a lease on one work item, never held by two collectors at once.

The pop is one statement on PostgreSQL, ``UPDATE … WHERE account_id = (SELECT … FOR UPDATE SKIP
LOCKED)`` on a partial index of ready, unleased items, so 32 collectors popping together each get a
different row without waiting on one another; elsewhere (SQLite) the lease is a compare-and-set
(``UPDATE … WHERE leased_by IS NULL``). The pop reads no compliance facts: an account the gate cannot
contact now is stored not ready with its next lawful time, and the wake-up sweep makes it ready again
then. The gate is asked once, about the popped account, before it is handed out; if it now refuses,
the account is given back with its new lawful time and the next one is popped.

Order of the pop: the caller's due callbacks, then accounts assigned to the caller, then the queues
the caller works (their own and their team's), each best first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import Account, Creditor, Debtor
from accounts.prepared import columns, execute, from_row, get_by_pk
from collections_app.models import Callback, Queue, WorkItem
from compliance.gate import contact_options
from compliance.gate.policy import fingerprint_sql

# Candidates the gate may pass over in one pop before answering "nothing workable now" (each costs
# one gate evaluation; the passed-over accounts are stored as not ready, so the next pop moves on).
MAX_GATE_SKIPS = 25
# When the gate blocks with no time at which waiting helps (cease, no usable number, ...), look
# again after this long; a restriction that changes rescores the account at once anyway.
RECHECK_BLOCKED = timedelta(days=1)


class StillHolding(Exception):
    """The collector holds an account without a disposition (the API answers 409)."""

    def __init__(self, item: WorkItem):
        super().__init__(f"You still hold account {item.account_id}: record a disposition or skip it first.")
        self.item = item


@dataclass
class Lease:
    item: WorkItem
    account: Account
    expires_at: datetime
    callback: Callback | None = None


def lease_seconds() -> int:
    return settings.WORKLIST_LEASE_SECONDS


def held_by(*, user, now: datetime | None = None) -> WorkItem | None:
    now = now or timezone.now()
    return (WorkItem.objects.filter(leased_by=user, lease_expires_at__gt=now)
            .select_related("account").order_by("leased_at").first())


def held_account_id(*, user, now: datetime | None = None) -> int | None:
    """The id of the account the caller holds, if any (``held_by`` without reading the item)."""
    now = now or timezone.now()
    with connection.cursor() as cursor:
        execute(cursor, f"SELECT account_id FROM {WorkItem._meta.db_table} WHERE leased_by_id = %s "
                        f"AND lease_expires_at > %s ORDER BY leased_at LIMIT 1", [user.pk, now])
        row = cursor.fetchone()
    return row[0] if row else None


def collector_queues(*, user) -> list[int]:
    """The ids of the queues a collector works, in working order: their own and their team's."""
    cond = Q(collectors=user)
    if user.team_id:
        cond |= Q(teams=user.team_id)
    return list(Queue.objects.filter(cond, is_active=True).order_by("position", "id")
                .values_list("pk", flat=True).distinct())


def gate_workable(*, account: Account, now: datetime,
                  policy_fingerprint: str | None = None) -> tuple[bool, datetime | None, str]:
    """May a collector work this account now? (True, None, "") or (False, next lawful time, why).

    Workable means the gate allows a call to one of the debtor's numbers now; a debtor with no usable
    number is workable when any other channel is allowed (a letter or an email can still be sent).
    ``policy_fingerprint``: the state policy table's digest, read with the collector's standing.
    """
    # ``account`` was just read with its creditor and debtor (``next_account``): the snapshot uses it
    considered = (contact_options(account=account, now=now, channels=("call",), loaded=True,
                                  policy_fingerprint=policy_fingerprint)
                  or contact_options(account=account, now=now, loaded=True, policy_fingerprint=policy_fingerprint))
    if any(o["decision"] == "allow" for o in considered):
        return True, None, ""
    if not considered:
        return False, now + RECHECK_BLOCKED, "no usable phone, email or address"
    times = [datetime.fromisoformat(o["next_allowed_at"]) for o in considered if o.get("next_allowed_at")]
    reasons = sorted({r for o in considered for r in o.get("reasons", [])})
    why = ", ".join(reasons)[:300] or "blocked by the gate"
    return False, (min(times) if times else now + RECHECK_BLOCKED), why


# The leased item, its account, the account's debtor and creditor: one statement and one round trip.
_POP_PG = """
  WITH popped AS (
    UPDATE collections_app_workitem SET leased_by_id = %s, leased_at = %s, lease_expires_at = %s
    WHERE account_id = (SELECT account_id FROM collections_app_workitem WHERE {where}
                        ORDER BY {order} LIMIT 1 FOR UPDATE SKIP LOCKED)
    RETURNING {columns})
  SELECT popped.*, {account_columns} FROM popped
  JOIN {account} a ON a.id = popped.account_id JOIN {debtor} d ON d.id = a.debtor_id
  JOIN {creditor} c ON c.id = a.creditor_id"""


@dataclass
class Standing:
    """Where a collector stands before a pop: the account they hold, their due callbacks, whether
    anything is assigned to them, and the queues they work (in working order). On PostgreSQL it also
    carries the state policy table's digest, so the gate does not read it in a round trip of its own."""
    held_id: int | None
    due_callbacks: list[int]
    owns_ready: bool
    queue_ids: list[int]
    policy_fingerprint: str | None = None


def _standing_sql() -> str:
    item, callback = WorkItem._meta.db_table, Callback._meta.db_table
    queue = Queue._meta.db_table
    by_user = Queue.collectors.through._meta.db_table
    by_team = Queue.teams.through._meta.db_table
    return f"""
      SELECT
        (SELECT account_id FROM {item} WHERE leased_by_id = %s AND lease_expires_at > %s
         ORDER BY leased_at LIMIT 1),
        ARRAY(SELECT DISTINCT account_id FROM {callback}
              WHERE collector_id = %s AND done_at IS NULL AND due_at <= %s LIMIT 50),
        EXISTS (SELECT 1 FROM {item} WHERE owner_id = %s AND ready AND leased_by_id IS NULL),
        ARRAY(SELECT q.id FROM {queue} q WHERE q.is_active AND (
                EXISTS (SELECT 1 FROM {by_user} c WHERE c.queue_id = q.id AND c.user_id = %s)
                OR EXISTS (SELECT 1 FROM {by_team} t WHERE t.queue_id = q.id AND t.team_id = %s))
              ORDER BY q.position, q.id),
        ({fingerprint_sql()})"""


def standing(*, user, now: datetime) -> Standing:
    """``Standing`` in one round trip on PostgreSQL (a pop's first question); with the ORM elsewhere."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            execute(cursor, _standing_sql(),
                    [user.pk, now, user.pk, now, user.pk, user.pk, user.team_id])
            held_id, due, owns, queue_ids, fingerprint = cursor.fetchone()
        return Standing(held_id=held_id, due_callbacks=list(due), owns_ready=owns, queue_ids=list(queue_ids),
                        policy_fingerprint=fingerprint)
    held_id = held_account_id(user=user, now=now)
    due = list(Callback.objects.filter(collector=user, done_at__isnull=True, due_at__lte=now).order_by()
               .values_list("account_id", flat=True).distinct()[:50])
    owns = WorkItem.objects.filter(owner=user, ready=True, leased_by__isnull=True).exists()
    return Standing(held_id=held_id, due_callbacks=due, owns_ready=owns,
                    queue_ids=collector_queues(user=user))


def _pop_sql(*, user, kind: str, key) -> tuple[str, str, list]:
    """The source's candidate condition and order, on its partial index (see WorkItem.Meta.indexes)."""
    if kind == "callback":
        return "account_id = ANY(%s) AND leased_by_id IS NULL", "account_id", [key]
    if kind == "owned":
        return ("owner_id = %s AND ready AND leased_by_id IS NULL", "priority DESC, account_id", [user.pk])
    return ("queue_id = %s AND owner_id IS NULL AND ready AND leased_by_id IS NULL", "priority DESC, account_id",
            [key])


@cache
def _pop_pg_sql(where: str, order: str) -> str:
    return _POP_PG.format(where=where, order=order, columns=columns(WorkItem, WorkItem._meta.db_table),
                          account_columns=_account_columns(), account=Account._meta.db_table,
                          debtor=Debtor._meta.db_table, creditor=Creditor._meta.db_table)


def _pop(*, user, now: datetime, kind: str, key) -> tuple[WorkItem, Account] | None:
    """Lease the source's best candidate in one statement: its work item and its account (with the
    debtor and creditor, as ``_account`` reads it), or None when the source has none.

    PostgreSQL: ``UPDATE … WHERE account_id = (SELECT … LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING``
    every column, joined to the account, debtor and creditor: one round trip and a row lock held only
    for that statement, so 32 collectors popping at once each get a different row without waiting on
    one another. Elsewhere (SQLite): read the best candidate, then the compare-and-set
    ``UPDATE … WHERE leased_by IS NULL`` decides who gets it.
    """
    expires = now + timedelta(seconds=lease_seconds())
    if connection.vendor == "postgresql":
        where, order, params = _pop_sql(user=user, kind=kind, key=key)
        with connection.cursor() as cursor:
            execute(cursor, _pop_pg_sql(where, order), [user.pk, now, expires, *params])
            row = cursor.fetchone()
        if row is None:
            return None
        width = len(WorkItem._meta.concrete_fields)
        return from_row(WorkItem, row[:width]), _account_from_row(row[width:])
    for _ in range(MAX_GATE_SKIPS):
        qs = WorkItem.objects.filter(leased_by__isnull=True)
        if kind == "callback":
            qs = qs.filter(account_id__in=key).order_by("account_id")
        elif kind == "owned":
            qs = qs.filter(owner=user, ready=True).order_by("-priority", "account_id")
        else:
            qs = qs.filter(queue_id=key, owner__isnull=True, ready=True).order_by("-priority", "account_id")
        candidate = qs.values_list("account_id", flat=True).first()
        if candidate is None:
            return None
        if WorkItem.objects.filter(pk=candidate, leased_by__isnull=True).update(
                leased_by=user, leased_at=now, lease_expires_at=expires) == 1:
            return WorkItem.objects.get(pk=candidate), _account(candidate)
    return None


def _sources(*, standing: Standing):
    """Where the caller's next account comes from, in order: (kind, key) for ``_pop``."""
    if standing.due_callbacks:
        yield "callback", standing.due_callbacks
    if standing.owns_ready:
        yield "owned", None
    for queue_id in standing.queue_ids:
        yield "queue", queue_id


def _account_columns() -> str:
    return f"{columns(Account, 'a')}, {columns(Debtor, 'd')}, {columns(Creditor, 'c')}"


@cache
def _account_sql() -> str:
    a, d, c = Account._meta.db_table, Debtor._meta.db_table, Creditor._meta.db_table
    return (f"SELECT {_account_columns()} FROM {a} a"
            f" JOIN {d} d ON d.id = a.debtor_id JOIN {c} c ON c.id = a.creditor_id WHERE a.id = %s")


def _account_from_row(row) -> Account:
    n_account, n_debtor = len(Account._meta.concrete_fields), len(Debtor._meta.concrete_fields)
    account = from_row(Account, row[:n_account])
    account.debtor = from_row(Debtor, row[n_account:n_account + n_debtor])
    account.creditor = from_row(Creditor, row[n_account + n_debtor:])
    return account


def _account(account_id: int) -> Account:
    """The account with its debtor and creditor, as ``select_related`` would give it: one read on
    PostgreSQL (prepared once per connection, a pop's hottest lookup), three compiled reads elsewhere."""
    if connection.vendor != "postgresql":
        account = get_by_pk(Account, account_id)
        account.debtor = get_by_pk(Debtor, account.debtor_id)
        account.creditor = get_by_pk(Creditor, account.creditor_id)
        return account
    with connection.cursor() as cursor:
        execute(cursor, _account_sql(), [account_id])
        row = cursor.fetchone()
    if row is None:
        raise Account.DoesNotExist(f"Account {account_id} does not exist")
    return _account_from_row(row)


def _pass_over(*, user, account_id: int, next_at: datetime, why: str, callback: Callback | None) -> None:
    """The gate said not now: give the lease back and store when the account may come back."""
    with transaction.atomic():
        if callback is not None:
            # the debtor asked for this time but the gate says not now: the callback waits
            Callback.objects.filter(pk=callback.pk).update(due_at=next_at)
        WorkItem.objects.filter(pk=account_id, leased_by=user).update(
            leased_by=None, leased_at=None, lease_expires_at=None, ready=False, next_contact_at=next_at,
            wait_reason=f"gate: {why}"[:300])


def next_account(*, user, now: datetime | None = None) -> Lease | None:
    """Lease the caller's next workable account, or None when nothing is workable now.

    The pop reads only the work items' stored state: ``ready`` is false while an account waits for
    its next lawful time (``next_contact_at``, stored when the gate last refused it and cleared when
    anything the gate reads changes: ``rescoring.rescore_account``), and the sweep makes it ready
    again at that time. The gate is then asked once about the single account popped, before it is
    handed out: it is the only door. If it now says no, the account gets its new lawful time and the
    next candidate is popped.

    Raises StillHolding while the caller holds an account without a disposition.
    """
    now = now or timezone.now()
    where = standing(user=user, now=now)
    if where.held_id is not None:
        raise StillHolding(held_by(user=user, now=now))
    skips = 0
    for kind, key in _sources(standing=where):
        while skips < MAX_GATE_SKIPS:
            popped = _pop(user=user, now=now, kind=kind, key=key)
            if popped is None:
                break
            item, account = popped
            account_id = item.account_id
            callback = None
            if kind == "callback":
                callback = (Callback.objects.filter(collector=user, account_id=account_id, done_at__isnull=True,
                                                    due_at__lte=now).order_by("due_at").first())
            ok, next_at, why = gate_workable(account=account, now=now, policy_fingerprint=where.policy_fingerprint)
            if ok:
                return Lease(item=item, account=account, expires_at=item.lease_expires_at, callback=callback)
            _pass_over(user=user, account_id=account_id, next_at=next_at, why=why, callback=callback)
            skips += 1
            if kind == "callback":
                key = [i for i in key if i != account_id]
                if not key:
                    break
        if skips >= MAX_GATE_SKIPS:
            break
    return None


def lease_release(*, user, account_id: int, wait_until: datetime | None = None, reason: str = "") -> bool:
    """End the caller's lease on an account (after a disposition or a skip)."""
    fields = {"leased_by": None, "leased_at": None, "lease_expires_at": None}
    if wait_until is not None:
        fields.update(ready=False, next_contact_at=wait_until, wait_reason=reason[:300])
    return WorkItem.objects.filter(pk=account_id, leased_by=user).update(**fields) == 1


def worklist_sweep(*, now: datetime | None = None) -> dict:
    """Free expired leases and wake accounts whose next lawful time has come (set-based, rerun-safe)."""
    now = now or timezone.now()
    expired = WorkItem.objects.filter(leased_by__isnull=False, lease_expires_at__lte=now).update(
        leased_by=None, leased_at=None, lease_expires_at=None)
    woken = (WorkItem.objects.filter(ready=False, next_contact_at__isnull=False, next_contact_at__lte=now,
                                     hold_reason="")
             .filter(Q(queue__isnull=False) | Q(owner__isnull=False))
             .update(ready=True, next_contact_at=None, wait_reason=""))
    return {"leases_expired": expired, "woken": woken}
