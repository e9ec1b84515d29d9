"""Batches that cannot stick: the transitions table, restartability, the atomic claim, the sweeper."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.imports import heartbeat, services
from accounts.models import ImportBatch, ImportStatus, LedgerEntry
from accounts.models.imports import IMPORT_TRANSITIONS
from accounts.tasks import ledger_import_run, ledger_import_sweep

from .support import creditor_with_accounts, new_batch, tx_csv

pytestmark = pytest.mark.django_db

OK = tx_csv("A-1,2025-03-01,charge,10.00,R-1,")
PAIRS = [(a, b) for a in ImportStatus.values for b in ImportStatus.values]


@pytest.fixture
def batch():
    return new_batch(creditor_with_accounts(), OK, "transactions")


def test_every_status_has_a_row_and_finished_imports_never_move():
    assert set(IMPORT_TRANSITIONS) == set(ImportStatus.values)
    assert IMPORT_TRANSITIONS[ImportStatus.IMPORTED] == frozenset()
    assert IMPORT_TRANSITIONS[ImportStatus.ALREADY_IMPORTED] == frozenset()
    # Every status a worker holds can end as failed, so the sweeper can always unstick it.
    for status in (ImportStatus.RUNNING, ImportStatus.VALIDATING, ImportStatus.QUEUED, ImportStatus.CONVERTING):
        assert ImportStatus.FAILED in IMPORT_TRANSITIONS[status]


@pytest.mark.parametrize(("from_status", "to_status"), PAIRS)
def test_status_change_follows_the_transitions_table(batch, from_status, to_status):
    ImportBatch.objects.filter(pk=batch.pk).update(status=from_status)
    batch.refresh_from_db()
    if to_status in IMPORT_TRANSITIONS[from_status]:
        services.import_status_change(batch=batch, to_status=to_status)
        assert ImportBatch.objects.get(pk=batch.pk).status == to_status
    else:
        with pytest.raises(ValidationError, match=f"cannot move from '{from_status}' to '{to_status}'"):
            services.import_status_change(batch=batch, to_status=to_status)
        assert ImportBatch.objects.get(pk=batch.pk).status == from_status


def test_a_restartable_failed_batch_starts_again_and_one_that_cannot_succeed_is_refused(batch):
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.FAILED, restartable=True)
    batch.refresh_from_db()
    assert services.import_start(batch=batch).status == ImportStatus.QUEUED

    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.FAILED, restartable=False,
                                                   message="The database refused a value in this file.")
    batch.refresh_from_db()
    with pytest.raises(ValidationError, match="Starting it again cannot succeed: fix the file and upload it again"):
        services.import_start(batch=batch)
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportStatus.FAILED


def test_a_new_column_mapping_makes_an_unusable_file_worth_trying_again(batch):
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.INVALID, restartable=False)
    batch.refresh_from_db()
    services.import_mapping_save(batch=batch, mapping={})
    assert ImportBatch.objects.get(pk=batch.pk).restartable


def stamp(batch, status, seconds_ago, **fields):
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=status, heartbeat_at=timezone.now() - timedelta(seconds=seconds_ago), **fields)


def test_the_sweeper_fails_a_running_batch_whose_heartbeat_went_stale_with_the_reason(batch, settings):
    settings.LEDGER_IMPORT_STALE_SECONDS = 60
    stamp(batch, ImportStatus.RUNNING, 61, started_at=timezone.now())
    assert ledger_import_sweep() == {"failed": 1, "requeued": 0}
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED and batch.restartable and batch.finished_at
    assert batch.message.startswith("The worker running this import stopped (no sign of life since ")
    assert batch.message.endswith("Nothing was written; start it again.")
    assert services.import_start(batch=batch).status == ImportStatus.QUEUED


def test_the_sweeper_leaves_a_batch_with_a_fresh_heartbeat_alone(batch, settings):
    settings.LEDGER_IMPORT_STALE_SECONDS = 60
    stamp(batch, ImportStatus.RUNNING, 5, started_at=timezone.now())
    assert ledger_import_sweep() == {"failed": 0, "requeued": 0}
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportStatus.RUNNING


def test_the_sweeper_fails_a_worker_dry_run_that_died(batch, settings):
    settings.LEDGER_IMPORT_STALE_SECONDS = 60
    stamp(batch, ImportStatus.VALIDATING, 120, started_at=timezone.now() - timedelta(seconds=130))
    assert ledger_import_sweep()["failed"] == 1
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED and "The worker running this dry run stopped" in batch.message


def test_the_sweeper_sends_again_a_queued_batch_nobody_claimed(batch, settings, monkeypatch):
    settings.LEDGER_IMPORT_REQUEUE_SECONDS = 300
    sent = []
    monkeypatch.setattr(ledger_import_run, "delay", lambda batch_id: sent.append(batch_id))
    stamp(batch, ImportStatus.QUEUED, 10)
    assert ledger_import_sweep()["requeued"] == 0
    stamp(batch, ImportStatus.QUEUED, 301)
    assert ledger_import_sweep()["requeued"] == 1 and sent == [batch.pk]
    assert ledger_import_sweep()["requeued"] == 0  # stamped when re-sent: not again at the next sweep


def _converting_batch(creditor):
    """A workbook waiting for (or held by) a worker, as the upload leaves it."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["creditor_account_number", "posted_date", "type", "amount", "reference"])
    book.active.append(["A-1", "2025-03-01", "charge", 10, "R-9"])
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    return services.import_batch_create(creditor=creditor, kind="transactions", fileobj=data, original_name="w.xlsx")


