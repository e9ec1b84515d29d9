"""Worklist tasks: ids in, service call. Other apps rescore an account by name, since they may not
import collections_app: ``celery_app.send_task("collections_app.tasks.rescore_account", args=[id])``."""

from celery import shared_task
from django.db import OperationalError

from .worklist import leasing, rescoring


@shared_task(name="collections_app.tasks.rescore_account", acks_late=True, ignore_result=True,
             autoretry_for=(OperationalError,), retry_backoff=1, retry_backoff_max=30, max_retries=6)
def rescore_account(account_id: int) -> None:
    """Safe to repeat (the score is a function of the facts), so acks_late: a lost worker's task reruns,
    and a database that is briefly unavailable or locked (SQLite) is tried again with backoff."""
    rescoring.rescore_account(account_id=account_id)


@shared_task(name="collections_app.tasks.reprioritize", acks_late=True, reject_on_worker_lost=True,
             ignore_result=True)
def reprioritize(skip_if_done: bool = False) -> dict:
    """A full rescoring (after a queue or the weights change; the night runs it as a step of
    ``run_nightly``). A worker lost midway is redelivered and resumes the unfinished run.
    ``skip_if_done``: nothing to do when today's run with the same weights already finished."""
    return rescoring.reprioritize_all(skip_if_done=skip_if_done)


@shared_task(name="collections_app.tasks.worklist_sweep", ignore_result=True)
def worklist_sweep() -> dict:
    """Every minute from beat; missing one is harmless (the next run catches up), so no retries."""
    return leasing.worklist_sweep()

