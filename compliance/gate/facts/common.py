"""Small helpers shared by the facts builders."""

from __future__ import annotations

from django.db.models import Q


def iso(value) -> str | None:
    return value.isoformat() if value else None


def money(value) -> str | None:
    """A Decimal amount as its exact string ("1843.27"); JSON never sees a float."""
    return None if value is None else str(value)


def consumer_id(debtor) -> str:
    return f"CON-{debtor.pk}"


def debt_id(account) -> str:
    return str(account.pk)


def scoped(model, *, account, now):
    """Records of the debtor that are in force at ``now`` and cover this account (or all)."""
    return (model.objects.active(now).filter(debtor_id=account.debtor_id)
            .filter(Q(account__isnull=True) | Q(account_id=account.pk)).order_by("created_at", "id"))
