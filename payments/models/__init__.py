"""Payments, promises to pay, payment plans, settlements and reminders.

Every status field is a TextChoices with its transitions table beside it; statuses move only in
``payments.services.status.*_status_change`` (one place per machine).
"""

from .batch import BatchStatus, PaymentBatch
from .payment import Payment, PaymentAllocation, PaymentMethod, PaymentSource, PaymentStatus, Refund, ReturnReason
from .plan import Frequency, Installment, InstallmentStatus, PaymentPlan, PlanStatus
from .promise import Promise, PromiseStatus
from .reminder import Reminder, ReminderChannel, ReminderKind, ReminderPreference, ReminderStatus
from .settings import InterestMethod, InterestTerms, PaymentSettings
from .settlement import Settlement, SettlementKind, SettlementStatus

__all__ = [
    "BatchStatus", "PaymentBatch",
    "Frequency", "Installment", "InstallmentStatus", "InterestMethod", "InterestTerms", "Payment",
    "PaymentAllocation", "PaymentMethod", "PaymentPlan", "PaymentSettings", "PaymentSource", "PaymentStatus",
    "PlanStatus", "Promise", "PromiseStatus", "Refund", "Reminder", "ReminderChannel", "ReminderKind",
    "ReminderPreference", "ReminderStatus",
    "ReturnReason", "Settlement", "SettlementKind", "SettlementStatus",
]
