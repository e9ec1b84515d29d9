"""Disputes, original-creditor requests and overshadowing (15 USC 1692g(b), 1692h; 12 CFR 1006.38)."""

from __future__ import annotations

from compliance.context import Context, lower, parse_datetime
from compliance.rules.base import Rule, Violation

ELECTRONIC_MARKERS = ("email", "portal", "web", "electronic", "online", "sms", "text")
ORAL_MARKERS = ("oral", "phone", "call", "verbal", "in_person")
DISPUTE_RESPONSES = {
    "verification", "debt_verification", "dispute_verification", "verification_response",
    "judgment_copy", "duplicative_dispute_notice", "dispute_response", "opt_out_confirmation",
}
OC_RESPONSES = {"original_creditor_information", "original_creditor_name_and_address", "opt_out_confirmation"}


def is_written(ctx: Context, method: object) -> bool:
    """Mail, fax or paper count; electronic only if the collector accepts it that way."""
    m = lower(method)
    if any(k in m for k in ORAL_MARKERS):
        return False
    if any(k in m for k in ELECTRONIC_MARKERS):
        return bool(ctx.collector.get("accepts_disputes_and_notices_by_email")
                    or ctx.collector.get("accepts_electronic_disputes"))
    return True


def is_timely(ctx: Context, item: dict) -> bool:
    """Received on or before the validation-period end (or before any notice was provided)."""
    received = ctx.date(item.get("received_at"))
    if received is None or not ctx.before_now(item.get("received_at")):
        return False
    period = ctx.validation_period
    return period is None or received <= period[1]


def _covers(ctx: Context, item: dict, keys: set[str]) -> bool:
    return not item.get("debt_ids") or bool(ctx.debt_keys(item["debt_ids"]) & keys)


def disputes_for(ctx: Context, keys: set[str]) -> list[dict]:
    return [d for d in ctx.facts.get("disputes") or [] if isinstance(d, dict) and _covers(ctx, d, keys)
            and ctx.before_now(d.get("received_at")) and not ctx.before_now(d.get("withdrawn_at"))]


def pending_disputes(ctx: Context, keys: set[str]) -> list[dict]:
    """Timely written disputes whose verification or judgment copy has not been sent."""
    return [d for d in disputes_for(ctx, keys) if is_written(ctx, d.get("method")) and is_timely(ctx, d)
            and not ctx.before_now(d.get("verification_or_judgment_sent_at") or d.get("verification_sent_at"))]


def pending_oc_requests(ctx: Context, keys: set[str]) -> list[dict]:
    items = [r for r in ctx.facts.get("original_creditor_requests") or [] if isinstance(r, dict)]
    return [r for r in items if _covers(ctx, r, keys) and is_written(ctx, r.get("method"))
            and is_timely(ctx, r) and not ctx.before_now(r.get("provided_at"))]


def _collection_activity(ctx: Context, responses: set[str]) -> bool:
    if ctx.channel == "lawsuit":
        return lower(ctx.action.get("stage")) != "proof_of_claim"
    if not ctx.is_communication or ctx.responding_to_consumer:
        return False
    if ctx.letter_type in responses or ctx.purpose in responses or ctx.purpose == "location_information":
        return False
    return lower(ctx.action.get("recipient")) not in {"cra", "credit_bureau", "consumer_reporting_agency"}


class DisputePendingVerification(Rule):
    """FED-DISP-01: a timely written dispute stops collection until verification is sent.

    15 USC 1692g(b); 12 CFR 1006.38(d)(2): if the consumer disputes in writing within the
    validation period, the collector "shall cease collection of the debt, or any disputed
    portion thereof, until the debt collector obtains verification ... and a copy of such
    verification or judgment ... is mailed to the consumer". Oral or late disputes trigger no
    cease duty (FED-DISP-01a) but the debt is still reported as disputed (FED-CR-03).
    """

    id = "FED-DISP-01"

    rule_set = "fdcpa"
    reason = "DISPUTE_PENDING_VERIFICATION"
    citation = "15 USC 1692g(b); 12 CFR 1006.38(d)(2)"

    def check(self, ctx: Context) -> list[Violation]:
        if not _collection_activity(ctx, DISPUTE_RESPONSES):
            return []
        pending = pending_disputes(ctx, ctx.action_debt_keys)
        if not pending:
            return []
        end = ctx.validation_period[1] if ctx.validation_period else None
        item = pending[0]
        return [self.fail(
            f"Written dispute ({item.get('method') or 'written'}) received {ctx.date(item.get('received_at'))}"
            + (f", on or before the validation-period end {end}" if end else "")
            + "; collection must stop until verification or a judgment copy is sent.")]


