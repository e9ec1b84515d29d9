"""Celery tasks: ids in, a service call, retries at the edge."""

from celery import shared_task


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_plan_agreement(plan_id: int) -> int | None:
    # Safe to repeat: the service mails a plan's agreement once (the gate's idempotency key too).
    from payments.services.letters import plan_agreement_send

    attempt = plan_agreement_send(plan_id=plan_id)
    return attempt.pk if attempt else None
