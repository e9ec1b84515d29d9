"""Celery tasks of the compliance app: ids in, the gate's delivery service, retries at the edge."""

from celery import shared_task

from compliance.gate import delivery
from compliance.gate.delivery import TransientDeliveryError

MAX_DELIVERY_RETRIES = 5


@shared_task(
    bind=True,
    # Safe to acknowledge late: deliver() locks the row and does nothing unless it is still queued,
    # and each channel writes under the attempt id, so a redelivered message is not sent twice.
    acks_late=True,
    # Only errors that may pass (SMTP 4xx, connection refused, full disk) are retried, with
    # exponential backoff capped at 10 minutes; anything else is a bug and must surface.
    autoretry_for=(TransientDeliveryError,),
    retry_backoff=30,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=MAX_DELIVERY_RETRIES,
)
def deliver_contact(self, attempt_id: int) -> str:
    try:
        return delivery.deliver(attempt_id=attempt_id).status
    except TransientDeliveryError as exc:
        if self.request.retries >= MAX_DELIVERY_RETRIES:
            return delivery.give_up(attempt_id=attempt_id, error=f"gave up after retries: {exc}").status
        raise


@shared_task(acks_late=True)  # safe to repeat: a rerun finds nothing more to purge
def retention_purge() -> dict:
    """The nightly retention purge (beat), the same service as ``manage.py purge``."""
    from compliance.retention.services import purge_run

    return purge_run(meta={"user_agent": "celery retention_purge"})["counts"]
