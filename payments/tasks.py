"""Celery tasks: ids in, a service call, retries at the edge."""

from celery import shared_task


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_plan_agreement(plan_id: int) -> int | None:
    # Safe to repeat: the service mails a plan's agreement once (the gate's idempotency key too).
    from payments.services.letters import plan_agreement_send

    attempt = plan_agreement_send(plan_id=plan_id)
    return attempt.pk if attempt else None


@shared_task(acks_late=True)
def reminders_dispatch(limit: int = 1000) -> int:
    """Send the queued reminders whose lawful time has come. Safe to repeat and to run concurrently:
    each reminder is locked and acted on only while queued; the gate's key is the reminder's."""
    from payments.services.reminders import reminder_send, reminders_due

    ids = reminders_due(limit=limit)
    for reminder_id in ids:
        reminder_send(reminder_id=reminder_id)
    return len(ids)


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def payment_batch_run(batch_id: int) -> None:
    """A lockbox file posted on the worker; a lost worker's task is redelivered and goes on safely
    (each row's idempotency key posts it once)."""
    from payments.batch import payment_batch_run as run

    run(batch_id=batch_id)
