"""The one place each payments state machine moves: a transitions table checked per change.

The night moves many rows at once in SQL; it does so only from statuses the same tables allow
(``allowed_from``), so both paths obey one table.
"""

from django.core.exceptions import ValidationError

from payments.models.payment import PAYMENT_TRANSITIONS
from payments.models.plan import INSTALLMENT_TRANSITIONS, PLAN_TRANSITIONS
from payments.models.promise import PROMISE_TRANSITIONS
from payments.models.reminder import REMINDER_TRANSITIONS
from payments.models.settlement import SETTLEMENT_TRANSITIONS


def allowed_from(table: dict, to_status: str) -> list[str]:
    """Every status the table lets move to ``to_status`` (for set-based UPDATE ... WHERE status IN)."""
    return sorted(str(s) for s, targets in table.items() if to_status in targets)


def _change(table: dict, obj, to_status: str, label: str, fields: dict | None = None):
    if obj.status == to_status and not fields:
        return obj
    if obj.status != to_status and to_status not in table.get(obj.status, frozenset()):
        raise ValidationError(f"A {label} cannot move from {obj.status!r} to {to_status!r}.")
    changes = {"status": to_status, **(fields or {})}
    updated = type(obj).objects.filter(pk=obj.pk, status=obj.status).update(**changes)
    if not updated:
        raise ValidationError(f"The {label}'s status changed meanwhile; reload and try again.")
    for name, value in changes.items():
        setattr(obj, name, value)
    return obj


def payment_status_change(*, payment, to_status: str, fields: dict | None = None):
    return _change(PAYMENT_TRANSITIONS, payment, to_status, "payment", fields)


def promise_status_change(*, promise, to_status: str, fields: dict | None = None):
    return _change(PROMISE_TRANSITIONS, promise, to_status, "promise", fields)


def plan_status_change(*, plan, to_status: str, fields: dict | None = None):
    return _change(PLAN_TRANSITIONS, plan, to_status, "payment plan", fields)


def installment_status_change(*, installment, to_status: str, fields: dict | None = None):
    return _change(INSTALLMENT_TRANSITIONS, installment, to_status, "installment", fields)


def settlement_status_change(*, settlement, to_status: str, fields: dict | None = None):
    return _change(SETTLEMENT_TRANSITIONS, settlement, to_status, "settlement", fields)


def reminder_status_change(*, reminder, to_status: str, fields: dict | None = None):
    return _change(REMINDER_TRANSITIONS, reminder, to_status, "reminder", fields)
