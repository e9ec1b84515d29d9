from celery import shared_task

from .imports import heartbeat, services

# Retries of an import whose database went away or whose previous worker's claim has not gone stale
# yet: each waits LEDGER_IMPORT_STALE_SECONDS, so five cover several minutes of outage. After that
# the batch is left to the sweeper (failed, restartable) and the user.
MAX_RETRIES = 5


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, ignore_result=True, max_retries=MAX_RETRIES)
def ledger_import_run(self, batch_id: int) -> None:
    """Ids in, service call. acks_late + reject_on_worker_lost: if the worker process dies mid-import
    the message is delivered again and the import reruns (it is all-or-nothing and idempotent; the
    claim in the service makes sure only one worker runs a batch at a time)."""
    try:
        services.import_run_queued(batch_id=batch_id)
    except services.ImportRetryLater as exc:
        if self.request.retries < self.max_retries:
            raise self.retry(countdown=exc.countdown) from exc


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, ignore_result=True, max_retries=MAX_RETRIES)
def ledger_import_dry_run(self, batch_id: int) -> None:
    """A big file's dry run. It writes nothing, so running it again after a lost worker is harmless."""
    try:
        services.import_dry_run_execute(batch_id=batch_id)
    except services.ImportRetryLater as exc:
        if self.request.retries < self.max_retries:
            raise self.retry(countdown=exc.countdown) from exc


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def ledger_import_convert(batch_id: int) -> None:
    """An uploaded workbook to CSV, in the sandboxed reader child. The service claims the batch once: a
    message delivered again after its worker died does nothing, and the sweeper fails the batch."""
    services.import_convert_execute(batch_id=batch_id)


@shared_task(ignore_result=True)
def ledger_import_sweep() -> dict:
    """Beat, every LEDGER_IMPORT_SWEEP_SECONDS: fail batches whose worker died, re-send lost queued ones."""
    return heartbeat.import_sweep()