def test_the_sweeper_fails_a_workbook_conversion_whose_worker_died_and_deletes_the_workbook(batch, settings):
    settings.LEDGER_IMPORT_STALE_SECONDS = 60
    converting = _converting_batch(batch.creditor)
    stored = converting.workbook.name
    assert converting.status == ImportStatus.CONVERTING and converting.workbook.storage.exists(stored)
    stamp(converting, ImportStatus.CONVERTING, 30, started_at=timezone.now() - timedelta(seconds=40))
    assert ledger_import_sweep()["failed"] == 0  # alive
    stamp(converting, ImportStatus.CONVERTING, 120, started_at=timezone.now() - timedelta(seconds=130))
    assert ledger_import_sweep()["failed"] == 1
    converting.refresh_from_db()
    assert converting.status == ImportStatus.FAILED and not converting.restartable
    assert "The worker converting this workbook stopped" in converting.message
    assert "upload it again" in converting.message
    assert not converting.workbook and not converting.workbook.storage.exists(stored)
    # the message delivered again after that worker died does not convert it again
    assert services.import_convert_execute(batch_id=converting.pk).status == ImportStatus.FAILED
    with pytest.raises(ValidationError, match="fix the file and upload it again|upload it again"):
        services.import_start(batch=converting)


def test_a_workbook_conversion_held_by_a_dead_worker_is_not_run_by_the_redelivered_message(batch, settings):
    converting = _converting_batch(batch.creditor)
    stamp(converting, ImportStatus.CONVERTING, 120, started_at=timezone.now() - timedelta(seconds=130))
    assert services.import_convert_execute(batch_id=converting.pk).status == ImportStatus.CONVERTING
    assert not ImportBatch.objects.get(pk=converting.pk).file


def test_the_sweeper_sends_again_a_workbook_conversion_nobody_claimed(batch, settings, monkeypatch):
    from accounts.tasks import ledger_import_convert

    settings.LEDGER_IMPORT_REQUEUE_SECONDS = 300
    sent = []
    monkeypatch.setattr(ledger_import_convert, "delay", lambda batch_id: sent.append(batch_id))
    converting = _converting_batch(batch.creditor)
    assert ledger_import_sweep()["requeued"] == 0
    stamp(converting, ImportStatus.CONVERTING, 301)
    assert ledger_import_sweep()["requeued"] == 1 and sent == [converting.pk]
    assert services.import_convert_execute(batch_id=converting.pk).status == ImportStatus.UPLOADED


def test_two_messages_for_one_batch_run_it_once(batch, settings):
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.QUEUED)
    services.import_run_queued(batch_id=batch.pk)
    assert services.import_run_queued(batch_id=batch.pk).status == ImportStatus.IMPORTED
    assert LedgerEntry.objects.count() == 1


def test_a_message_for_a_batch_another_live_worker_runs_waits(batch, settings):
    settings.LEDGER_IMPORT_STALE_SECONDS = 60
    stamp(batch, ImportStatus.RUNNING, 1)
    with pytest.raises(services.ImportRetryLater) as retry:
        services.import_run_queued(batch_id=batch.pk)
    assert retry.value.countdown == 60
    stamp(batch, ImportStatus.RUNNING, 61)  # that worker died: the redelivered message takes over
    assert services.import_run_queued(batch_id=batch.pk).status == ImportStatus.IMPORTED


def test_a_failed_batch_is_left_for_the_user_by_a_late_message(batch):
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.FAILED)
    assert services.import_run_queued(batch_id=batch.pk).status == ImportStatus.FAILED
    assert LedgerEntry.objects.count() == 0


@pytest.mark.django_db(transaction=True)  # the heartbeat writes through its own connection
def test_the_heartbeat_stamps_the_batch_while_it_runs(batch, settings):
    import time

    ImportBatch.objects.filter(pk=batch.pk).update(heartbeat_at=None)
    with heartbeat.Heartbeat(batch.pk, interval=0.05):
        time.sleep(0.3)
    assert ImportBatch.objects.get(pk=batch.pk).heartbeat_at is not None


def test_the_status_page_offers_a_restart_only_when_it_can_succeed(batch, client_for):
    from django.urls import reverse

    from accounts.access import ACCOUNTING

    client = client_for(ACCOUNTING)
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.FAILED, restartable=False,
                                                   finished_at=timezone.now(), message="The database refused it.")
    page = client.get(reverse("accounts:import_status", args=[batch.pk])).content.decode()
    assert 'data-testid="restart-import"' not in page and 'data-testid="upload-again"' in page
    response = client.post(reverse("accounts:import_start", args=[batch.pk]), follow=True)
    assert "fix the file and upload it again" in response.content.decode()
    assert ImportBatch.objects.get(pk=batch.pk).status == ImportStatus.FAILED
