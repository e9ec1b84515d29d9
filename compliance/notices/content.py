"""Validation-notice content (12 CFR 1006.34(c); COMPLIANCE.md FED-VN-02, FED-VN-03). Pure: no database.

`validation_notice_content` turns plain data about the collector, the consumer and the debt into
the complete content of a Model Form B-1 notice; `validate_notice_content` names every required
item that is missing or wrong (rule VALIDATION_NOTICE_CONTENT), so a notice is never rendered,
stored or mailed with a gap. `engine_content` is the same notice in the shape the rules engine's
`action.content` expects (compliance/examples.json).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext_noop

from compliance.calendar import assumed_receipt_date, validation_period_end

from . import wording

CENT = Decimal("0.01")
ZERO = Decimal("0.00")
RULE_ID, REASON = "FED-VN-02", "VALIDATION_NOTICE_CONTENT"
# 12 CFR 1006.34(b)(3): the itemization date is exactly one of these reference dates.
ITEMIZATION_DATE_TYPES = ("last_statement_date", "charge_off_date", "last_payment_date", "transaction_date",
                          "judgment_date")

# Required item -> label, in the order of COMPLIANCE.md FED-VN-02. Problems are reported by these names; the
# English labels are msgids (the preview page shows them in the reader's language).
REQUIRED_ITEMS: dict[str, str] = {
    "debt_collector_disclosure": gettext_noop("debt-collector disclosure (1006.18(e))"),
    "collector_name": gettext_noop("debt collector's name"),
    "collector_mailing_address": gettext_noop("debt collector's mailing address for disputes and original-creditor "
                                              "requests"),
    "consumer_name": gettext_noop("consumer's name"),
    "consumer_mailing_address": gettext_noop("consumer's mailing address"),
    "creditor_on_itemization_date": gettext_noop("creditor as of the itemization date"),
    "account_number": gettext_noop("account number (truncated) as of the itemization date"),
    "current_creditor": gettext_noop("current creditor"),
    "itemization_date": gettext_noop("itemization date"),
    "itemization_date_type": f"itemization date type (one of {', '.join(ITEMIZATION_DATE_TYPES)})",
    "amount_on_itemization_date": gettext_noop("amount owed on the itemization date"),
    "interest_since_itemization_date": gettext_noop("interest charged since the itemization date"),
    "fees_since_itemization_date": gettext_noop("fees charged since the itemization date"),
    "payments_and_credits_since_itemization_date": gettext_noop("payments and credits since the itemization date"),
    "current_amount": gettext_noop("current amount of the debt"),
    "itemization_reconciles": gettext_noop("itemization reconciles (amount then + interest + fees - payments = "
                                           "current amount)"),
    "validation_period_end": gettext_noop("validation-period end date no earlier than the FED-VN-03 minimum"),
    "end_date_statement_assumed_valid": gettext_noop("statement that unless disputed by the end date the debt is "
                                                     "assumed valid"),
    "end_date_statement_dispute_stops_collection": gettext_noop("statement that a written dispute by the end date "
                                                                "stops collection until verification is sent"),
    "end_date_statement_original_creditor": gettext_noop("statement that a written original-creditor request by "
                                                         "the end date stops collection until it is provided"),
    "cfpb_reference": f"reference to {wording.CFPB_WEBSITE}",
    "electronic_dispute_instructions": gettext_noop("electronic-dispute instructions (the collector accepts them)"),
    "response_dispute_prompts": gettext_noop("tear-off dispute prompts (not my debt / amount is wrong / other)"),
    "response_original_creditor_request": gettext_noop("tear-off original-creditor request prompt"),
    "response_enclosed_amount": gettext_noop("tear-off 'I enclosed this amount' prompt"),
    "response_mailing_addresses": gettext_noop("tear-off mailing addresses"),
}


class NoticeContentIncomplete(ValueError):
    """Raised instead of producing a notice that lacks required content; `.missing` names each item."""

    def __init__(self, missing: list[str]):
        self.missing = list(missing)
        super().__init__(describe_missing(self.missing))


def describe_missing(missing: list[str]) -> str:
    labels = "; ".join(f"{name} ({REQUIRED_ITEMS.get(name, name)})" for name in missing)
    return f"Validation notice is missing required content: {labels}."


def truncate_account_number(number: str) -> str:
    """Only the last four characters are shown (1006.34(c)(2)(iv) permits truncation)."""
    kept = "".join(ch for ch in (number or "") if ch.isalnum())[-4:]
    return f"****{kept}" if kept else ""


def address_lines(party: Mapping) -> list[str]:
    """Mailing address lines from {address_line1, address_line2, city, state, zip}."""
    state_zip = " ".join(p for p in (party.get("state"), party.get("zip")) if p)
    city_line = ", ".join(p for p in (party.get("city"), state_zip) if p)
    return [line for line in (party.get("address_line1"), party.get("address_line2"), city_line) if line]


def itemization_since(net_by_kind: Mapping[str, Decimal]) -> dict[str, Decimal]:
    """Interest, fees and payments/credits since the itemization date, to the cent.

    ``net_by_kind`` is the signed net of the entries posted after the itemization date, by kind,
    with each reversal counted under the kind of the entry it reverses. Interest and fees are the
    net amounts charged; a net credit of interest or fees (a waiver) is a credit. Payments and
    credits are everything else, so the parts always reconcile: then + interest + fees - payments
    equals then + the net change.
    """
    net = {kind: Decimal(amount or 0) for kind, amount in net_by_kind.items()}
    change = sum(net.values(), ZERO)
    interest = max(net.get("interest", ZERO), ZERO)
    fees = max(net.get("fee", ZERO), ZERO)
    return {"interest": interest, "fees": fees, "payments_and_credits": interest + fees - change,
            "net_change": change}


def validation_notice_content(*, collector: Mapping, consumer: Mapping, debt: Mapping, totals: Mapping,
                              sent_on: date, language: str, end_date: date | None = None,
                              offer_spanish: bool = True) -> dict:
    """The complete Model Form B-1 content for one debt.

    collector: the COLLECTOR_PROFILE shape (name, address_line1/2, city, state, zip, phone, hours,
    hours_es, website, accepts_electronic_disputes, electronic_dispute_address).
    consumer: name, address_line1/2, city, state, zip.
    debt: reference, account_number, creditor_on_itemization_date, current_creditor,
    itemization_date, itemization_date_type, amount_on_itemization_date, and optionally
    ledger_balance (the account's booked balance, which the current amount must equal).
    totals: interest, fees, payments_and_credits since the itemization date (`itemization_since`).
    end_date: a later end date than the FED-VN-03 minimum may be stated; the minimum by default.
    """
    minimum_end = validation_period_end(sent_on)
    end = end_date or minimum_end
    then = debt.get("amount_on_itemization_date")
    interest, fees, credits = (totals.get(k) for k in ("interest", "fees", "payments_and_credits"))
    parts = (then, interest, fees, credits)
    current = then + interest + fees - credits if all(isinstance(p, Decimal) for p in parts) else None
    electronic = (collector.get("electronic_dispute_address") or None
                  if collector.get("accepts_electronic_disputes") else None)
    reference = str(debt.get("reference") or "")
    account_number = truncate_account_number(str(debt.get("account_number") or ""))
    text = wording.statements(
        language=language, collector_name=collector.get("name") or "",
        current_creditor=debt.get("current_creditor") or "",
        creditor_on_itemization_date=debt.get("creditor_on_itemization_date") or "",
        account_number=account_number, itemization_date=debt.get("itemization_date"), end_date=end,
        electronic_address=electronic, reference=reference)
    offer = bool(offer_spanish and language == "en")
    if offer:
        text["spanish_offer"] = wording.SPANISH_OFFER
        text["response_spanish_request"] = wording.SPANISH_REQUEST_PROMPT
    return {
        "language": language,
        "sent_on": sent_on,
        "reference": reference,
        "collector": {
            "name": collector.get("name") or "",
            "address_lines": address_lines(collector),
            "phone": collector.get("phone") or "",
            "hours": (language == "es" and collector.get("hours_es")) or collector.get("hours") or "",
            "website": collector.get("website") or "",
            "accepts_electronic_disputes": bool(collector.get("accepts_electronic_disputes")),
            "electronic_dispute_address": electronic or "",
        },
        "consumer": {"name": consumer.get("name") or "", "address_lines": address_lines(consumer)},
        "creditor_on_itemization_date": debt.get("creditor_on_itemization_date") or "",
        "current_creditor": debt.get("current_creditor") or "",
        "account_number_truncated": account_number,
        "itemization_date": debt.get("itemization_date"),
        "itemization_date_type": debt.get("itemization_date_type") or "",
        "amount_on_itemization_date": then,
        "interest_since_itemization_date": interest,
        "fees_since_itemization_date": fees,
        "payments_and_credits_since_itemization_date": credits,
        "current_amount": current,
        "ledger_balance": debt.get("ledger_balance"),
        "assumed_receipt_date": assumed_receipt_date(sent_on),
        "minimum_validation_period_end": minimum_end,
        "validation_period_end": end,
        "offers_spanish": offer,
        "text": text,
    }


def _is_cents(value) -> bool:
    return isinstance(value, Decimal) and value.is_finite() and value == value.quantize(CENT)


def _says(text: Mapping, key: str, *needles: str) -> bool:
    sentence = text.get(key)
    return bool(sentence) and all(needle and needle in sentence for needle in needles)


def validate_notice_content(content: Mapping) -> list[str]:
    """Every required FED-VN-02 item (and FED-VN-03 end date) that is missing or wrong, by name.

    Runs every check and reports all failures, in REQUIRED_ITEMS order; an empty list means the
    notice is complete. Names are the keys of REQUIRED_ITEMS.
    """
    text = content.get("text") or {}
    collector = content.get("collector") or {}
    consumer = content.get("consumer") or {}
    language = content.get("language")
    end, minimum = content.get("validation_period_end"), content.get("minimum_validation_period_end")
    end_text = wording.format_date(end, language) if isinstance(end, date) and language in wording.LANGUAGES else ""
    money = {k: content.get(k) for k in ("amount_on_itemization_date", "interest_since_itemization_date",
                                         "fees_since_itemization_date",
                                         "payments_and_credits_since_itemization_date", "current_amount")}
    ok = {
        "debt_collector_disclosure": _says(text, "debt_collector_disclosure", collector.get("name"),
                                           content.get("current_creditor")),
        "collector_name": bool(collector.get("name")),
        "collector_mailing_address": len(collector.get("address_lines") or []) >= 2,
        "consumer_name": bool(consumer.get("name")),
        "consumer_mailing_address": len(consumer.get("address_lines") or []) >= 2,
        "creditor_on_itemization_date": _says(text, "debt_description", content.get("creditor_on_itemization_date")),
        "account_number": _says(text, "debt_description", content.get("account_number_truncated")),
        "current_creditor": bool(content.get("current_creditor")),
        "itemization_date": isinstance(content.get("itemization_date"), date),
        "itemization_date_type": content.get("itemization_date_type") in ITEMIZATION_DATE_TYPES,
        "amount_on_itemization_date": _is_cents(money["amount_on_itemization_date"]),
        "interest_since_itemization_date": _is_cents(money["interest_since_itemization_date"])
        and money["interest_since_itemization_date"] >= 0,
        "fees_since_itemization_date": _is_cents(money["fees_since_itemization_date"])
        and money["fees_since_itemization_date"] >= 0,
        # Negative means charges or debit adjustments after the itemization date, which Model
        # Form B-1 has no line for: choose a later itemization date instead.
        "payments_and_credits_since_itemization_date": _is_cents(money["payments_and_credits_since_itemization_date"])
        and money["payments_and_credits_since_itemization_date"] >= 0,
        "current_amount": _is_cents(money["current_amount"]),
        "itemization_reconciles": all(_is_cents(v) for v in money.values()) and (
            money["amount_on_itemization_date"] + money["interest_since_itemization_date"]
            + money["fees_since_itemization_date"] - money["payments_and_credits_since_itemization_date"]
            == money["current_amount"]) and (
            content.get("ledger_balance") is None or content.get("ledger_balance") == money["current_amount"]),
        "validation_period_end": isinstance(end, date) and isinstance(minimum, date) and end >= minimum,
        "end_date_statement_assumed_valid": _says(text, "dispute_by_end_date", end_text),
        "end_date_statement_dispute_stops_collection": _says(text, "dispute_stops_collection", end_text),
        "end_date_statement_original_creditor": _says(text, "original_creditor_by_end_date", end_text),
        "cfpb_reference": _says(text, "cfpb_reference", wording.CFPB_WEBSITE),
        "electronic_dispute_instructions": not collector.get("accepts_electronic_disputes") or _says(
            text, "electronic_dispute_instructions", collector.get("electronic_dispute_address")),
        "response_dispute_prompts": bool(text.get("response_dispute_intro"))
        and len([o for o in text.get("response_dispute_options") or [] if o]) == 3,
        "response_original_creditor_request": bool(text.get("response_original_creditor")),
        "response_enclosed_amount": bool(text.get("response_enclosed_amount")),
        "response_mailing_addresses": bool(text.get("response_mail_to")) and bool(collector.get("address_lines"))
        and bool(consumer.get("address_lines")),
    }
    return [name for name in REQUIRED_ITEMS if not ok[name]]


def engine_content(content: Mapping) -> dict:
    """The notice as `action.content` for the rules engine (field names of compliance/examples.json).

    The engine's JSON snapshot carries amounts as numbers; they are exact to the cent here.
    """
    missing = set(validate_notice_content(content))
    collector, consumer = content.get("collector") or {}, content.get("consumer") or {}

    def amount(key):
        value = content.get(key)
        return float(value) if isinstance(value, Decimal) else None

    def iso(key):
        value = content.get(key)
        return value.isoformat() if isinstance(value, date) else None

    return {
        "language": content.get("language"),
        "debt_collector_disclosure_1006_18e": "debt_collector_disclosure" not in missing,
        "debt_collector_name_and_dispute_mailing_address": "" if missing & {
            "collector_name", "collector_mailing_address"} else ", ".join(
            [collector["name"], *collector["address_lines"]]),
        "consumer_name_and_mailing_address": "" if missing & {"consumer_name", "consumer_mailing_address"}
        else ", ".join([consumer["name"], *consumer["address_lines"]]),
        "creditor_on_itemization_date": content.get("creditor_on_itemization_date"),
        "account_number_truncated": content.get("account_number_truncated"),
        "current_creditor": content.get("current_creditor"),
        "itemization_date": iso("itemization_date"),
        "itemization_date_type": content.get("itemization_date_type"),
        "amount_on_itemization_date": amount("amount_on_itemization_date"),
        "interest_since_itemization_date": amount("interest_since_itemization_date"),
        "fees_since_itemization_date": amount("fees_since_itemization_date"),
        "payments_and_credits_since_itemization_date": amount("payments_and_credits_since_itemization_date"),
        "current_amount": amount("current_amount"),
        "stated_validation_period_end": iso("validation_period_end"),
        "dispute_prompts_present": not missing & {"end_date_statement_assumed_valid",
                                                  "end_date_statement_dispute_stops_collection",
                                                  "response_dispute_prompts"},
        "original_creditor_request_prompt_present": not missing & {"end_date_statement_original_creditor",
                                                                   "response_original_creditor_request"},
        "cfpb_website_reference_present": "cfpb_reference" not in missing,
        "consumer_response_section_present": not missing & {"response_dispute_prompts",
                                                            "response_original_creditor_request",
                                                            "response_enclosed_amount",
                                                            "response_mailing_addresses"},
        "electronic_dispute_instructions_present": "electronic_dispute_instructions" not in missing,
        "optional_spanish_statement": bool(content.get("offers_spanish")),
    }
