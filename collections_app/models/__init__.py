from .dashboards import (
    CollectorGoal,
    CreditorFee,
    DashActivity,
    DashAging,
    DashAgingSnapshot,
    DashCollection,
    DashPlacement,
    DashPromise,
    DashQueue,
    DashRoll,
)
from .escalations import Escalation, EscalationKind, EscalationStatus, SuitStage
from .skiptrace import SkipLead, SkipSearch, SkipSource, SkipStatus, SkipTraceCase, SkipVendorBatch
from .users import Team, User
from .worklist import (
    AbilityToPay,
    AgingBucket,
    BucketChange,
    Callback,
    ContactPointEvent,
    CounselingAgency,
    Disposition,
    DispositionCode,
    Queue,
    RescoreRun,
    ScoringWeights,
    WorkItem,
)

__all__ = ["AbilityToPay", "AgingBucket", "BucketChange", "Callback", "CollectorGoal", "ContactPointEvent",
           "CreditorFee",
           "CounselingAgency", "DashActivity", "DashAging", "DashAgingSnapshot", "DashCollection", "DashPlacement",
           "DashPromise", "DashQueue", "DashRoll",
           "Disposition", "DispositionCode", "Escalation", "EscalationKind", "EscalationStatus",
           "SkipLead", "SkipSearch", "SkipSource", "SkipStatus", "SkipTraceCase", "SkipVendorBatch", "SuitStage",
           "Queue", "RescoreRun", "ScoringWeights", "Team", "User", "WorkItem"]
