"""The compliance screens (compliance role and admin; supervisors may read)."""

from .audit import audit_export, audit_log
from .complaints import complaint_action, complaint_list
from .dashboard import home
from .direct_consents import direct_consent_list, direct_consent_revoke
from .medical import medical_record
from .policy import policy_edit, policy_list
from .records import (
    consent_list,
    consent_revoke,
    dispute_list,
    dispute_status,
    oc_request_list,
    oc_request_provided,
    restriction_add,
    restriction_end,
    restriction_list,
)
from .simulator import simulator

__all__ = [
    "audit_export", "audit_log", "complaint_action", "complaint_list",
    "consent_list", "consent_revoke", "direct_consent_list", "direct_consent_revoke",
    "dispute_list", "dispute_status", "home", "medical_record",
    "oc_request_list", "oc_request_provided", "policy_edit", "policy_list", "restriction_add", "restriction_end",
    "restriction_list", "simulator",
]
