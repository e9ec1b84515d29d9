"""Writes for payments, promises, plans, settlements and reminders. Each owns its transaction."""

from .payments import IdempotencyConflict, credit_refund, payment_post, payment_return
from .plans import plan_approve, plan_cancel, plan_create, plan_reject
from .promises import promise_approve, promise_cancel, promise_create, promise_reject
from .settlements import settlement_approve, settlement_create, settlement_reject
from .status import (
                     installment_status_change,
                     payment_status_change,
                     plan_status_change,
                     promise_status_change,
                     reminder_status_change,
                     settlement_status_change,
)

__all__ = [
    "IdempotencyConflict", "credit_refund", "installment_status_change", "payment_post", "payment_return",
    "payment_status_change", "plan_approve", "plan_cancel", "plan_create", "plan_reject", "plan_status_change",
    "promise_approve", "promise_cancel", "promise_create", "promise_reject", "promise_status_change",
    "reminder_status_change", "settlement_approve", "settlement_create", "settlement_reject",
    "settlement_status_change",
]
