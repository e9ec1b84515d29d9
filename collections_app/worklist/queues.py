"""Supervisors' writes: queues, teams, moving and assigning accounts by hand, new weights versions."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from collections_app.models import Queue, ScoringWeights, Team, WorkItem

from .scoring import DEFAULT_WEIGHTS, weights_problems


def _rescore_all_after_commit():
    from collections_app.tasks import reprioritize

    transaction.on_commit(lambda: reprioritize.delay())


def queue_save(*, queue: Queue, creditors, teams, collectors, rescore: bool = True) -> Queue:
    """Save a queue and who works it; membership is recomputed by a full rescoring on a worker."""
    if queue.balance_min is not None and queue.balance_max is not None and queue.balance_min > queue.balance_max:
        raise ValidationError(_("balance: the minimum is above the maximum."))
    with transaction.atomic():
        queue.save()
        queue.creditors.set(creditors)
        queue.teams.set(teams)
        queue.collectors.set(collectors)
        if rescore:
            _rescore_all_after_commit()
    return queue


def team_create(*, name: str, supervisor=None, members=()) -> Team:
    name = name.strip()
    if not name:
        raise ValidationError(_("name: give the team a name."))
    if Team.objects.filter(name__iexact=name).exists():
        raise ValidationError(_("name: a team called %(name)s already exists.") % {"name": repr(name)})
    with transaction.atomic():
        team = Team.objects.create(name=name, supervisor=supervisor)
        for user in members:
            user.team = team
            user.save(update_fields=["team"])
    return team


def work_item_move(*, account_ids: list[int], queue: Queue | None) -> int:
    """Move accounts into a queue by hand; the nightly keeps them there (pinned). None unpins them."""
    return WorkItem.objects.filter(pk__in=account_ids).update(queue=queue, queue_pinned=queue is not None)


def work_item_assign(*, account_ids: list[int], collector) -> int:
    """Give accounts to one collector (they come to nobody else), or back to the queue with None."""
    items = WorkItem.objects.filter(pk__in=account_ids)
    if collector is None:
        return items.update(owner=None, owner_reason="")
    return items.update(owner=collector, owner_reason="assigned")


def weights_save(*, weights: dict, user, note: str = "") -> ScoringWeights:
    """A new version of the weights, in force at once; every account is rescored on a worker."""
    merged = {**DEFAULT_WEIGHTS, **weights}
    problems = weights_problems(merged)
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        last = ScoringWeights.objects.select_for_update().order_by("-version").first()
        version = ScoringWeights.objects.create(version=(last.version + 1) if last else 1, weights=merged,
                                                note=note[:200], created_by=user)
        _rescore_all_after_commit()
    return version


def work_item_hold_clear(*, account_ids: list[int]) -> int:
    """An escalation is handled: the accounts go back on the worklist (rescored at once)."""
    from .rescoring import rescore_account

    ids = list(WorkItem.objects.filter(pk__in=account_ids).exclude(hold_reason="").values_list("pk", flat=True))
    WorkItem.objects.filter(pk__in=ids).update(hold_reason="")
    for account_id in ids:
        rescore_account(account_id=account_id)
    return len(ids)
