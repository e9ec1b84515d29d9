"""Credit reporting (12 CFR 1006.30; FCRA 15 USC 1681c, 1681s-2; Metro 2 CRRG)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from compliance.context import Context, add_years, as_dict, lower, money
from compliance.rules.base import Rule, Violation
from compliance.rules.consent import entry_channel, entry_debt_keys, is_conversation, is_outbound
from compliance.rules.disputes import disputes_for, pending_disputes, pending_oc_requests

DELETE_STATUSES = {"DA", "DF"}
PAID_STATUSES = {"13", "61", "62", "63", "64", "65"}
RATED_STATUSES = {"05", "13", "65", "88", "89", "94", "95"}
DISPUTE_CODES_PENDING = {"XB", "XD", "XF"}
DISPUTE_CODES_RESOLVED = DISPUTE_CODES_PENDING | {"XC", "XE", "XG", "XH"}
FAILED_SEND = ("undeliverable", "bounce", "returned", "failed")


def metro2(ctx: Context) -> dict:
    return as_dict(ctx.action.get("metro2"))


def status(ctx: Context) -> str:
    return str(metro2(ctx).get("account_status") or "").upper()


def furnishing(ctx: Context) -> bool:
    """A credit-bureau submission that is not a deletion."""
    return ctx.channel == "credit_report" and status(ctx) not in DELETE_STATUSES


def initial_furnishing(ctx: Context) -> bool:
    reporting = as_dict(ctx.facts.get("credit_reporting"))
    kind = lower(ctx.action.get("report_type"))
    return furnishing(ctx) and (kind in {"initial", "new"} or not reporting.get("previously_furnished"))


def last_furnished(ctx: Context) -> dict:
    return as_dict(as_dict(ctx.facts.get("credit_reporting")).get("last_furnished"))


class PassiveCollection(Rule):
    """FED-CR-01: speak with the consumer, or send a message and wait 14 days, before furnishing.

    12 CFR 1006.30(a)(1): before furnishing, the collector must speak to the consumer about the
    debt in person or by telephone, or place a letter in the mail or send an electronic message
    about the debt and wait "a reasonable period of time to receive a notice of
    undeliverability" (14 consecutive days, comment 30(a)(1)-2). [POL] Furnishing is allowed
    from send date + 15; an undeliverable notice during the wait disqualifies that send.
    """

    id = "FED-CR-01"

    rule_set = "fdcpa"
    reason = "PASSIVE_COLLECTION_NOT_SATISFIED"
    citation = "12 CFR 1006.30(a)(1)-(2); comment 30(a)(1)-2"
    time_based = True

    def _valid_sends(self, ctx: Context) -> list[date]:
        keys = ctx.action_debt_keys
        sends = []
        notice = ctx.validation_notice
        if ctx.before_now(notice.get("provided_at")):
            sends.append(ctx.date(notice["provided_at"]))
        for e in ctx.history:
            if (entry_channel(e) in {"letter", "email", "sms"} and is_outbound(e) and e.get("at")
                    and lower(e.get("recipient") or "consumer") == "consumer" and entry_debt_keys(ctx, e) & keys
                    and not any(k in lower(e.get("outcome")) for k in FAILED_SEND)):
                sends.append(ctx.date(e["at"]))
        wait = int(ctx.federal.get("passive_collection_wait_days") or 14)
        bounced = as_dict(ctx.facts.get("credit_reporting")).get("undeliverable_notices") or []
        valid = []
        for sent in sorted(set(sends)):
            hit = False
            for u in bounced:
                got = ctx.date(u.get("received_at") if isinstance(u, dict) else u)
                linked = ctx.date(u.get("for_communication_at") or u.get("sent_on") or u.get("for_sent_on")) \
                    if isinstance(u, dict) else None
                if got and sent <= got <= sent + timedelta(days=wait) and linked in (None, sent):
                    hit = True
            if not hit:
                valid.append(sent)
        return valid

    def _spoke(self, ctx: Context) -> bool:
        return any(is_conversation(e) or (entry_channel(e) == "visit" and "conversation" in lower(e.get("outcome")))
                   for e in ctx.history if ctx.person_key(e) == "consumer"
                   and entry_debt_keys(ctx, e) & ctx.action_debt_keys)

    def check(self, ctx: Context) -> list[Violation]:
        if not initial_furnishing(ctx) or self._spoke(ctx):
            return []
        wait = int(ctx.federal.get("passive_collection_wait_days") or 14)
        valid = self._valid_sends(ctx)
        if any(ctx.today >= d + timedelta(days=wait + 1) for d in valid):
            return []
        if valid:
            first = min(valid)
            return [self.fail(f"No conversation with the consumer yet, and the message sent {first} has not "
                              f"completed its {wait}-day wait; furnishing is allowed from "
                              f"{first + timedelta(days=wait + 1)}.")]
        return [self.fail("No conversation with the consumer and no delivered letter or electronic message "
                          "about the debt; furnishing is not yet allowed.")]

    def earliest(self, ctx: Context) -> datetime | None:
        valid = self._valid_sends(ctx)
        wait = int(ctx.federal.get("passive_collection_wait_days") or 14)
        return ctx.midnight(min(valid) + timedelta(days=wait + 1)) if valid else None


class DisputedInitialFurnishing(Rule):
    """FED-CR-02: [POL] no first-time furnishing while a timely dispute or OC request is pending.

    15 USC 1692g(b) (collection must cease) and FCRA 623(a)(3); an existing tradeline is instead
    updated with XB (FED-CR-03).
    """

    id = "FED-CR-02"

    rule_set = "fdcpa"
    reason = "DISPUTE_PENDING_VERIFICATION"
    citation = "15 USC 1692g(b); 15 USC 1681s-2(a)(3)"

    def check(self, ctx: Context) -> list[Violation]:
        if not initial_furnishing(ctx):
            return []
        out = []
        if pending_disputes(ctx, ctx.action_debt_keys):
            out.append(self.fail("Initial furnishing while a timely written dispute awaits verification."))
        if pending_oc_requests(ctx, ctx.action_debt_keys):
            out.append(self.fail("Initial furnishing while an original-creditor request is unanswered.",
                                 reason="ORIGINAL_CREDITOR_REQUEST_PENDING"))
        return out


class DisputedNotFlagged(Rule):
    """FED-CR-03: a debt known to be disputed is furnished with Compliance Condition Code XB.

    15 USC 1692e(8) (failing to communicate that a disputed debt is disputed); 15 USC
    1681s-2(a)(3); Metro 2 Field 20: XB while investigating, XH when complete, XC when the
    consumer disagrees. A code persists until replaced or removed with XR.
    """

    id = "FED-CR-03"

    rule_set = "fcra"
    reason = "DISPUTED_NOT_FLAGGED"
    citation = "15 USC 1692e(8); 15 USC 1681s-2(a)(3); Metro 2 Field 20"

    def check(self, ctx: Context) -> list[Violation]:
        if not furnishing(ctx):
            return []
        disputes = disputes_for(ctx, ctx.action_debt_keys)
        if not disputes:
            return []
        code = str(metro2(ctx).get("compliance_condition_code") or "").upper()
        if not code and as_dict(ctx.facts.get("credit_reporting")).get("previously_furnished"):
            code = str(last_furnished(ctx).get("compliance_condition_code") or "").upper()
        open_ = [d for d in disputes if not (ctx.before_now(d.get("verification_or_judgment_sent_at"))
                                             or ctx.before_now(d.get("investigation_completed_at")))]
        allowed = DISPUTE_CODES_PENDING if open_ else DISPUTE_CODES_RESOLVED
        if code in allowed:
            return []
        return [self.fail(f"Debt disputed ({disputes[0].get('method') or 'unspecified'}, received "
                          f"{ctx.date(disputes[0].get('received_at'))}) but Compliance Condition Code is "
                          f"'{code or 'blank'}'; report {'XB' if open_ else 'XH or XC'}.")]


class Metro2StatusConsistent(Rule):
    """FED-CR-04 / MED-03: Account Status matches the facts.

    15 USC 1681s-2(a)(1)-(2); 12 CFR 1022.42; CRRG Field 17A: unpaid collection 93; paid in full
    62; settled for less 62 + Special Comment AU; recalled or reported in error DA; confirmed
    identity theft DF (FCRA 605B). Payment Rating is blank except for statuses 05, 13, 65,
    88, 89, 94 and 95. Paid medical collections report 62 or DA (MED-03).
    """

    id = "FED-CR-04"

    rule_set = "fcra"
    reason = "METRO2_STATUS_INCONSISTENT"
    citation = "15 USC 1681s-2(a)(1)-(2); 12 CFR 1022.42; Metro 2 CRRG Field 17A"

    def _problems(self, ctx: Context, debt: dict) -> list[str]:
        m2, st = metro2(ctx), status(ctx)
        balance = money(m2.get("current_balance"))
        paid_on = ctx.date(debt.get("paid_in_full_on") or debt.get("settled_on"))
        paid = paid_on is not None and paid_on <= ctx.today
        settled = bool(debt.get("settled_for_less") or debt.get("settled_on"))
        collection = str(m2.get("account_type") or "") in {"48", "0C"} or "collector" in lower(
            ctx.collector.get("type")) or "buyer" in lower(ctx.collector.get("type"))
        problems = []
        if debt.get("identity_theft_confirmed"):
            return [] if st == "DF" else ["confirmed identity theft must be deleted with DF"]
        if debt.get("recalled_on") or debt.get("reported_in_error"):
            return [] if st in DELETE_STATUSES else ["a recalled or erroneous account must be deleted with DA"]
        if st in DELETE_STATUSES:
            return []
        if paid:
            if collection and st != "62":
                problems.append(f"paid in full {paid_on} but Account Status {st or 'blank'}; a paid collection is 62")
            elif not collection and st not in PAID_STATUSES:
                problems.append(f"paid {paid_on} but Account Status {st or 'blank'} is not a paid status")
            if settled and str(m2.get("special_comment") or "").upper() != "AU":
                problems.append("settled for less than the full balance needs Special Comment AU")
            if balance is not None and balance > 0:
                problems.append(f"paid account reports balance {balance}")
        else:
            if st in PAID_STATUSES:
                problems.append(f"Account Status {st} says paid but the debt is unpaid")
            elif collection and st != "93":
                problems.append(f"unpaid collection account must report 93, not {st or 'blank'}")
            if st == "93" and balance == 0:
                problems.append("Account Status 93 with a zero balance")
        rating = str(m2.get("payment_rating") or "").strip()
        if rating and st not in RATED_STATUSES:
            problems.append(f"Payment Rating '{rating}' must be blank for Account Status {st}")
        return problems

    def check(self, ctx: Context) -> list[Violation]:
        if ctx.channel != "credit_report":
            return []
        return [self.fail(f"Debt {d.get('id')}: {p}.") for d in ctx.action_debts for p in self._problems(ctx, d)]


class DofdChanged(Rule):
    """FED-CR-05: report the original creditor's DOFD and never change it (no re-aging).

    15 USC 1681s-2(a)(5); Metro 2 Field 25: the date of first delinquency is the first 30-day
    delinquency that led to collection or charge-off, and must not be altered later.
    """

    id = "FED-CR-05"

    rule_set = "fcra"
    reason = "METRO2_DOFD_CHANGED"
    citation = "15 USC 1681s-2(a)(5); Metro 2 CRRG Field 25"

    def check(self, ctx: Context) -> list[Violation]:
        reported = ctx.date(metro2(ctx).get("date_of_first_delinquency"))
        if not furnishing(ctx) or reported is None:
            return []
        known = {ctx.date(last_furnished(ctx).get("date_of_first_delinquency"))}
        known |= {ctx.date(d.get("date_of_first_delinquency")) for d in ctx.action_debts}
        known.discard(None)
        changed = sorted(str(k) for k in known if k != reported)
        if not changed:
            return []
        return [self.fail(f"Reported DOFD {reported} differs from the established DOFD {', '.join(changed)}.")]


class FcraObsolete(Rule):
    """FED-CR-05 (obsolescence): stop furnishing once the account is obsolete.

    15 USC 1681c(a)(4), (c)(1): collection accounts may not be reported more than 7 years
    after the delinquency began (measured from 180 days after its start); [POL] the engine
    stops at DOFD + 7 years.
    """

    id = "FED-CR-05-OBS"

    rule_set = "fcra"
    reason = "FCRA_OBSOLETE"
    citation = "15 USC 1681c(a)(4), (c)(1)"

    def check(self, ctx: Context) -> list[Violation]:
        if not furnishing(ctx):
            return []
        years = int(ctx.federal.get("fcra_obsolete_years") or 7)
        out = []
        for debt in ctx.action_debts:
            dates = [ctx.date(debt.get("date_of_first_delinquency")),
                     ctx.date(last_furnished(ctx).get("date_of_first_delinquency")),
                     ctx.date(metro2(ctx).get("date_of_first_delinquency"))]
            dofd = min((d for d in dates if d), default=None)
            if dofd and ctx.today >= add_years(dofd, years):
                out.append(self.fail(f"Debt {debt.get('id')}: DOFD {dofd} is {years}+ years ago; the account "
                                     f"became obsolete on {add_years(dofd, years)}."))
        return out


class TransferProhibited(Rule):
    """FED-CR-06: no sale, transfer or placement of a paid, settled, discharged or identity-theft debt.

    12 CFR 1006.30(b)(1): a collector must not sell, transfer for consideration or place for
    collection a debt it knows or should know has been paid or settled, discharged in
    bankruptcy, or is subject to an identity-theft report (exceptions: transfers to the debt
    owner, securitization).
    """

    id = "FED-CR-06"

    rule_set = "fdcpa"
    reason = "DEBT_TRANSFER_PROHIBITED"
    citation = "12 CFR 1006.30(b)"

    def check(self, ctx: Context) -> list[Violation]:
        if ctx.channel not in {"debt_sale", "sale", "transfer", "placement"}:
            return []
        if ctx.action_flag("transferee_is_debt_owner", "securitization"):
            return []
        bk = as_dict(ctx.facts.get("bankruptcy"))
        discharged = lower(bk.get("status")) == "discharged" or ctx.before_now(bk.get("discharged_on"))
        out = []
        for debt in ctx.action_debts:
            why = ("paid or settled" if debt.get("paid_in_full_on") or debt.get("settled_on") else
                   "subject to an identity-theft report" if debt.get("identity_theft_report")
                   or debt.get("identity_theft_confirmed") else
                   "discharged in bankruptcy" if discharged and debt.get("id") in (
                       bk.get("debt_ids_discharged") or [debt.get("id")]) else None)
            if why:
                out.append(self.fail(f"Debt {debt.get('id')} is {why}; it may not be sold or placed."))
        return out


RULES = [PassiveCollection(), DisputedInitialFurnishing(), DisputedNotFlagged(), Metro2StatusConsistent(),
         DofdChanged(), FcraObsolete(), TransferProhibited()]

