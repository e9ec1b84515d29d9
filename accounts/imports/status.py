"""The one place a batch's status moves (see IMPORT_TRANSITIONS), and the atomic claim a worker makes
before running a batch."""

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext

from ..models import ImportBatch, ImportStatus
from ..models.imports import IMPORT_TRANSITIONS


def import_status_change(*, batch: ImportBatch, to_status: str, **fields) -> ImportBatch:
    if to_status not in IMPORT_TRANSITIONS[batch.status]:
        raise ValidationError(gettext("An import cannot move from %(status)s to %(to_status)s.")
                              % {"status": repr(batch.status), "to_status": repr(to_status)})
    fields["status"] = to_status
    ImportBatch.objects.filter(pk=batch.pk).update(**fields)
    for key, value in fields.items():
        setattr(batch, key, value)
    return batch


def import_claim(*, batch_id: int, to_status: str, claimable: Q, **fields) -> bool:
    """Move the batch to `to_status` only if it matches `claimable` (one UPDATE, so of two workers
    handed the same batch exactly one wins). Every status `claimable` admits must be allowed to move
    to `to_status` by the transitions table; the caller passes the statuses it names."""
    fields = {"status": to_status, "heartbeat_at": timezone.now(), **fields}
    return ImportBatch.objects.filter(claimable, pk=batch_id).update(**fields) == 1


def assert_claimable(from_statuses, to_status: str) -> None:
    for status in from_statuses:
        assert to_status in IMPORT_TRANSITIONS[status], (status, to_status)


# The claims the tasks make, checked against the table once at import time.
assert_claimable((ImportStatus.QUEUED, ImportStatus.RUNNING), ImportStatus.RUNNING)
assert_claimable((ImportStatus.VALIDATING,), ImportStatus.VALIDATING)
assert_claimable((ImportStatus.CONVERTING,), ImportStatus.CONVERTING)
assert_claimable((ImportStatus.CONVERTING,), ImportStatus.FAILED)
assert_claimable((ImportStatus.RUNNING, ImportStatus.VALIDATING), ImportStatus.FAILED)
