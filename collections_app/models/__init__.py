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

__all__ = ["AbilityToPay", "AgingBucket", "BucketChange", "Callback", "ContactPointEvent", "CounselingAgency",
           "Disposition", "DispositionCode", "Queue", "RescoreRun", "ScoringWeights", "Team", "User", "WorkItem"]
