"""Direct prior consent the consumer gave us: record and revoke (12 CFR 1006.6(b)(4), 1006.14(b)(3)(i))."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_record
from compliance.models import DirectPriorConsent

from .restrictions import worklist_refresh_later


def direct_consent_record(*, debtor, account=None, scope: str, given_at: datetime, user,
                          given_via: str = DirectPriorConsent.GivenVia.INBOUND_CALL, fields: dict | None = None,
                          statement: str = "", notes: str = "", meta: dict | None = None) -> DirectPriorConsent:
    """Record a consent on the debtor (``account=None``: all their accounts) or on one account.

    ``fields`` holds the optional time details: consented_at, window_start, window_end,
    time_zone, days, until.
    """
    if account is not None and account.debtor_id != debtor.pk:
        raise ValidationError(_("The account belongs to another debtor."))
    given_by = (fields or {}).get("given_by")
    if given_by is not None and given_by.debtor_id != debtor.pk:
        raise ValidationError({"given_by": _("That related person belongs to another debtor.")})
    with transaction.atomic():
        consent = DirectPriorConsent(debtor=debtor, account=account, scope=scope, given_at=given_at,
                                     given_via=given_via, statement=statement, notes=notes, created_by=user,
                                     **(fields or {}))
        consent.full_clean()
        consent.save()
        audit_record(user=user, action="create", obj=consent, meta=meta,
                     summary=f"{consent} on debtor {debtor.pk}" + (f" account {account.pk}" if account else ""))
        worklist_refresh_later(debtor_id=debtor.pk, account_id=account.pk if account else None)
    return consent


def direct_consent_revoke(*, consent: DirectPriorConsent, user, notes: str = "", revoked_at: datetime | None = None,
                          meta: dict | None = None) -> DirectPriorConsent:
    """The consumer withdrew the consent: it stops applying from ``revoked_at`` and stays on file."""
    if consent.revoked_at is not None:
        raise ValidationError(_("This consent is already revoked."))
    with transaction.atomic():
        consent.revoked_at = revoked_at or timezone.now()
        consent.revoked_by = user
        consent.revocation_notes = notes[:300]
        consent.save(update_fields=["revoked_at", "revoked_by", "revocation_notes"])
        audit_record(user=user, action="update", obj=consent, meta=meta,
                     summary=f"direct prior consent revoked: {notes}"[:500])
        worklist_refresh_later(debtor_id=consent.debtor_id, account_id=consent.account_id)
    return consent
