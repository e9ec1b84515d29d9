"""TCPA consent and revocation per phone; the phone's own TCPA flags follow in the same transaction."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from accounts.audit import audit_record
from compliance.models import TcpaConsent

from .restrictions import worklist_refresh_later


def tcpa_consent_record(*, phone, source: str, scope: str, given_at: datetime, user, evidence: str = "",
                        evidence_file=None, meta: dict | None = None) -> TcpaConsent:
    with transaction.atomic():
        consent = TcpaConsent(phone=phone, source=source, scope=scope, given_at=given_at, evidence=evidence,
                              created_by=user)
        if evidence_file:
            consent.evidence_file = evidence_file
        consent.full_clean()
        consent.save()
        phone.tcpa_consent, phone.tcpa_consent_source, phone.tcpa_consent_at = True, source, given_at
        phone.tcpa_revoked_at = None
        phone.save(update_fields=["tcpa_consent", "tcpa_consent_source", "tcpa_consent_at", "tcpa_revoked_at"])
        audit_record(user=user, action="create", obj=consent, meta=meta,
                     summary=f"TCPA consent ({scope}) for phone {phone.pk}")
        worklist_refresh_later(debtor_id=phone.debtor_id)
    return consent


def tcpa_consent_revoke(*, consent: TcpaConsent, user, words: str, channel: str = "",
                        revoked_at: datetime | None = None, meta: dict | None = None) -> TcpaConsent:
    """Revocation by any reasonable means (47 CFR 64.1200(a)(10)); the words used are kept."""
    if consent.revoked_at:
        raise ValidationError(gettext("This consent is already revoked."))
    with transaction.atomic():
        consent.revoked_at = revoked_at or timezone.now()
        consent.revocation_words, consent.revocation_channel = words[:300], channel[:20]
        consent.save(update_fields=["revoked_at", "revocation_words", "revocation_channel"])
        phone = consent.phone
        if not TcpaConsent.objects.filter(phone=phone, revoked_at__isnull=True).exists():
            phone.tcpa_consent, phone.tcpa_revoked_at = False, consent.revoked_at
            phone.save(update_fields=["tcpa_consent", "tcpa_revoked_at"])
        audit_record(user=user, action="update", obj=consent, meta=meta,
                     summary=f"TCPA consent revoked: {words!r}"[:500])
        worklist_refresh_later(debtor_id=phone.debtor_id)
    return consent
