"""``debt_facts``: one account as an engine debt (COMPLIANCE.md §3 "Debt"), money as Decimal strings."""

from __future__ import annotations

from accounts.models import Account, DebtType
from compliance.models import MedicalDetail

from .common import consumer_id, debt_id, iso, money

__all__ = ["MEDICAL_FIELDS", "debt_facts", "debt_id"]
# what the gate reads of a medical detail (never the diagnosis or procedure codes)
MEDICAL_FIELDS = ("id", "account_id", "date_of_service", "insurance_status", "insurance_filed_on",
                  "insurance_resolved_on")
_READ = object()
# Metro 2 K1 creditor classification by debt type (02 medical/health care, 08 banking, 10 utilities)
CLASSIFICATION = {DebtType.MEDICAL: "02", DebtType.UTILITY: "10", DebtType.CREDIT_CARD: "08",
                  DebtType.CONSUMER_LOAN: "12", DebtType.AUTO_LOAN: "14"}


def debt_facts(*, account: Account, medical_detail=_READ) -> dict:
    """The debt's identity, kind (``purpose``: business for commercial invoices), balances and dates.

    Money is the exact Decimal as a string; the engine reads it back as Decimal. A medical
    account adds the date of service and the insurance status, never diagnosis or procedure codes
    (the gate needs none of them: minimum necessary, 45 CFR 164.502(b)). A batch passes the
    ``medical_detail`` it read (None: there is none); by default it is read here.
    """
    medical = account.debt_type == DebtType.MEDICAL
    facts = {
        "id": debt_id(account),
        "type": account.debt_type,
        "purpose": "personal_family_household" if account.is_consumer_debt else "business",
        "current_creditor": account.creditor.name,
        "original_creditor": account.original_creditor or account.creditor.name,
        "creditor_classification_metro2": CLASSIFICATION.get(account.debt_type),
        "balance": money(account.current_balance),
        "original_balance": money(account.itemization_balance),
        "medical": medical,
        "consumer_debt": account.is_consumer_debt,
        "date_of_first_delinquency": iso(account.date_of_first_delinquency),
        "statute_of_limitations_expires_on": None,
        "paid_in_full_on": None,
        "obligors": [consumer_id(account.debtor)],
    }
    if medical:
        detail = MedicalDetail.objects.filter(account_id=account.pk).only(*MEDICAL_FIELDS).first() \
            if medical_detail is _READ else medical_detail
        if detail is not None:
            facts.update({
                "date_of_service": iso(detail.date_of_service),
                "insurance_status": detail.insurance_status,
                "insurance_filed_on": iso(detail.insurance_filed_on),
                "insurance_resolved_on": iso(detail.insurance_resolved_on),
            })
    return facts
