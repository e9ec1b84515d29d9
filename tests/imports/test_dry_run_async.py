"""Big files: the dry run runs on a worker while the review page shows its progress."""

import pytest
from django.urls import reverse

from accounts.access import ACCOUNTING
from accounts.models import ImportBatch, ImportStatus, LedgerEntry
from accounts.tasks import ledger_import_dry_run

from .support import BAD_ROW, GOOD_ROWS, creditor_with_accounts, csv_bytes, mapping_post, upload, user_mapping

pytestmark = pytest.mark.django_db


@pytest.fixture
def big_file_batch(client_for, settings, django_capture_on_commit_callbacks):
    settings.LEDGER_DRY_RUN_SYNC_MAX_BYTES = 10  # every test file counts as big
    creditor = creditor_with_accounts()
    client = client_for(ACCOUNTING)
    client.post(reverse("accounts:import_upload"), {"creditor": creditor.pk, "kind": "transactions",
                                                     "file": upload(csv_bytes(*GOOD_ROWS, BAD_ROW))})
    batch = ImportBatch.objects.latest("id")
    client.post(reverse("accounts:import_columns", args=[batch.pk]), mapping_post(user_mapping()))
    return client, batch


def test_big_file_dry_run_is_queued_and_the_review_page_polls_its_progress(big_file_batch,
                                                                            django_capture_on_commit_callbacks):
    client, batch = big_file_batch
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("accounts:import_dry_run", args=[batch.pk]))
    assert response.status_code == 302 and len(callbacks) == 1  # ledger_import_dry_run.delay after commit
    batch.refresh_from_db()
    assert batch.status == ImportStatus.VALIDATING
    page = client.get(reverse("accounts:import_review", args=[batch.pk])).content.decode()
    assert f'{reverse("accounts:import_progress", args=[batch.pk])}?review=1' in page
    assert 'data-testid="start-import"' in page and "disabled" in page.split('data-testid="start-import"')[1][:80]

    ledger_import_dry_run(batch.pk)  # what the worker runs
    batch.refresh_from_db()
    assert (batch.status, batch.rows_total, batch.errors) == (ImportStatus.INVALID, 4, 1)
    assert LedgerEntry.objects.count() == 0
    poll = client.get(reverse("accounts:import_progress", args=[batch.pk]), {"review": "1"}, HTTP_HX_REQUEST="true")
    assert poll.status_code == 204 and poll["HX-Redirect"] == reverse("accounts:import_review", args=[batch.pk])
    page = client.get(reverse("accounts:import_review", args=[batch.pk]))
    assert page.context["counts"] == {"rows": 4, "valid": 3, "invalid": 1, "duplicates": 0}


def test_a_redelivered_dry_run_task_changes_nothing(big_file_batch):
    client, batch = big_file_batch
    client.post(reverse("accounts:import_dry_run", args=[batch.pk]))
    ledger_import_dry_run(batch.pk)
    batch.refresh_from_db()
    summary = batch.summary
    ledger_import_dry_run(batch.pk)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.INVALID and batch.summary == summary
