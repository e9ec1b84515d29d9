"""The gate's reason codes as words, in the reader's language.

The engine's decisions keep their codes and their English detail (the audit record of what the rule
found); screens show each code by its label here, translated, so a collector reads "Cease
communication" (or "Cese de comunicaciones") rather than ``CEASE_COMMUNICATION``. A code not listed reads
as its words ("SOME_NEW_RULE" -> "Some new rule").
"""

from django.utils.translation import gettext_lazy as _

REASON_LABELS = {
    "ATTORNEY_REPRESENTED": _("Debtor represented by an attorney"),
    "BANKRUPTCY_AUTOMATIC_STAY": _("Bankruptcy automatic stay"),
    "BANKRUPTCY_CODEBTOR_STAY": _("Bankruptcy co-debtor stay"),
    "BANKRUPTCY_DISCHARGE": _("Debt discharged in bankruptcy"),
    "CALLS_CONCENTRATED_ON_SUNDAYS_OR_HOLIDAYS": _("Calls concentrated on Sundays or holidays"),
    "CALLS_HIGHLY_CONCENTRATED": _("Calls too concentrated"),
    "CALLS_IN_RAPID_SUCCESSION": _("Calls in rapid succession"),
    "CALL_AFTER_REFUSAL_OR_DISPUTE": _("Call after a refusal to pay or a dispute"),
    "CALL_FREQ_7_IN_7": _("Seven calls in seven days"),
    "CALL_WITHIN_7_DAYS_OF_CONVERSATION": _("Call within 7 days of a conversation"),
    "CEASE_COMMUNICATION": _("Cease communication"),
    "CONSUMER_DESIGNATED_INCONVENIENT_TIME": _("Time the debtor said is inconvenient"),
    "DEBT_TRANSFER_PROHIBITED": _("Debt transfer not allowed"),
    "DECEASED_NOTICE_ADDRESSEE": _("Deceased debtor: notice addressee"),
    "DISPUTED_NOT_FLAGGED": _("Disputed debt not flagged as disputed"),
    "DISPUTE_PENDING_VERIFICATION": _("Dispute awaiting verification"),
    "ELECTRONIC_DELIVERY_NOT_EFFECTIVE": _("Electronic delivery not effective"),
    "ENVELOPE_OR_POSTCARD": _("Envelope or postcard reveals the debt"),
    "FACTS_UNREADABLE": _("Account facts could not be read"),
    "FALSE_OR_MISLEADING_REPRESENTATION": _("False or misleading statement"),
    "FCRA_OBSOLETE": _("Too old to report (FCRA)"),
    "FRAUD_CLAIM_HOLD": _("Fraud or identity-theft claim hold"),
    "HIPAA_MINIMUM_NECESSARY": _("Medical details: minimum necessary only"),
    "INCONVENIENT_PLACE_WORKPLACE": _("Workplace contact not allowed"),
    "INCONVENIENT_TIME": _("Outside allowed calling hours"),
    "LOCATION_CONTACT_REPEAT": _("Third party already contacted for location"),
    "MEDICAL_INSURANCE_PENDING": _("Medical insurance claim pending"),
    "MEDICAL_UNDER_500": _("Medical debt under $500"),
    "MEDICAL_WAITING_PERIOD": _("Medical debt waiting period"),
    "MEDIUM_OPT_OUT": _("Debtor opted out of this medium"),
    "METRO2_DOFD_CHANGED": _("Date of first delinquency changed"),
    "METRO2_STATUS_INCONSISTENT": _("Metro 2 status inconsistent"),
    "METRO2_ADDRESS_MISSING": _("Address missing"),
    "METRO2_DOFD_MISSING": _("Date of first delinquency missing"),
    "METRO2_NAME_MISSING": _("Name missing"),
    "MISSING_OPT_OUT_NOTICE": _("Opt-out notice missing"),
    "ORIGINAL_CREDITOR_REQUEST_PENDING": _("Original-creditor request pending"),
    "OVERSHADOWING": _("Overshadows the validation rights"),
    "PASSIVE_COLLECTION_NOT_SATISFIED": _("Passive collection requirement not met"),
    "PAYMENT_APPLIED_TO_DISPUTED_DEBT": _("Payment applied to a disputed debt"),
    "SCRA_COURT_ORDER_REQUIRED": _("Court order required (SCRA)"),
    "SCRA_INTEREST_CAP": _("Interest cap for servicemembers (SCRA)"),
    "SCRA_MILITARY_STATUS_AFFIDAVIT": _("Military status affidavit required (SCRA)"),
    "STATE_MA_CALL_LIMIT": _("Massachusetts call limit"),
    "STATE_MEDICAL_REPORTING_BAN": _("State ban on reporting medical debt"),
    "STATE_NYC_ATTEMPT_LIMIT": _("New York City attempt limit"),
    "STATE_NYC_ELECTRONIC_CONSENT": _("New York City electronic consent required"),
    "STATE_TIME_BARRED_DISCLOSURE_MISSING": _("State time-barred debt disclosure missing"),
    "STATE_WA_COMM_LIMIT": _("Washington communication limit"),
    "TCPA_CONSENT_REVOKED": _("Consent revoked (TCPA)"),
    "TCPA_NO_CONSENT": _("No consent for this call (TCPA)"),
    "TCPA_RESIDENTIAL_PRERECORDED_LIMIT": _("Prerecorded calls to a residential line: limit reached"),
    "THIRD_PARTY_DISCLOSURE": _("Would disclose the debt to a third party"),
    "TIME_BARRED_LEGAL_ACTION": _("Legal action on a time-barred debt"),
    "VALIDATION_NOTICE_CONTENT": _("Validation notice content"),
    "VALIDATION_NOTICE_OVERDUE": _("Validation notice overdue"),
    "VALIDATION_PERIOD_END_TOO_EARLY": _("Validation period ends too early"),
    "VOICEMAIL_NOT_LIMITED_CONTENT": _("Voicemail is not a limited-content message"),
    "WORK_EMAIL": _("Work email address"),
    "CLOSED_NEVER_FURNISHED": _("Closed and never reported"),
    "DELETION_ALREADY_REPORTED": _("Deletion already reported"),
    "PAID_NEVER_FURNISHED": _("Paid and never reported"),
    "PAID_STATUS_ALREADY_REPORTED": _("Paid status already reported"),
}


def reason_label(code) -> str:
    """The label of a reason code in the active language."""
    code = str(code or "")
    label = REASON_LABELS.get(code)
    return str(label) if label is not None else code.replace("_", " ").capitalize()


def reason_labels(codes) -> str:
    """Several reason codes as words, comma-separated."""
    return ", ".join(reason_label(c) for c in (codes or []))