class OriginalCreditorRequestPending(Rule):
    """FED-DISP-02: a timely written original-creditor request stops collection until answered.

    15 USC 1692g(a)(5), (b); 12 CFR 1006.38(c): the collector must cease collection until it
    provides the name and address of the original creditor, if different from the current one.
    """

    id = "FED-DISP-02"

    rule_set = "fdcpa"
    reason = "ORIGINAL_CREDITOR_REQUEST_PENDING"
    citation = "15 USC 1692g(b); 12 CFR 1006.38(c)"

    def check(self, ctx: Context) -> list[Violation]:
        if not _collection_activity(ctx, OC_RESPONSES):
            return []
        pending = pending_oc_requests(ctx, ctx.action_debt_keys)
        if not pending:
            return []
        creditors = {d.get("original_creditor") for d in ctx.action_debts if d.get("original_creditor")}
        return [self.fail(
            f"Written original-creditor request received {ctx.date(pending[0].get('received_at'))} within "
            f"the validation period; send the original creditor's name and address "
            f"({', '.join(sorted(creditors)) or 'unknown'}) before collecting.")]


class Overshadowing(Rule):
    """FED-DISP-03: nothing during the validation period may overshadow the consumer's rights.

    15 USC 1692g(b) (last sentence); 12 CFR 1006.38(b): collection communications during the
    validation period "may not overshadow or be inconsistent with the disclosure of the
    consumer's right to dispute the debt or request the name and address of the original
    creditor". [POL] Blocked: a payment deadline before the end date, a threat of legal action
    during the period, or content flagged as burying the rights.
    """

    id = "FED-DISP-03"

    rule_set = "fdcpa"
    reason = "OVERSHADOWING"
    citation = "15 USC 1692g(b); 12 CFR 1006.38(b)"

    def check(self, ctx: Context) -> list[Violation]:
        if not ctx.is_communication:
            return []
        if ctx.is_validation_notice:
            end = ctx.date(ctx.content.get("stated_validation_period_end"))
            in_period = end is not None
        else:
            period = ctx.validation_period
            end = period[1] if period else None
            in_period = bool(period) and period[0] <= ctx.today <= period[1]
        if not in_period:
            return []
        content, problems = ctx.content, []
        deadline = ctx.date(content.get("demands_payment_by"))
        if deadline and deadline < end:
            problems.append(f"payment deadline {deadline} precedes the validation-period end {end}")
        legal = ctx.legal_action_deadline
        if legal and legal < end:
            problems.append(f"it names {legal} for legal action, before the validation-period end {end}")
        elif ctx.threatens_legal_action:
            problems.append("it threatens legal action during the validation period")
        if ctx.action_flag("overshadows_validation_rights", "buries_validation_rights"):
            problems.append("its presentation obscures the dispute and original-creditor rights")
        if not problems:
            return []
        return [self.fail("Communication overshadows validation rights: " + "; ".join(problems) + ".")]


class PaymentAllocation(Rule):
    """FED-DISP-04: a single payment is never applied to a disputed debt.

    15 USC 1692h; 12 CFR 1006.30(c): where a consumer owes several debts and makes a single
    payment, the collector may not apply it to a disputed debt and, where applicable, must
    apply it as the consumer directs.
    """

    id = "FED-DISP-04"

    rule_set = "fdcpa"
    reason = "PAYMENT_APPLIED_TO_DISPUTED_DEBT"
    citation = "15 USC 1692h; 12 CFR 1006.30(c)"

    def check(self, ctx: Context) -> list[Violation]:
        if ctx.channel not in {"payment_allocation", "payment"}:
            return []
        out = []
        directed = set(ctx.action.get("consumer_directed_debt_ids") or [])
        for alloc in ctx.action.get("allocations") or []:
            debt_id = alloc.get("debt_id") if isinstance(alloc, dict) else None
            if debt_id and disputes_for(ctx, ctx.debt_keys([debt_id])) and debt_id not in directed:
                out.append(self.fail(f"Payment allocated to disputed debt {debt_id}."))
            elif debt_id and directed and debt_id not in directed:
                out.append(self.fail(f"Payment allocated to {debt_id} against the consumer's direction."))
        return out


def dispute_received_dates(ctx: Context, keys: set[str]) -> list[str]:
    return sorted(str(ctx.date(parse_datetime(d.get("received_at")) or d.get("received_at")))
                  for d in disputes_for(ctx, keys))


RULES = [DisputePendingVerification(), OriginalCreditorRequestPending(), Overshadowing(), PaymentAllocation()]
