"""Required disclosures delivered electronically (12 CFR 1006.42; E-SIGN, 15 USC 7001(c)).

A collector that sends a required disclosure (the validation notice, 1006.34) electronically
must do it in a manner reasonably expected to provide actual notice and in a form the consumer
can keep and access later (1006.42(a)(1)). It may rely on the consumer's E-SIGN consent, or on
the alternative procedures of 1006.42(b)-(c): the notice goes in the body of an email that is the
initial communication, or to an email address or number the consumer used to communicate with
the collector (or consented to), or one the creditor used after a notice naming the collector with
a 35-day opt-out window that has passed (1006.6(d)(4)), with no opt-out since; it carries the
1006.6(e) opt-out notice. A notice of undeliverability means the disclosure was not provided
(comment 42(a)(1)-2), so the validation notice is then still owed.
"""

from __future__ import annotations

from datetime import timedelta

from compliance.context import Context, as_dict, digits, lower
from compliance.rules.base import Rule, Violation

ELECTRONIC_METHODS = {"email", "e-mail", "electronic", "hyperlink", "portal", "website", "sms", "text", "web"}
CREDITOR_NOTICE_OPT_OUT_DAYS = 35  # 1006.6(d)(4)(i)(B)(2): at least 35 days to opt out


def undeliverable_for(ctx: Context, sent) -> list[dict]:
    """Undeliverable notices that belong to a communication made at ``sent`` (date or datetime)."""
    day = ctx.date(sent)
    out = []
    for item in as_dict(ctx.facts.get("credit_reporting")).get("undeliverable_notices") or []:
        if not isinstance(item, dict) or not ctx.before_now(item.get("received_at") or item.get("at") or ctx.now):
            continue
        linked = item.get("for_communication_at") or item.get("sent_on") or item.get("for_sent_on")
        if linked is not None and ctx.date(linked) == day:
            out.append(item)
    return out


def validation_notice_undelivered(ctx: Context) -> bool:
    notice = ctx.validation_notice
    provided = notice.get("provided_at") or notice.get("sent_on")
    if not provided:
        return False
    if notice.get("undeliverable") or notice.get("returned_undeliverable_at") or notice.get("bounced_at"):
        return True
    return bool(undeliverable_for(ctx, provided))


def _delivery_method(ctx: Context) -> str:
    method = lower(ctx.action.get("delivery_method") or ctx.action.get("method") or ctx.content.get("delivery_method"))
    if ctx.channel in {"email", "sms"}:
        return ctx.channel
    return method if method in ELECTRONIC_METHODS else ""


def _esign(ctx: Context) -> bool:
    keys = ("esign_consent_at", "e_sign_consent_at", "esign_consent", "e_sign_consent")
    return any(ctx.before_now(ctx.consumer.get(k)) or ctx.consumer.get(k) is True for k in keys) or ctx.action_flag(
        "esign_consent", "esign_consent_obtained")


def _opted_out(ctx: Context, medium: str, address) -> bool:
    for opt in ctx.consumer.get("medium_opt_outs") or []:
        if not isinstance(opt, dict) or not ctx.before_now(opt.get("requested_at") or opt.get("at") or ctx.now):
            continue
        names = {"email": {"email", "e-mail", "electronic", "all_electronic"},
                 "sms": {"sms", "text", "texts", "electronic", "all_electronic"}}[medium]
        if lower(opt.get("medium")) in names and (not opt.get("address") or lower(opt.get("address")) == lower(
                address) or digits(opt.get("address")) == digits(address)):
            return True
    return False


def _address_qualifies(ctx: Context, medium: str, to) -> str | None:
    """Why the address or number may receive the disclosure under 1006.42(c), or None."""
    if _opted_out(ctx, medium, to):
        return None
    if medium == "email":
        email = ctx.email(to) or {}
        if ctx.before_now(email.get("consumer_emailed_collector_from_this_address_at")):
            return "the consumer emailed the collector from it"
        if ctx.before_now(email.get("consumer_consented_to_electronic_comms_at")):
            return "the consumer consented to its use"
        sent = ctx.date(email.get("creditor_notice_sent_at") or email.get("prior_notice_sent_at"))
        if sent and ctx.today >= sent + timedelta(days=CREDITOR_NOTICE_OPT_OUT_DAYS) and not email.get(
                "opted_out_at"):
            return "the creditor's notice and 35-day opt-out window have passed"
        return None
    phone = ctx.phone(to) or {}
    used = phone.get("consumer_texted_collector_from_this_number_at") or phone.get("sms_consent_at") or phone.get(
        "electronic_comms_consent_at")
    checked = phone.get("reassigned_numbers_database_checked_at")
    if ctx.before_now(used) and checked and ctx.before_now(checked) and ctx.date(checked) >= ctx.date(used):
        return "the consumer texted from or consented to it, and the reassigned-numbers database was checked since"
    return None


class ElectronicDelivery(Rule):
    """FED-ELEC-05: a validation notice sent electronically must satisfy 1006.42."""

    id = "FED-ELEC-05"
    rule_set = "fdcpa"
    reason = "ELECTRONIC_DELIVERY_NOT_EFFECTIVE"
    citation = "12 CFR 1006.42(a)-(c), 1006.6(d)(4), (e); 15 USC 7001(c)"

    def check(self, ctx: Context) -> list[Violation]:
        if not ctx.is_validation_notice or not ctx.to_consumer_side:
            return []
        method = _delivery_method(ctx)
        if not method:
            return []
        problems = []
        medium = "sms" if method in {"sms", "text"} else "email"
        to = ctx.action.get("to") or ctx.action.get("email") or ctx.action.get("address")
        if ctx.action_flag("not_retainable") or ctx.content.get("retainable") is False or ctx.action.get(
                "retainable") is False:
            problems.append("it is not in a form the consumer can keep and access later")
        if not (ctx.action_flag("includes_opt_out_notice", "opt_out_notice")):
            problems.append("it has no 1006.6(e) opt-out notice")
        in_body_first = medium == "email" and ctx.action_flag("in_body_of_email", "notice_in_email_body") and not \
            as_dict(ctx.facts.get("initial_communication")).get("at")
        why = "E-SIGN consent" if _esign(ctx) else ("the notice is in the body of the initial email"
                                                     if in_body_first else _address_qualifies(ctx, medium, to))
        if why is None:
            problems.append(f"there is no E-SIGN consent and {to or 'the address'} does not qualify under "
                            "1006.42(c) (the consumer has not used it to reach the collector, consented to it, or "
                            "been given the creditor's 35-day opt-out notice)")
        if to and undeliverable_for(ctx, ctx.now):
            problems.append("an earlier electronic delivery today was returned undeliverable")
        if not problems:
            return []
        return [self.fail(f"Validation notice by {method}: " + "; ".join(problems) + ".")]


RULES = [ElectronicDelivery()]
