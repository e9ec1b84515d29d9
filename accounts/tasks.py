from celery import shared_task

from .imports import services


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def ledger_import_run(batch_id: int) -> None:
    """Ids in, service call. acks_late + reject_on_worker_lost: if the worker process dies mid-import
    the message is delivered again and the import reruns (it is all-or-nothing and idempotent)."""
    services.import_execute(batch_id=batch_id)


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def ledger_import_dry_run(batch_id: int) -> None:
    """A big file's dry run. It writes nothing, so running it again after a lost worker is harmless."""
    services.import_dry_run_execute(batch_id=batch_id)
