"""Reads for the worklist pages: the collector's home, the workspace's lease, the supervisor's queues."""

from __future__ import annotations

from datetime import datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from collections_app.models import Callback, CounselingAgency, DashQueue, Disposition, Queue, WorkItem
from collections_app.models.worklist import agency_today
from payments.models import Promise, PromiseStatus

from . import scoring
from .leasing import collector_queues, held_by


def _day_bounds(now: datetime) -> tuple[datetime, datetime]:
    zone = ZoneInfo(settings.AGENCY_TIME_ZONE)
    day = now.astimezone(zone).date()
    start = datetime.combine(day, time.min, tzinfo=zone)
    return start, datetime.combine(day, time.max, tzinfo=zone)


def collector_home(*, user, now: datetime | None = None) -> dict:
    """Everything the collector's landing page counts, in a fixed number of queries."""
    now = now or timezone.now()
    start, end = _day_bounds(now)
    queue_ids = collector_queues(user=user)
    queues = {q.pk: q for q in Queue.objects.filter(pk__in=queue_ids)}
    # Counted by the queue summary the work items' triggers keep (not by reading the work items).
    counts = {row.queue_id: row for row in DashQueue.objects.filter(queue_id__in=queue_ids)}
    rows = [{"queue": queues[i], "ready": counts[i].ready if i in counts else 0,
             "waiting": counts[i].waiting if i in counts else 0} for i in queue_ids]
    callbacks = list(Callback.objects.filter(collector=user, done_at__isnull=True, due_at__lte=end)
                     .select_related("account__debtor").order_by("due_at")[:50])
    mine = Disposition.objects.filter(user=user, at__gte=start, at__lte=end)
    by_code = dict(mine.values_list("code").annotate(n=Count("pk")))
    return {
        "now": now,
        "queues": rows,
        "ready_total": sum(r["ready"] for r in rows),
        "owned_ready": WorkItem.objects.filter(owner=user, ready=True, leased_by__isnull=True).count(),
        "callbacks": callbacks,
        "callbacks_due_now": sum(1 for c in callbacks if c.due_at <= now),
        # open promises this collector took that fall due today (or are overdue, not judged yet)
        "promises_due": Promise.objects.filter(created_by=user, status=PromiseStatus.OPEN,
                                               due_date__lte=now.astimezone(ZoneInfo(settings.AGENCY_TIME_ZONE))
                                               .date()).count(),
        "today": {"total": sum(by_code.values()), "by_code": by_code,
                  "right_party": sum(by_code.get(c, 0) for c in ("right_party", "promise", "refused", "callback",
                                                                   "dispute", "refer", "worksheet")),
                  "promises": by_code.get("promise", 0)},
        "held": held_by(user=user, now=now),
        "recent": list(mine.select_related("account__debtor")[:10]),
    }


def work_item_view(*, account_id: int, user, now: datetime | None = None) -> dict | None:
    """The worklist part of the workspace: the score and its reasons, and whether the user holds the lease."""
    item = WorkItem.objects.filter(pk=account_id).select_related("queue", "owner", "leased_by").first()
    if item is None:
        return None
    now = now or timezone.now()
    today = agency_today(now)
    parts, dpd = scoring.unpack(item.components, item.bucket, as_of=today), item.dpd_on(today)
    return {
        "item": item,
        "reasons": scoring.reasons(parts, dpd=dpd),
        "headline": scoring.headline(parts, dpd=dpd),
        "held_by_me": item.leased_by_id == user.pk and item.lease_expires_at and item.lease_expires_at > now,
        "callbacks": list(Callback.objects.filter(account_id=account_id, done_at__isnull=True).order_by("due_at")),
        "agencies": list(CounselingAgency.objects.filter(is_active=True)),
    }


def queue_stats() -> list[dict]:
    """Each queue with its size, how many are workable now, leased, waiting for a lawful time."""
    stats = {row.queue_id: row for row in DashQueue.objects.exclude(queue_id=0)}
    out = []
    for queue in Queue.objects.prefetch_related("teams", "collectors", "creditors"):
        row = stats.get(queue.pk)
        out.append({"queue": queue, "size": row.items if row else 0, "workable": row.ready if row else 0,
                    "assigned": row.assigned if row else 0, "leased": row.leased if row else 0,
                    "waiting": row.waiting if row else 0})
    return out


def queue_items(*, queue: Queue, limit: int = 50, after: str = "") -> tuple[list[WorkItem], str]:
    """A page of the queue in the order collectors get it (priority, then account), read from the
    (queue, priority, account) index wherever it is in the queue; `after` is the last row's cursor
    ("priority~account_id"). Returns the page and the next page's cursor ("" on the last page)."""
    qs = WorkItem.objects.filter(queue=queue)
    priority, _, account_id = (after or "").partition("~")
    try:
        last = Decimal(priority)
        qs = qs.filter(Q(priority__lt=last) | Q(priority=last, account_id__gt=int(account_id)))
    except (ArithmeticError, ValueError):
        pass  # no cursor (or a hand-edited one): the first page
    items = list(qs.select_related("account__debtor", "owner", "leased_by")
                 .order_by("-priority", "account_id")[:limit + 1])
    more = len(items) > limit
    items = items[:limit]
    return items, (f"{items[-1].priority}~{items[-1].account_id}" if more else "")
