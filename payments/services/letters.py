"""The plan agreement letter: rendered, stored, then mailed through the compliance gate (one door)."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.db import transaction

from compliance.gate import contact_send
from compliance.models import AttemptStatus
from payments.documents import plan_agreement_store
from payments.models import PaymentPlan


def plan_agreement_send(*, plan_id: int, user=None):
    """Idempotent per plan: a plan already mailed (or blocked) is not mailed again.

    Returns the ContactAttempt (None when the debtor has no usable postal address).
    """
    plan = PaymentPlan.objects.select_related("account__creditor", "account__debtor").get(pk=plan_id)
    if plan.agreement_attempt_id:
        return None
    addresses = [a for a in plan.account.debtor.addresses.all() if a.status == "active"]
    if not addresses:
        return None
    path = plan_agreement_store(plan)  # rendering is slow: outside the transaction
    with transaction.atomic():
        locked = PaymentPlan.objects.select_for_update().get(pk=plan.pk)
        if locked.agreement_attempt_id:
            default_storage.delete(path)
            return None
        attempt = contact_send(
            account=plan.account, channel="letter", to=str(addresses[0]), user=user or plan.created_by,
            idempotency_key=f"plan-agreement:{plan.pk}", notes=f"Payment plan agreement ({plan.language})",
            content={"template": "plan_agreement", "letter_type": "plan_agreement", "pdf": path,
                     "languages": [plan.language], "body": "Payment plan agreement"})
        PaymentPlan.objects.filter(pk=plan.pk).update(agreement_pdf=path, agreement_attempt_id=attempt.pk)
    if attempt.status == AttemptStatus.BLOCKED:
        return attempt
    return attempt
