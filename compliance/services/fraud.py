"""Fraud and identity-theft claims: a restriction the gate reads (FRAUD-01, every channel incl. credit
reporting) plus a legal hold that keeps the account's records from the purge (placed and released by
``restriction_create`` / ``restriction_end``, whichever screen records the claim)."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext

from compliance.models import FraudClaim

from .restrictions import restriction_create, restriction_end


def fraud_claim_record(*, account, user, kind: str = FraudClaim.Kind.IDENTITY_THEFT,
                       received_at: datetime | None = None, method: str = "oral",
                       identity_theft_report: bool = False, statement: str = "",
                       meta: dict | None = None) -> FraudClaim:
    """Record the claim on ``account``: collection and credit reporting stop at once."""
    if kind not in FraudClaim.Kind.values:
        raise ValidationError({"kind": gettext("Choose one of %(choices)s.")
                                      % {"choices": ", ".join(FraudClaim.Kind.values)}})
    return restriction_create(
        kind="fraud_claim", debtor=account.debtor, account=account, user=user, meta=meta,
        fields={"kind": kind, "received_at": received_at or timezone.now(), "method": method,
                "identity_theft_report": identity_theft_report, "statement": statement})


def fraud_claim_end(*, claim: FraudClaim, user, reason: str, meta: dict | None = None) -> FraudClaim:
    """The investigation is over: the gate stops holding the account and the claim's hold is released."""
    return restriction_end(restriction=claim, user=user, reason=reason, meta=meta)
