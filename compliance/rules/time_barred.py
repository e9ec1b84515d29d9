"""Time-barred debt (12 CFR 1006.26; 15 USC 1692e(2)(A), (5); NY CPLR 214-i, 23 NYCRR 1.3; Cal. Civ. 1788.14(d))."""

from __future__ import annotations

from datetime import date

from compliance.context import Context, add_years, lower
from compliance.rules.base import Rule, Violation

WRITTEN_CHANNELS = {"letter", "email", "sms"}


def sol_expiry(ctx: Context, debt: dict) -> date | None:
    """Earliest of the recorded SOL expiry and the governing state's statutory period from DOFD."""
    dates = [ctx.date(debt.get("statute_of_limitations_expires_on"))]
    state = str(debt.get("sol_governing_state") or ctx.state).upper()
    years = ctx.state_value(state, "consumer_credit_sol_years")
    accrual = ctx.date(debt.get("date_of_first_delinquency"))
    if years and accrual:
        dates.append(add_years(accrual, int(years)))
    known = [d for d in dates if d]
    return min(known) if known else None


def time_barred(ctx: Context, debt: dict) -> bool | None:
    """True if the SOL has run by today (expiry date itself counts as expired), None if unknown."""
    expiry = sol_expiry(ctx, debt)
    return None if expiry is None else ctx.today >= expiry


class TimeBarredLegalAction(Rule):
    """FED-TB-01: never sue or threaten to sue on a time-barred debt.

    12 CFR 1006.26(b): "a debt collector must not bring or threaten to bring a legal action
    against a consumer to collect a time-barred debt" (strict liability; proofs of claim in
    bankruptcy excluded). 15 USC 1692e(2)(A), (5). [POL] If the SOL is unknown, a lawsuit is
    treated as time-barred.
    """

    id = "FED-TB-01"

    rule_set = "fdcpa"
    reason = "TIME_BARRED_LEGAL_ACTION"
    citation = "12 CFR 1006.26(b); 15 USC 1692e(2)(A), (5)"

    def check(self, ctx: Context) -> list[Violation]:
        suing = ctx.channel == "lawsuit" and lower(ctx.action.get("stage")) != "proof_of_claim"
        threatening = ctx.is_communication and ctx.threatens_legal_action
        if not (suing or threatening):
            return []
        out = []
        for debt in ctx.action_debts:
            barred = time_barred(ctx, debt)
            what = "Lawsuit" if suing else "Threat of legal action"
            if barred:
                out.append(self.fail(f"{what} on debt {debt.get('id')}, whose limitations period expired "
                                     f"{sol_expiry(ctx, debt)}."))
            elif barred is None and suing:
                out.append(self.fail(f"Lawsuit on debt {debt.get('id')} with no known limitations date; "
                                     "[POL] an unknown SOL is treated as expired."))
        return out


DISCLOSURE_KEYS = ("time_barred_disclosure_text", "time_barred_disclosure", "state_time_barred_disclosure",
                   "time_barred_disclosure_included")


def disclosure_given(ctx: Context) -> bool:
    """A time-barred disclosure is in the message: a flag, or text that tells the consumer they cannot be sued.

    ``action.content.time_barred_disclosure_text`` is read as the disclosure itself: both the NY
    (23 NYCRR 1.3) and the CA (Civ. 1788.14(d)) wording say the consumer cannot be sued; text
    that does not is not the disclosure.
    """
    flags = ctx.content_flags
    for key in DISCLOSURE_KEYS:
        for value in (ctx.content.get(key), ctx.action.get(key), flags.get(key)):
            if isinstance(value, str) and value.strip():
                text = value.lower()
                if "sue" in text and not any(w in text for w in ("will sue", "may sue you", "can sue you")):
                    return True
            elif value is True:
                return True
    return False


class _StateTimeBarredDisclosure(Rule):
    reason = "STATE_TIME_BARRED_DISCLOSURE_MISSING"
    jurisdiction = ""
    every_communication = True

    def check(self, ctx: Context) -> list[Violation]:
        if ctx.channel not in WRITTEN_CHANNELS or not ctx.to_consumer_side:
            return []
        if ctx.state != self.jurisdiction or not ctx.state_rule(self.jurisdiction, "time_barred_disclosure"):
            return []
        if disclosure_given(ctx):
            return []
        out = []
        for debt in ctx.action_debts:
            if not time_barred(ctx, debt):
                continue
            if not self.every_communication and debt.get("time_barred_disclosure_provided_on"):
                continue
            out.append(self.fail(
                f"Debt {debt.get('id')} is past the {self.jurisdiction} limitations period "
                f"({sol_expiry(ctx, debt)}); this {ctx.channel} lacks the required time-barred-debt disclosure."))
        return out


class NewYorkTimeBarredDisclosure(_StateTimeBarredDisclosure):
    """STATE-TB-NY: New York written communications on possibly time-barred debt carry the disclosure.

    23 NYCRR 1.3: a collector that knows or has reason to know the SOL may have expired must
    disclose it in writing; CPLR 214-i (2022-04-07) sets 3 years for consumer-credit actions
    and a payment does not revive them. [POL] Required in every written communication.
    """

    id = "STATE-TB-NY"

    rule_set = "state_consumer"
    citation = "23 NYCRR 1.3; NY CPLR 214-i; 6 RCNY 5-77"
    jurisdiction = "NY"


class CaliforniaTimeBarredDisclosure(_StateTimeBarredDisclosure):
    """STATE-TB-CA: California's first written communication after the SOL runs carries the notice.

    Cal. Civ. Code 1788.14(d): "The law limits how long you can be sued on a debt. Because of
    the age of your debt, [creditor] cannot sue you for it ..." plus the credit-reporting
    sentence; CCP 337 gives 4 years on written contracts.
    """

    id = "STATE-TB-CA"

    rule_set = "state_consumer"
    citation = "Cal. Civ. Code 1788.14(d), 1788.56; CCP 337"
    jurisdiction = "CA"
    every_communication = False


RULES = [TimeBarredLegalAction(), NewYorkTimeBarredDisclosure(), CaliforniaTimeBarredDisclosure()]
