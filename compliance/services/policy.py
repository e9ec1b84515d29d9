"""Editing the state policy table."""

from __future__ import annotations

from django.db import transaction

from accounts.audit import audit_record
from compliance.models import StatePolicy


def state_policy_save(*, policy: StatePolicy, user, meta: dict | None = None) -> StatePolicy:
    """Create or update one row (a new start date is a new row, so history stays readable)."""
    creating = policy.pk is None
    with transaction.atomic():
        policy.updated_by = user
        policy.full_clean()
        policy.save()
        audit_record(user=user, action="create" if creating else "update", obj=policy, meta=meta,
                     summary=f"state policy {policy}")
    return policy
