"""Validation notice timing, content and end date (15 USC 1692g(a); 12 CFR 1006.34)."""

from __future__ import annotations

from datetime import timedelta

from compliance.calendar import assumed_receipt_date, validation_period_end
from compliance.context import Context, as_dict, lower
from compliance.rules.base import Rule, Violation
from compliance.rules.electronic_delivery import validation_notice_undelivered

ITEMIZATION_DATE_TYPES = {
    "last_statement_date", "charge_off_date", "last_payment_date", "transaction_date", "judgment_date",
}
NON_FINANCIAL_PRODUCT_DEBT_TYPES = {"medical", "utility", "telecom", "rent", "government", "hoa"}


class ValidationNoticeOverdue(Rule):
    """FED-VN-01: validation information within 5 days after the initial communication.

    12 CFR 1006.34(a)(1): the collector must provide the validation information in the initial
    communication, orally in it, or "within five days after that initial communication" (the
    engine counts calendar days). No duty arises if the debt is paid within those 5 days.
    [POL] Once overdue, every outbound collection communication is blocked except the notice.
    """

    id = "FED-VN-01"

    rule_set = "fdcpa"
    reason = "VALIDATION_NOTICE_OVERDUE"
    citation = "15 USC 1692g(a); 12 CFR 1006.34(a)(1)-(2)"

    def check(self, ctx: Context) -> list[Violation]:
        first = as_dict(ctx.facts.get("initial_communication"))
        day = ctx.date(first.get("at"))
        if (day is None or first.get("validation_info_provided_orally") or not ctx.is_communication
                or not ctx.to_consumer_side or ctx.is_validation_notice):
            return []
        undelivered = validation_notice_undelivered(ctx)
        if ctx.before_now(ctx.validation_notice.get("provided_at") or ctx.validation_notice.get("sent_on")) \
                and not undelivered:
            return []
        due = day + timedelta(days=int(ctx.federal.get("validation_notice_due_days") or 5))
        if ctx.today <= due:
            return []
        paid = [ctx.date(d.get("paid_in_full_on")) for d in ctx.action_debts]
        if paid and all(p is not None and p <= due for p in paid):
            return []
        return [self.fail(
            f"Initial communication on {day} ({first.get('channel') or 'unknown channel'}) without "
            f"validation information; the notice was due by {due} and has not been provided"
            f"{' (the one sent came back undeliverable, 12 CFR 1006.42(a))' if undelivered else ''}. Only "
            "the validation notice itself may go out.")]


def _missing_content(ctx: Context) -> list[str]:
    content = ctx.content
    required = [
        ("debt_collector_disclosure_1006_18e", "debt-collector disclosure (1006.18(e))"),
        ("debt_collector_name_and_dispute_mailing_address", "collector name and dispute mailing address"),
        ("consumer_name_and_mailing_address", "consumer name and mailing address"),
        ("current_creditor", "current creditor"),
        ("itemization_date", "itemization date"),
        ("current_amount", "current amount of the debt"),
        ("stated_validation_period_end", "validation-period end date"),
        ("dispute_prompts_present", "dispute statements and prompts"),
        ("original_creditor_request_prompt_present", "original-creditor request statement"),
        ("cfpb_website_reference_present", "CFPB website reference"),
        ("consumer_response_section_present", "consumer-response (tear-off) section"),
    ]
    missing = [label for key, label in required if content.get(key) in (None, "", False, [])]
    if not (content.get("account_number_truncated") or content.get("account_number")):
        missing.append("account number")
    amounts = [
        ("amount_on_itemization_date", "amount on the itemization date"),
        ("interest_since_itemization_date", "interest since the itemization date"),
        ("fees_since_itemization_date", "fees since the itemization date"),
        ("payments_and_credits_since_itemization_date", "payments and credits since the itemization date"),
    ]
    missing += [label for key, label in amounts if not isinstance(content.get(key), (int, float))]
    kind = lower(content.get("itemization_date_type"))
    if content.get("itemization_date") and kind not in ITEMIZATION_DATE_TYPES:
        missing.append(f"itemization date type must be one of {sorted(ITEMIZATION_DATE_TYPES)}")
    financial = any(lower(d.get("type")) not in NON_FINANCIAL_PRODUCT_DEBT_TYPES for d in ctx.action_debts)
    if financial and not content.get("creditor_on_itemization_date"):
        missing.append("creditor as of the itemization date")
    for key, label in [("electronic_dispute_instructions_present", "electronic-dispute instructions")]:
        if key in content and not content[key]:
            missing.append(label)
    return missing


class ValidationNoticeContent(Rule):
    """FED-VN-02: the notice carries every 1006.34(c) item.

    12 CFR 1006.34(c): the debt-collector disclosure, collector and consumer names and
    addresses, the itemization-date creditor and account number, current creditor, the
    itemization date and amount, the itemization of interest, fees, payments and credits, the
    current amount, the validation-period end date with the dispute and original-creditor
    statements, the CFPB website reference and the consumer-response section.
    """

    id = "FED-VN-02"

    rule_set = "fdcpa"
    reason = "VALIDATION_NOTICE_CONTENT"
    citation = "15 USC 1692g(a); 12 CFR 1006.34(c), (d)"

    def check(self, ctx: Context) -> list[Violation]:
        if not ctx.is_validation_notice:
            return []
        missing = _missing_content(ctx)
        if not missing:
            return []
        return [self.fail("Validation notice is missing required content: " + "; ".join(missing) + ".")]


class ValidationPeriodEndTooEarly(Rule):
    """FED-VN-03: the stated end date is no earlier than the computed minimum.

    12 CFR 1006.34(b)(5), (c)(3): the validation period ends 30 days after the consumer
    receives (or is assumed to receive) the notice; receipt is assumed on the fifth day after
    sending excluding weekends and 5 USC 6103(a) holidays. A later stated date is allowed.
    """

    id = "FED-VN-03"

    rule_set = "fdcpa"
    reason = "VALIDATION_PERIOD_END_TOO_EARLY"
    citation = "12 CFR 1006.34(b)(5), (c)(3); 5 USC 6103(a)"

    def check(self, ctx: Context) -> list[Violation]:
        if not ctx.is_validation_notice:
            return []
        stated = ctx.date(ctx.content.get("stated_validation_period_end")
                          or ctx.action.get("stated_validation_period_end"))
        sent = ctx.date(ctx.action.get("mailed_on") or ctx.action.get("sent_on")) or ctx.today
        if stated is None:
            return []
        minimum = validation_period_end(sent)
        if stated >= minimum:
            return []
        return [self.fail(
            f"Stated end date {stated} is before the minimum {minimum} for a notice sent {sent} "
            f"(assumed receipt {assumed_receipt_date(sent)} + 30 days).")]


RULES = [ValidationNoticeOverdue(), ValidationNoticeContent(), ValidationPeriodEndTooEarly()]
