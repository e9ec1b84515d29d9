"""HIPAA minimum necessary on medical accounts: what a collector sees, and the audited full record.

45 CFR 164.502(b), 164.514(d): a business associate collecting a covered entity's debt uses only
the protected health information collection needs. Collectors see a generic provider name, the
date of service and the insurance status; the real provider name, diagnosis and procedure codes
and the clinical description are shown to users with the ``compliance.view_full_medical_record``
permission (given by default to the compliance and admin roles), and every such view is audited.
"""

from __future__ import annotations

from accounts.access import ADMIN, COMPLIANCE, has_role
from accounts.audit import audit_record
from accounts.models import Account, DebtType
from compliance.models import AuditAction, MedicalDetail

FULL_RECORD_PERMISSION = "compliance.view_full_medical_record"
FULL_RECORD_ROLES = (COMPLIANCE, ADMIN)


def can_view_full_medical_record(user) -> bool:
    return has_role(user, *FULL_RECORD_ROLES) or bool(getattr(user, "has_perm", None)
                                                     and user.has_perm(FULL_RECORD_PERMISSION))


def medical_summary(*, account: Account, user) -> dict | None:
    """What collection needs of a medical account (no PHI beyond it), or None for other debts."""
    if account.debt_type != DebtType.MEDICAL:
        return None
    detail = MedicalDetail.objects.filter(account_id=account.pk).first()
    return {
        "provider_label": detail.generic_provider_name if detail else "Medical services",
        "date_of_service": detail.date_of_service if detail else None,
        "insurance_status": detail.get_insurance_status_display() if detail else "Not recorded",
        "insurance_pending": bool(detail and detail.insurance_pending),
        "has_detail": detail is not None,
        "full_access": can_view_full_medical_record(user),
    }


def medical_record_view(*, account: Account, user, meta: dict | None = None) -> MedicalDetail:
    """The full medical record, for a user allowed to see it; the view is written to the audit log."""
    if not can_view_full_medical_record(user):
        raise PermissionError("Viewing the full medical record needs the view_full_medical_record permission.")
    detail = MedicalDetail.objects.select_related("account").get(account_id=account.pk)
    audit_record(user=user, action=AuditAction.VIEW, obj=detail, meta=meta,
                 summary=f"viewed full medical record (PHI) of account {account.creditor_account_number}")
    return detail
