"""Medical debt furnishing (NCRA policy 2022-03-18; Cal. Civ. 1785.27 and other state bans)."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from compliance.context import Context, as_dict, lower, money
from compliance.rules.base import Rule, Violation
from compliance.rules.credit_reporting import furnishing, metro2

# NCRA joint announcement of 2022-03-18: paid medical collections and the 1-year wait from
# 2022-07-01 (180 days before); balances under $500 from April 2023 (2023-04-11).
MEDICAL_WAITING_FROM = "2022-07-01"
MEDICAL_WAITING_DAYS_BEFORE = 180
MEDICAL_UNDER_500_FROM = "2023-04-11"
INSURANCE_PENDING = {"pending", "submitted", "filed", "in_review", "under_review", "appealed", "appeal",
                     "billed", "awaiting_payment", "awaiting_eob", "insurance_pending"}
# Content that goes beyond what collection needs (45 CFR 164.502(b), 164.514(d)).
PHI_FLAGS = ("diagnosis", "diagnosis_code", "diagnosis_codes", "icd_code", "icd_codes", "icd10",
             "procedure", "procedure_code", "procedure_codes", "cpt_code", "cpt_codes", "hcpcs",
             "treatment", "treatment_description", "medical_condition", "reveals_medical_condition",
             "provider_name_reveals_condition", "provider_specialty", "includes_diagnosis", "includes_procedure",
             "includes_diagnosis_code", "includes_procedure_code", "mentions_diagnosis", "mentions_treatment",
             "medical_record_number", "clinical_notes")
REVEALING_PROVIDER_WORDS = ("oncolog", "cancer", "psychiatr", "mental", "behavioral", "addiction", "rehab",
                            "substance", "hiv", "aids", "std", "fertility", "ivf", "abortion", "planned parenthood",
                            "dialysis", "hospice", "obstetric", "gynecolog", "urolog", "dermatolog", "cardiolog",
                            "neurolog", "plastic surg", "detox", "methadone", "sexual health", "reproductive")
COLLECTION_CHANNELS = {"call", "voicemail", "sms", "email", "letter", "visit", "lawsuit", "credit_report"}
INSURANCE_EXEMPT_PURPOSES = {"validation_notice", "insurance_information_request", "request_insurance_information",
                             "opt_out_confirmation", "verification"}


def medical_debts(ctx: Context) -> list[dict]:
    return [d for d in ctx.action_debts if d.get("medical") or lower(d.get("type")) == "medical"
            or str(d.get("creditor_classification_metro2") or "") == "02"]


def _unpaid(ctx: Context, debt: dict) -> bool:
    paid = ctx.date(debt.get("paid_in_full_on") or debt.get("settled_on"))
    return paid is None or paid > ctx.today


class MedicalUnderFiveHundred(Rule):
    """MED-01: [POL] no furnishing of a medical collection first reported under $500.

    The nationwide CRAs' joint announcement of 2022-03-18 (effective April 2023): medical
    collections with an initial reported balance under $500 are not included on reports.
    """

    id = "MED-01"

    rule_set = "medical_reporting"
    reason = "MEDICAL_UNDER_500"
    citation = "NCRA joint announcement (2022-03-18); Equifax medical-collections policy"

    def check(self, ctx: Context) -> list[Violation]:
        floor = ctx.federal.get("medical_min_reportable_balance")
        start = ctx.date(ctx.federal.get("medical_min_reportable_balance_from") or MEDICAL_UNDER_500_FROM)
        if not furnishing(ctx) or floor is None or ctx.today < start:
            return []
        out = []
        for debt in medical_debts(ctx):
            initial = money(debt.get("original_balance", debt.get("initial_reported_balance", debt.get("balance"))))
            if initial is not None and initial < Decimal(str(floor)):
                out.append(self.fail(f"Medical debt {debt.get('id')} initial balance ${initial:,.2f} is under "
                                     f"${floor:,}; the nationwide CRAs do not accept it."))
        return out


class MedicalWaitingPeriod(Rule):
    """MED-02: [POL] no furnishing of unpaid medical collections until one year has passed.

    NCRA policy (effective 2022-07-01): unpaid medical collections are not reported for one
    year. [POL] The year runs from the later of the date of service and the DOFD.
    """

    id = "MED-02"

    rule_set = "medical_reporting"
    reason = "MEDICAL_WAITING_PERIOD"
    citation = "NCRA joint announcement (2022-03-18), effective 2022-07-01"
    time_based = True

    def _ready_on(self, ctx: Context, debt: dict):
        starts = [ctx.date(debt.get("date_of_service")), ctx.date(debt.get("date_of_first_delinquency"))]
        starts = [s for s in starts if s]
        days = int(ctx.federal.get("medical_waiting_days") or 365)
        if ctx.today < ctx.date(ctx.federal.get("medical_waiting_days_from") or MEDICAL_WAITING_FROM):
            days = MEDICAL_WAITING_DAYS_BEFORE
        return max(starts) + timedelta(days=days) if starts else None

    def _blocked(self, ctx: Context) -> list[tuple[dict, object]]:
        if not furnishing(ctx) or not ctx.federal.get("medical_waiting_days"):
            return []
        out = []
        for debt in medical_debts(ctx):
            ready = self._ready_on(ctx, debt)
            if _unpaid(ctx, debt) and (ready is None or ctx.today < ready):
                out.append((debt, ready))
        return out

    def check(self, ctx: Context) -> list[Violation]:
        return [self.fail(f"Unpaid medical debt {d.get('id')} may not be furnished until "
                          f"{ready or 'a date of service or DOFD is known'}.") for d, ready in self._blocked(ctx)]

    def earliest(self, ctx: Context) -> datetime | None:
        blocked = self._blocked(ctx)
        if not blocked or any(ready is None for _, ready in blocked):
            return None
        return ctx.midnight(max(ready for _, ready in blocked))


class StateMedicalReportingBan(Rule):
    """MED-04: states that forbid furnishing medical debt.

    Cal. Civ. Code 1785.27 (SB 1061, effective 2025-01-01): a person "shall not furnish
    information regarding a medical debt to a consumer credit reporting agency"; a knowing
    violation voids the debt. Other states in the policy table are [K, verify].
    """

    id = "MED-04"

    rule_set = "medical_reporting"
    reason = "STATE_MEDICAL_REPORTING_BAN"
    citation = "Cal. Civ. Code 1785.27; state medical-debt reporting laws (policy table)"

    def check(self, ctx: Context) -> list[Violation]:
        if not furnishing(ctx) or not ctx.state_rule(ctx.state, "medical_reporting_ban"):
            return []
        since = ctx.state_rule(ctx.state, "medical_reporting_ban").get("effective_from")
        return [self.fail(f"{ctx.state} bans furnishing medical debt (since {since}); debt {d.get('id')} is medical.")
                for d in medical_debts(ctx)]


def insurance_pending(ctx: Context, debt: dict) -> str | None:
    """The pending insurance claim on a medical debt, described, or None once resolved."""
    claim = as_dict(debt.get("insurance_claim") or debt.get("insurance"))
    status = lower(debt.get("insurance_status") or claim.get("status"))
    resolved = ctx.date(debt.get("insurance_resolved_on") or claim.get("resolved_on") or claim.get("decided_on"))
    if resolved is not None and resolved <= ctx.today:
        return None
    if status in INSURANCE_PENDING or debt.get("insurance_pending") is True:
        filed = ctx.date(debt.get("insurance_filed_on") or claim.get("filed_on") or claim.get("submitted_on"))
        return f"insurance claim {status or 'pending'}" + (f" since {filed}" if filed else "")
    return None


class InsurancePending(Rule):
    """MED-07: [POL] a medical debt whose insurance claim is pending is not collected or reported.

    The NCRA's one-year wait before reporting medical collections (2022-07-01) exists to let
    insurance resolve; DESIGN.md makes "insurance pending" a hold. Until the claim is resolved,
    no collection communication, lawsuit or furnishing on the debt; once resolved, the MED-02 wait
    (one year from the later of the date of service and the DOFD) still applies to furnishing.
    Allowed meanwhile: the validation notice, asking for insurance information, replying to the
    consumer, an opt-out confirmation.
    """

    id = "MED-07"
    rule_set = "medical_reporting"
    reason = "MEDICAL_INSURANCE_PENDING"
    citation = "[POL] NCRA joint announcement (2022-03-18); 45 CFR 164.506(c) (payment activity)"

    def check(self, ctx: Context) -> list[Violation]:
        if ctx.channel not in COLLECTION_CHANNELS or ctx.recipient_kind == "professional" and not furnishing(ctx):
            return []
        if ctx.channel == "credit_report" and not furnishing(ctx):
            return []  # a deletion is always allowed
        if ctx.responding_to_consumer or {ctx.purpose, ctx.letter_type} & INSURANCE_EXEMPT_PURPOSES \
                or ctx.is_validation_notice:
            return []
        out = []
        for debt in medical_debts(ctx):
            pending = insurance_pending(ctx, debt)
            if pending:
                what = "furnished" if ctx.channel == "credit_report" else "collected"
                out.append(self.fail(f"Medical debt {debt.get('id')} has an {pending}; it is not {what} until the "
                                     "claim is resolved."))
        return out


def _phi_in(value: object) -> list[str]:
    found = []
    if isinstance(value, dict):
        for key, item in value.items():
            if lower(key) in PHI_FLAGS and item not in (None, False, "", []):
                found.append(lower(key))
            found += _phi_in(item) if isinstance(item, (dict, list)) else []
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, str) and lower(item) in PHI_FLAGS:
                found.append(lower(item))
            elif isinstance(item, (dict, list)):
                found += _phi_in(item)
    return found


class MinimumNecessary(Rule):
    """MED-06: HIPAA minimum necessary: no diagnosis, procedure or revealing provider name.

    45 CFR 164.502(b), 164.514(d): a business associate collecting a covered entity's debt uses
    and discloses only the protected health information collection needs. Letters, emails,
    texts, voicemails, envelopes and credit data carry no diagnosis or procedure codes and no
    provider name that reveals a condition; use a generic provider name.
    """

    id = "MED-06"
    rule_set = "hipaa"
    reason = "HIPAA_MINIMUM_NECESSARY"
    citation = "45 CFR 164.502(b), 164.514(d); FCRA 604(g) (15 USC 1681b(g))"

    def check(self, ctx: Context) -> list[Violation]:
        if ctx.channel not in COLLECTION_CHANNELS or not medical_debts(ctx):
            return []
        found = _phi_in({"action": {k: v for k, v in ctx.action.items() if k != "debt_ids"}})
        names = [ctx.action.get("provider_name"), ctx.content.get("provider_name"),
                 as_dict(ctx.action.get("envelope")).get("return_name"),
                 as_dict(ctx.action.get("voicemail_if_unanswered")).get("business_name"),
                 as_dict(ctx.action.get("voicemail")).get("business_name"),
                 as_dict(metro2(ctx).get("k1")).get("original_creditor_name")]
        for name in names:
            if isinstance(name, str) and any(w in name.lower() for w in REVEALING_PROVIDER_WORDS):
                found.append(f'provider name "{name}" reveals a condition')
        if not found:
            return []
        return [self.fail("Medical debt: this " + ctx.channel + " carries health information collection does not "
                          "need (" + ", ".join(dict.fromkeys(found)) + "); use a generic provider name and no codes.")]


class MinimumNecessaryReminder(Rule):
    """MED-06 reminder: [POL] every communication on a medical debt asks the collector to confirm it holds no PHI."""

    id = "MED-06-REMINDER"
    rule_set = "hipaa"
    severity = "warning"
    reason = "HIPAA_MINIMUM_NECESSARY"
    citation = "45 CFR 164.502(b), 164.514(d)"

    def check(self, ctx: Context) -> list[Violation]:
        if ctx.channel not in {"call", "voicemail", "sms", "email", "letter"} or ctx.recipient_kind == "professional":
            return []
        debts = medical_debts(ctx)
        if not debts:
            return []
        return [self.fail("Medical debt: do not mention diagnosis, treatment or procedure codes, and name the provider "
                          "generically (in letters and voicemails too). Confirm before contacting.")]


RULES = [MedicalUnderFiveHundred(), MedicalWaitingPeriod(), StateMedicalReportingBan(), InsurancePending(),
         MinimumNecessary(), MinimumNecessaryReminder()]
