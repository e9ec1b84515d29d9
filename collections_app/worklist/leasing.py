""""Next account": a lease on one work item, never held by two collectors at once.

The pop locks its candidate with ``SELECT … FOR UPDATE SKIP LOCKED`` where the database has it
(PostgreSQL), so 32 collectors popping together each get a different row without waiting on one
another; everywhere the lease itself is a compare-and-set (``UPDATE … WHERE leased_by IS NULL``),
which is the portable path (SQLite) and a second guarantee. Before a lease is granted the compliance
gate is asked whether the debtor may be called now; an account it refuses is passed over and gets its
next lawful time stored, when the wake-up sweep makes it ready again.

Order of the pop: the caller's due callbacks, then accounts assigned to the caller, then the queues
the caller works (their own and their team's), each best first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import Account
from collections_app.models import Callback, Queue, WorkItem
from compliance.gate import contact_options

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


def collector_queues(*, user) -> list[int]:
    """The ids of the queues a collector works, in working order: their own and their team's."""
    cond = Q(collectors=user)
    if user.team_id:
        cond |= Q(teams=user.team_id)
    return list(Queue.objects.filter(cond, is_active=True).order_by("position", "id")
                .values_list("pk", flat=True).distinct())


def gate_workable(*, account: Account, now: datetime) -> tuple[bool, datetime | None, str]:
    """May a collector work this account now? (True, None, "") or (False, next lawful time, why).

    Workable means the gate allows a call to one of the debtor's numbers now; a debtor with no usable
    number is workable when any other channel is allowed (a letter or an email can still be sent).
    """
    options = contact_options(account=account, now=now)
    calls = [o for o in options if o["channel"] == "call"]
    considered = calls or options
    if any(o["decision"] == "allow" for o in considered):
        return True, None, ""
    if not considered:
        return False, now + RECHECK_BLOCKED, "no usable phone, email or address"
    times = [datetime.fromisoformat(o["next_allowed_at"]) for o in considered if o.get("next_allowed_at")]
    reasons = sorted({r for o in considered for r in o.get("reasons", [])})
    why = ", ".join(reasons)[:300] or "blocked by the gate"
    return False, (min(times) if times else now + RECHECK_BLOCKED), why


def _lockable(qs):
    """``FOR UPDATE SKIP LOCKED`` where supported; elsewhere the compare-and-set below decides."""
    if connection.features.has_select_for_update_skip_locked:
        return qs.select_for_update(skip_locked=True, of=("self",))
    return qs


def _take(item_id: int, *, user, now: datetime) -> bool:
    """The lease as a compare-and-set: only one caller can move leased_by from NULL."""
    return WorkItem.objects.filter(pk=item_id, leased_by__isnull=True).update(
        leased_by=user, leased_at=now, lease_expires_at=now + timedelta(seconds=lease_seconds())) == 1


def _sources(*, user, now: datetime, queue_ids: list[int]):
    """Where the caller's next account comes from, in order: one querysets each, best row first."""
    due = Callback.objects.filter(collector=user, done_at__isnull=True, due_at__lte=now).values("account_id")
    yield "callback", WorkItem.objects.filter(account_id__in=due, leased_by__isnull=True).order_by("account_id")
    yield "owned", (WorkItem.objects.filter(owner=user, ready=True, leased_by__isnull=True)
                    .order_by("-priority", "account_id"))
    for queue_id in queue_ids:
        yield "queue", (WorkItem.objects.filter(queue_id=queue_id, owner__isnull=True, ready=True,
                                                leased_by__isnull=True)
                        .order_by("-priority", "account_id"))


def _try_pop(*, user, now: datetime, queue_ids: list[int]) -> tuple[str, WorkItem | None, Callback | None]:
    """One transaction: lock the best candidate, ask the gate, lease it or store when it may come back.

    Returns ("leased", item, callback), ("passed", item, None), ("lost", None, None) when another
    collector took the row first (portable path only), or ("empty", None, None).
    """
    with transaction.atomic():
        for kind, qs in _sources(user=user, now=now, queue_ids=queue_ids):
            rows = list(_lockable(qs)[:1])
            if not rows:
                continue
            item = rows[0]
            account = Account.objects.select_related("debtor", "creditor").get(pk=item.account_id)
            ok, next_at, why = gate_workable(account=account, now=now)
            callback = None
            if kind == "callback":
                callback = (Callback.objects.filter(collector=user, account_id=item.account_id, done_at__isnull=True,
                                                    due_at__lte=now).order_by("due_at").first())
            if not ok:
                if callback is not None:
                    # the debtor asked for this time but the gate says not now: the callback waits
                    Callback.objects.filter(pk=callback.pk).update(due_at=next_at)
                WorkItem.objects.filter(pk=item.pk).update(ready=False, next_contact_at=next_at,
                                                           wait_reason=f"gate: {why}"[:300])
                return "passed", item, None
            if not _take(item.pk, user=user, now=now):
                return "lost", None, None
            item.refresh_from_db()
            return "leased", item, callback
    return "empty", None, None


def next_account(*, user, now: datetime | None = None) -> Lease | None:
    """Lease the caller's next workable account, or None when nothing is workable now.

    Raises StillHolding while the caller holds an account without a disposition.
    """
    now = now or timezone.now()
    held = held_by(user=user, now=now)
    if held is not None:
        raise StillHolding(held)
    queue_ids = collector_queues(user=user)
    for _ in range(MAX_GATE_SKIPS):
        outcome, item, callback = _try_pop(user=user, now=now, queue_ids=queue_ids)
        if outcome == "leased":
            return Lease(item=item, account=Account.objects.select_related("debtor", "creditor").get(pk=item.pk),
                         expires_at=item.lease_expires_at, callback=callback)
        if outcome == "empty":
            return None
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
