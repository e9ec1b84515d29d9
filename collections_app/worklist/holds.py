"""Worklist holds from back-office work: an open escalation or skip-trace case keeps the account off the
list (``WorkItem.hold_reason``); when the last one ends the account returns to its queue, rescored.

Holds set by a disposition ("escalated: ...", cleared by a supervisor) are not touched here.
"""

from __future__ import annotations

from collections_app.models import WorkItem
from collections_app.models.escalations import OPEN_STATUSES, Escalation
from collections_app.models.skiptrace import SkipStatus, SkipTraceCase

from .rescoring import rescore_account

# the prefixes this module writes; anything else in hold_reason belongs to someone else
PREFIXES = ("skip trace", "escalation #")
# a case not found stays off the list: nothing to dial until a new source finds the debtor
HELD_SKIP = (SkipStatus.OPEN, SkipStatus.SEARCHING, SkipStatus.NOT_FOUND)


def hold_reason_for(account_id: int) -> str:
    reasons = [f"escalation #{e.pk}: {e.kind}" for e in
               Escalation.objects.filter(account_id=account_id, status__in=OPEN_STATUSES).order_by("pk")]
    reasons += [f"skip trace #{c.pk} {c.status}" for c in
                SkipTraceCase.objects.filter(account_id=account_id, status__in=HELD_SKIP).order_by("pk")]
    return "; ".join(reasons)[:120]


def work_item_hold_refresh(*, account_id: int) -> str:
    """Set the account's hold from its open escalations and skip-trace case, and rescore it."""
    wanted = hold_reason_for(account_id)
    item, _ = WorkItem.objects.get_or_create(account_id=account_id)
    current = item.hold_reason
    if current and not current.startswith(PREFIXES):
        return current  # a disposition's escalation hold: the supervisor clears it
    if current != wanted:
        WorkItem.objects.filter(pk=account_id).update(hold_reason=wanted, ready=False if wanted else item.ready)
        rescore_account(account_id=account_id)
    return wanted
