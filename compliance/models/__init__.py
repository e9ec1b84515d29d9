# AuditEvent moved to accounts (the bottom layer); re-exported here for older import paths.
from accounts.models.audit import AuditAction, AuditEvent

from .bureau import Metro2Outcome, Metro2Record, Metro2Run
from .complaints import COMPLAINT_TRANSITIONS, Complaint, ComplaintSource, ComplaintStatus
from .consents import DirectPriorConsent, TcpaConsent
from .disputes import DISPUTE_TRANSITIONS, Dispute, DisputeStatus, OriginalCreditorRequest
from .holds import HoldKind, LegalHold
from .logs import (
    CONTACT_TRANSITIONS,
    INBOUND_CALL_OUTCOMES,
    AttemptStatus,
    CallOutcome,
    Channel,
    ContactAttempt,
    Direction,
    Purpose,
    Recipient,
)
from .medical import InsuranceStatus, MedicalDetail
from .notices import ValidationNotice
from .people import RelatedPerson
from .policy import StatePolicy
from .restrictions import (
    RESTRICTION_MODELS,
    AttorneyRepresentation,
    Bankruptcy,
    CeaseRequest,
    DeceasedRecord,
    DoNotCallNumber,
    FraudClaim,
    InconvenientPlace,
    InconvenientTime,
    MediumOptOut,
    ServicememberRecord,
)
from .retention import PurgedRecord, PurgeRun, RecordKind, RetentionPolicy

__all__ = [
    "COMPLAINT_TRANSITIONS",
    "Complaint",
    "ComplaintSource",
    "ComplaintStatus",
    "FraudClaim",
    "Purpose",
    "Recipient",
    "CONTACT_TRANSITIONS",
    "DISPUTE_TRANSITIONS",
    "INBOUND_CALL_OUTCOMES",
    "RESTRICTION_MODELS",
    "AttemptStatus",
    "AttorneyRepresentation",
    "AuditAction",
    "AuditEvent",
    "Bankruptcy",
    "CallOutcome",
    "CeaseRequest",
    "Channel",
    "ContactAttempt",
    "DeceasedRecord",
    "DirectPriorConsent",
    "Direction",
    "Dispute",
    "DisputeStatus",
    "DoNotCallNumber",
    "HoldKind",
    "InconvenientPlace",
    "InconvenientTime",
    "InsuranceStatus",
    "LegalHold",
    "MedicalDetail",
    "Metro2Outcome",
    "Metro2Record",
    "Metro2Run",
    "RelatedPerson",
    "MediumOptOut",
    "OriginalCreditorRequest",
    "PurgeRun",
    "PurgedRecord",
    "RecordKind",
    "RetentionPolicy",
    "ServicememberRecord",
    "StatePolicy",
    "TcpaConsent",
    "ValidationNotice",
]
