"""Builders for compliance-engine contexts: a clean, allowed context to mutate per test."""

from __future__ import annotations

import copy
from typing import Any

from compliance.engine import evaluate

NY = "America/New_York"
CELL = "+14045550101"
HOME = "+14045550199"


def phone(number: str = CELL, tz: str = NY, line_type: str = "cell", **extra: Any) -> dict:
    return {"number": number, "area_code": number[2:5], "area_code_timezone": tz, "line_type": line_type,
            "is_workplace": False, "status": "active", "tcpa_prior_express_consent": False,
            "tcpa_consent_source": None, "tcpa_consent_revoked_at": None, **extra}


def debt(debt_id: str = "D1", **extra: Any) -> dict:
    return {"id": debt_id, "type": "credit_card", "current_creditor": "Acme Bank, N.A.",
            "original_creditor": "Acme Bank, N.A.", "creditor_classification_metro2": "08",
            "balance": 1843.27, "original_balance": 1843.27, "interest_rate_apr": 0.0, "medical": False,
            "date_of_service": None, "date_of_first_delinquency": "2024-08-15",
            "statute_of_limitations_expires_on": "2030-08-15", "paid_in_full_on": None,
            "student_loan_servicing_account_at_acquisition": None, "obligors": ["CON-001"], **extra}


_BASE: dict = {
    "id": "T",
    "facts": {
        "now": "2025-06-10T11:00:00-04:00",
        "collector": {"type": "third_party_debt_collector", "name": "Northstar Recovery LLC",
                      "accepts_disputes_and_notices_by_email": True},
        "consumer": {
            "id": "CON-001", "name": "Pat Doe", "state": "GA", "city": "Atlanta", "zip": "30303",
            "address_timezone": NY, "current_location_timezone_stated_by_consumer": None,
            "location_known": True, "deceased": False, "date_of_death": None,
            "phones": [phone()],
            "emails": [{"address": "pat.doe@example.com", "is_work_email": False,
                        "acquired_via": "consumer_emailed_collector",
                        "consumer_emailed_collector_from_this_address_at": "2025-01-20T19:05:00-05:00",
                        "consumer_consented_to_electronic_comms_at": None}],
            "inconvenient_times": [], "inconvenient_places": [], "workplace_contact_prohibited": False,
            "medium_opt_outs": [], "direct_prior_consents": [], "attorney": None, "servicemember": None,
            "related_persons": [],
        },
        "debts": [debt()],
        "initial_communication": {"at": "2025-01-06T10:00:00-05:00", "channel": "letter",
                                  "validation_info_provided_orally": False},
        "validation_notice": {"provided_at": "2025-01-06T10:00:00-05:00", "method": "mail",
                              "addressed_to": "Pat Doe", "stated_validation_period_end": "2025-02-12"},
        "disputes": [], "original_creditor_requests": [], "cease_notice": None, "bankruptcy": None,
        "contact_history": [],
        "credit_reporting": {"previously_furnished": False, "last_furnished": None, "undeliverable_notices": []},
    },
    "action": {"channel": "call", "recipient": "consumer", "to": CELL, "debt_ids": ["D1"],
               "dialer": "manual_live_agent", "purpose": "collection"},
}


def context(now: str | None = None, **action: Any) -> dict:
    """A context that the engine allows; ``action`` keys override the default manual call."""
    ctx = copy.deepcopy(_BASE)
    if now:
        ctx["facts"]["now"] = now
    ctx["action"].update(action)
    return ctx


def call(at: str, outcome: str = "no_answer", **extra: Any) -> dict:
    return {"at": at, "channel": "call", "direction": "outbound", "recipient": "consumer", "to_or_from": CELL,
            "debt_ids": ["D1"], "outcome": outcome, **extra}


def letter_action(**extra: Any) -> dict:
    return {"channel": "letter", "recipient": "consumer", "addressed_to": "Pat Doe", "debt_ids": ["D1"],
            "letter_type": "collection_demand", "to": None, "dialer": None,
            "content": {"threatens_legal_action": False, "demands_payment_by": None, "states_amount": 1843.27},
            "envelope": {"exterior_text": [], "return_name": "Northstar Recovery LLC"}, **extra}


def validation_notice_content(**extra: Any) -> dict:
    return {
        "debt_collector_disclosure_1006_18e": True,
        "debt_collector_name_and_dispute_mailing_address": "Northstar Recovery LLC, PO Box 4410, Atlanta, GA",
        "consumer_name_and_mailing_address": "Pat Doe, 12 Oak St, Atlanta, GA 30303",
        "creditor_on_itemization_date": "Acme Bank, N.A.", "account_number_truncated": "****4421",
        "current_creditor": "Acme Bank, N.A.", "itemization_date": "2025-03-31",
        "itemization_date_type": "last_statement_date", "amount_on_itemization_date": 1700.0,
        "interest_since_itemization_date": 118.27, "fees_since_itemization_date": 25.0,
        "payments_and_credits_since_itemization_date": 0.0, "current_amount": 1843.27,
        "stated_validation_period_end": "2025-07-17", "dispute_prompts_present": True,
        "original_creditor_request_prompt_present": True, "cfpb_website_reference_present": True,
        "consumer_response_section_present": True, **extra,
    }


def credit_report_action(**metro2: Any) -> dict:
    return {"channel": "credit_report", "report_type": "initial", "debt_ids": ["D1"], "to": None, "dialer": None,
            "recipient": "cra", "bureaus": ["EQUIFAX", "EXPERIAN", "TRANSUNION"],
            "metro2": {"portfolio_type": "O", "account_type": "48", "account_status": "93", "payment_rating": "",
                       "special_comment": "", "compliance_condition_code": "", "current_balance": 1843,
                       "amount_past_due": 1843, "date_of_first_delinquency": "2024-08-15", **metro2}}


def decide(ctx: dict, **kwargs: Any) -> dict:
    return evaluate(ctx, **kwargs)


def reasons(ctx: dict, **kwargs: Any) -> list[str]:
    return evaluate(ctx, **kwargs)["reasons"]
