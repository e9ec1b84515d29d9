"""Writes of the compliance app, by topic. Each owns its transaction and records an AuditEvent."""

from accounts.audit import audit_record, client_meta

from .complaints import (
    complaint_close,
    complaint_counts,
    complaint_investigate,
    complaint_record,
    complaint_respond,
    complaint_status_change,
)
from .consents import tcpa_consent_record, tcpa_consent_revoke
from .direct_consents import direct_consent_record, direct_consent_revoke
from .disputes import (
    dispute_record,
    dispute_status_change,
    original_creditor_request_provide,
    original_creditor_request_record,
)
from .fraud import fraud_claim_end, fraud_claim_record
from .notices import validation_notice_record
from .policy import state_policy_save
from .restrictions import restriction_create, restriction_end

__all__ = [
    "audit_record",
    "client_meta",
    "complaint_close",
    "complaint_counts",
    "complaint_investigate",
    "complaint_record",
    "complaint_respond",
    "complaint_status_change",
    "fraud_claim_end",
    "fraud_claim_record",
    "direct_consent_record",
    "direct_consent_revoke",
    "dispute_record",
    "dispute_status_change",
    "original_creditor_request_provide",
    "original_creditor_request_record",
    "restriction_create",
    "restriction_end",
    "state_policy_save",
    "tcpa_consent_record",
    "tcpa_consent_revoke",
    "validation_notice_record",
]
