"""Batches that cannot stick: a heartbeat while a batch runs, and the sweep that fails batches whose
process died (or re-sends a queued batch whose task message was lost).

The heartbeat is a thread with its own database connection, so it keeps beating while the import's
connection is busy in a long COPY or merge, and stops with the process: a SIGKILLed worker leaves a
stale stamp that the sweeper (a beat task) notices after ``LEDGER_IMPORT_STALE_SECONDS``.
"""

import logging
import threading
from datetime import timedelta

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.models import Q
from django.utils import timezone

from ..models import ImportBatch, ImportStatus
from .retention import delete_workbook_file
from .status import import_status_change

log = logging.getLogger(__name__)


def stale_before():
    return timezone.now() - timedelta(seconds=settings.LEDGER_IMPORT_STALE_SECONDS)


class Heartbeat:
    """``with Heartbeat(batch_id):`` stamps heartbeat_at every LEDGER_IMPORT_HEARTBEAT_SECONDS."""

    def __init__(self, batch_id: int, interval: float | None = None):
        self.batch_id = batch_id
        self.interval = interval if interval is not None else settings.LEDGER_IMPORT_HEARTBEAT_SECONDS
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"import-heartbeat-{batch_id}", daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self._stop.set()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        conn = connections.create_connection(DEFAULT_DB_ALIAS)
        try:
            while not self._stop.wait(self.interval):
                try:
                    with conn.cursor() as cursor:
                        cursor.execute("UPDATE accounts_importbatch SET heartbeat_at = %s WHERE id = %s",
                                       [timezone.now(), self.batch_id])
                    if not conn.get_autocommit():
                        conn.commit()
                except DatabaseError:  # the database is away: keep trying, the import will notice too
                    log.warning("import %s: heartbeat not written", self.batch_id, exc_info=True)
                    conn.close()
        finally:
            conn.close()


def import_sweep() -> dict[str, int]:
    """Fail running batches (and worker dry runs) whose heartbeat went stale, with the reason; send
    again the task of queued batches that no worker claimed for LEDGER_IMPORT_REQUEUE_SECONDS (its
    message may have been lost when the web process died between commit and publish). Rows locked
    by a live transaction (an import's merge holds its batch row) are skipped, not waited on."""
    from ..tasks import ledger_import_convert, ledger_import_dry_run, ledger_import_run  # tasks import services

    now = timezone.now()
    stale = stale_before()
    failed = requeued = 0
    with transaction.atomic():
        dead = list(ImportBatch.objects.select_for_update(skip_locked=True).filter(
            Q(status=ImportStatus.RUNNING) | Q(status=ImportStatus.VALIDATING, started_at__isnull=False)
            | Q(status=ImportStatus.CONVERTING, started_at__isnull=False),
        ).filter(Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=stale)))
        for batch in dead:
            seen = f"{batch.heartbeat_at:%Y-%m-%d %H:%M:%S} UTC" if batch.heartbeat_at else "its start"
            if batch.status == ImportStatus.CONVERTING:
                # Not converted again: a workbook that killed one worker is not handed to the next.
                delete_workbook_file(batch=batch)
                import_status_change(
                    batch=batch, to_status=ImportStatus.FAILED, restartable=False, finished_at=now, workbook="",
                    message=f"The worker converting this workbook stopped (no sign of life since {seen}). "
                            "Nothing was kept; upload it again, or save it as CSV and upload that.")
            else:
                what = "import" if batch.status == ImportStatus.RUNNING else "dry run"
                import_status_change(
                    batch=batch, to_status=ImportStatus.FAILED, restartable=True, finished_at=now,
                    message=f"The worker running this {what} stopped (no sign of life since {seen}). "
                            f"Nothing was written; start it again.")
            failed += 1
    requeue_before = now - timedelta(seconds=settings.LEDGER_IMPORT_REQUEUE_SECONDS)
    waiting = ImportBatch.objects.filter(
        Q(status=ImportStatus.QUEUED) | Q(status=ImportStatus.VALIDATING, started_at__isnull=True)
        | Q(status=ImportStatus.CONVERTING, started_at__isnull=True),
        Q(heartbeat_at__isnull=True) | Q(heartbeat_at__lt=requeue_before))
    tasks = {ImportStatus.QUEUED: ledger_import_run, ImportStatus.VALIDATING: ledger_import_dry_run,
             ImportStatus.CONVERTING: ledger_import_convert}
    for batch_id, status in waiting.values_list("id", "status"):
        # A second message for a batch that is only slow to be picked up is harmless: the claim is atomic.
        ImportBatch.objects.filter(pk=batch_id).update(heartbeat_at=now)
        tasks[status].delay(batch_id)
        requeued += 1
    return {"failed": failed, "requeued": requeued}
