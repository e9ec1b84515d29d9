"""The hook the validation-notice generator calls once a notice has gone out."""

from __future__ import annotations

from datetime import date

from django.core.files.base import ContentFile
from django.db import transaction

from accounts.audit import audit_record
from compliance.models import ValidationNotice


def validation_notice_record(*, account, sent_on: date, method: str, addressee: str, user=None,
                             stated_end_date: date | None = None, language: str = "en",
                             pdf_bytes: bytes | None = None, filename: str | None = None,
                             meta: dict | None = None) -> ValidationNotice:
    """Record a validation notice as sent (the gate then knows the validation period)."""
    with transaction.atomic():
        notice = ValidationNotice(account=account, sent_on=sent_on, method=method, addressee=addressee,
                                  stated_end_date=stated_end_date, language=language, created_by=user)
        if pdf_bytes is not None:
            notice.pdf.save(filename or f"validation-notice-{account.pk}-{sent_on}.pdf", ContentFile(pdf_bytes),
                            save=False)
        notice.full_clean()
        notice.save()
        audit_record(user=user, action="create", obj=notice, meta=meta,
                     summary=f"validation notice sent {sent_on} to {addressee}")
    return notice
