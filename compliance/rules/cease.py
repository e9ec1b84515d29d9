"""Cease communication and medium opt-outs (15 USC 1692c(c); 12 CFR 1006.6(c), 1006.14(h))."""

from __future__ import annotations

from compliance.context import ELECTRONIC_CHANNELS, Context, digits, lower, parse_datetime
from compliance.rules.base import Rule, Violation
from compliance.rules.disputes import is_written

CEASE_EXCEPTION_PURPOSES = {
    "advise_collection_efforts_terminated", "collection_efforts_terminated",
    "notify_may_invoke_remedy", "may_invoke_remedy", "notify_intends_to_invoke_remedy",
    "intends_to_invoke_remedy", "invoke_specified_remedy",
}
MEDIA = {
    "call": {"phone", "call", "calls", "telephone", "voice", "voicemail"},
    "voicemail": {"phone", "call", "calls", "telephone", "voice", "voicemail"},
    "sms": {"sms", "text", "texts", "text_message", "electronic", "all_electronic"},
    "email": {"email", "e-mail", "electronic", "all_electronic"},
    "social_media": {"social_media", "electronic", "all_electronic"},
    "letter": {"letter", "mail", "postal", "postal_mail"},
    "visit": {"visit", "in_person"},
}


def _same_address(a: object, b: object) -> bool:
    """Same phone number (by digits) or same email/handle (case-insensitive)."""
    if digits(a) and digits(b) and "@" not in str(a) + str(b):
        return digits(a) == digits(b)
    return lower(a) == lower(b)


def _cease_notices(ctx: Context) -> list[dict]:
    raw = ctx.facts.get("cease_notice")
    items = raw if isinstance(raw, list) else [raw]
    return [n for n in items if isinstance(n, dict) and n.get("received_at")]


class CeaseCommunication(Rule):
    """FED-CEASE-01: after a written refusal or cease request, only the three exceptions.

    15 USC 1692c(c); 12 CFR 1006.6(c)(1): once the consumer notifies the collector in writing
    that they refuse to pay or want communication to stop, the collector "shall not
    communicate further with the consumer with respect to such debt", except to advise that
    collection efforts are being terminated, that the collector or creditor may invoke
    specified remedies, or that it intends to invoke a specified remedy. Email or a portal is
    "writing" when the collector accepts communications that way (comment 6(c)(1)-1). Suits,
    furnishing to a CRA and answering consumer-initiated contact are not blocked [K].
    """

    id = "FED-CEASE-01"

    rule_set = "fdcpa"
    reason = "CEASE_COMMUNICATION"
    citation = "15 USC 1692c(c); 12 CFR 1006.6(c); comment 6(c)(1)-1"

    def _excepted(self, ctx: Context) -> bool:
        if ctx.responding_to_consumer:
            return True
        purposes = {ctx.purpose, ctx.letter_type, lower(ctx.content.get("purpose"))}
        excepted = bool(purposes & CEASE_EXCEPTION_PURPOSES) or ctx.letter_type.startswith("cease_exception")
        return excepted and not (ctx.content.get("requests_payment") or ctx.content.get("demands_payment_by"))

    def check(self, ctx: Context) -> list[Violation]:
        if not ctx.is_communication or not ctx.to_consumer_side or self._excepted(ctx):
            return []
        for notice in _cease_notices(ctx):
            scope = notice.get("debt_ids")
            if scope and not ctx.debt_keys(scope) & ctx.action_debt_keys:
                continue
            if ctx.before_now(notice["received_at"]) and is_written(ctx, notice.get("method")):
                kind = lower(notice.get("type")) or "cease request"
                return [self.fail(
                    f"Written {kind.replace('_', ' ')} received {ctx.date(notice['received_at'])} "
                    f"({notice.get('method') or 'writing'}); a {ctx.channel} about this debt is not one "
                    "of the 1692c(c) exceptions (termination notice, or notice of a specified remedy).")]
        return []


class MediumOptOut(Rule):
    """FED-MEDIUM-01 / FED-ELEC-03: honour a request not to use a medium, address or number.

    12 CFR 1006.14(h)(1): a collector may not communicate or attempt to communicate "through a
    medium of communication if the person has requested that the debt collector not use that
    medium", including oral requests and "STOP" replies. Exceptions: one opt-out confirmation,
    one reply when the person initiates contact through that medium, and legally required use.
    """

    id = "FED-MEDIUM-01"

    rule_set = "fdcpa"
    reason = "MEDIUM_OPT_OUT"
    citation = "12 CFR 1006.14(h)(1), (h)(2); 12 CFR 1006.6(e)"

    def check(self, ctx: Context) -> list[Violation]:
        names = MEDIA.get(ctx.channel)
        if not names or ctx.recipient_kind == "professional":
            return []
        if ctx.purpose == "opt_out_confirmation" or ctx.responding_to_consumer or ctx.action_flag("required_by_law"):
            return []
        to = ctx.action.get("to")
        for opt in ctx.consumer.get("medium_opt_outs") or []:
            if not isinstance(opt, dict) or lower(opt.get("medium")) not in names:
                continue
            at = opt.get("requested_at") or opt.get("at")
            if at and not ctx.before_now(at):
                continue
            withdrawn = parse_datetime(opt.get("withdrawn_at"))
            if withdrawn and withdrawn <= ctx.now:
                continue
            address = opt.get("address")
            if address and to and not _same_address(address, to):
                continue
            said = f' ("{opt["statement"]}")' if opt.get("statement") else ""
            rule = "FED-ELEC-03" if ctx.channel in ELECTRONIC_CHANNELS else self.id
            return [self.fail(
                f"The person asked on {ctx.date(at) if at else 'record'} not to be contacted by "
                f"{opt.get('medium')}{' at ' + str(address) if address else ''}{said}.", rule=rule)]
        return []


RULES = [CeaseCommunication(), MediumOptOut()]
