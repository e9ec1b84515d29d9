"""Bankruptcy: automatic stay, discharge injunction, Chapter 13 co-debtor stay (11 USC 362, 524, 1301)."""

from __future__ import annotations

from compliance.context import Context, as_dict, lower
from compliance.rules.base import Rule, Violation

CLOSED_STATUSES = {"dismissed", "discharged", "closed", "withdrawn"}
BANKRUPTCY_PERMITTED = {"proof_of_claim", "bankruptcy_notice", "reaffirmation_agreement"}
DISCHARGED_CII = {"E", "F", "G", "H"}


def cases(ctx: Context) -> list[dict]:
    raw = ctx.facts.get("bankruptcy")
    return [b for b in (raw if isinstance(raw, list) else [raw]) if isinstance(b, dict)]


def target_id(ctx: Context) -> str | None:
    if ctx.target_person and ctx.target_person.get("id"):
        return ctx.target_person["id"]
    return ctx.consumer.get("id") if lower(ctx.action.get("recipient") or "consumer") == "consumer" else None


def debtors(ctx: Context, case: dict) -> list:
    return case.get("debtor_ids") or [ctx.consumer.get("id")]


def stay_in_effect(ctx: Context, case: dict) -> bool:
    filed = case.get("petition_filed_on")
    if not filed or not ctx.before_now(filed) or lower(case.get("status")) in CLOSED_STATUSES:
        return False
    ended = [case.get(k) for k in ("dismissed_on", "discharged_on", "closed_on", "stay_lifted_on")]
    return not any(e and ctx.before_now(e) for e in ended)


def collection_act(ctx: Context) -> bool:
    """Communications seeking payment and lawsuits (not proofs of claim or required notices)."""
    if {ctx.letter_type, ctx.purpose, lower(ctx.action.get("stage"))} & BANKRUPTCY_PERMITTED:
        return False
    return ctx.channel == "lawsuit" or (ctx.is_communication and ctx.recipient_kind != "professional")


def _in_case(ctx: Context, case: dict, debt: dict, key: str = "debt_ids") -> bool:
    return debt.get("id") in (case.get(key) or [debt.get("id")])


class AutomaticStay(Rule):
    """BK-01: no act to collect a pre-petition claim while the automatic stay is in effect.

    11 USC 362(a)(1), (3), (6): the petition "operates as a stay" of any "act to collect,
    assess, or recover a claim against the debtor that arose before the commencement of the
    case"; willful violations carry damages (362(k)). Dismissal without discharge ends it.
    """

    id = "BK-01"

    rule_set = "bankruptcy"
    reason = "BANKRUPTCY_AUTOMATIC_STAY"
    citation = "11 USC 362(a)(1), (3), (6), (c), (k)"

    def check(self, ctx: Context) -> list[Violation]:
        if not collection_act(ctx):
            return []
        person = target_id(ctx)
        out = []
        for case in cases(ctx):
            if stay_in_effect(ctx, case) and person in debtors(ctx, case) and any(
                    _in_case(ctx, case, d) for d in ctx.action_debts):
                out.append(self.fail(
                    f"Chapter {case.get('chapter') or '?'} petition {case.get('case_number') or ''} filed "
                    f"{case.get('petition_filed_on')} ({case.get('status') or 'pending'}); the automatic stay "
                    "bars this collection act.".replace("  ", " ")))
        return out


class DischargeInjunction(Rule):
    """BK-02: a discharged debt is never collected from the debtor personally.

    11 USC 524(a)(2): the discharge "operates as an injunction against ... an act, to collect,
    recover or offset any such debt as a personal liability of the debtor". Credit reports
    show a discharged Consumer Information Indicator (E-H) and a zero balance.
    """

    id = "BK-02"

    rule_set = "bankruptcy"
    reason = "BANKRUPTCY_DISCHARGE"
    citation = "11 USC 524(a)(2); 12 CFR 1006.30(b)"

    def check(self, ctx: Context) -> list[Violation]:
        person = target_id(ctx)
        out = []
        for case in cases(ctx):
            discharged = lower(case.get("status")) == "discharged" or ctx.before_now(case.get("discharged_on"))
            if not discharged or person not in debtors(ctx, case) and ctx.channel != "credit_report":
                continue
            for debt in ctx.action_debts:
                if not _in_case(ctx, case, debt, "debt_ids_discharged"):
                    continue
                if ctx.channel == "credit_report":
                    m2 = as_dict(ctx.action.get("metro2"))
                    cii = str(m2.get("consumer_information_indicator") or "").upper()
                    if cii not in DISCHARGED_CII or (m2.get("current_balance") or 0) != 0:
                        out.append(self.fail(f"Debt {debt.get('id')} was discharged; report CII E-H with a zero "
                                             f"balance (got CII '{cii or 'blank'}')."))
                elif collection_act(ctx):
                    out.append(self.fail(f"Debt {debt.get('id')} was discharged in bankruptcy "
                                         f"{case.get('case_number') or ''}; collecting it is enjoined."))
        return out


class CodebtorStay(Rule):
    """BK-03: in Chapter 13, no collection of a consumer debt from a non-filing co-obligor.

    11 USC 1301(a): after the order for relief under chapter 13, a creditor may not "act, or
    commence or continue any civil action, to collect all or any part of a consumer debt of
    the debtor from any individual that is liable on such debt with the debtor", unless that
    individual became liable in the ordinary course of business, or the case is closed,
    dismissed or converted.
    """

    id = "BK-03"

    rule_set = "bankruptcy_codebtor"
    reason = "BANKRUPTCY_CODEBTOR_STAY"
    citation = "11 USC 1301(a)"

    def check(self, ctx: Context) -> list[Violation]:
        if not collection_act(ctx):
            return []
        person = target_id(ctx)
        related = ctx.target_person or {}
        out = []
        for case in cases(ctx):
            if str(case.get("chapter")) != "13" or not stay_in_effect(ctx, case) or person in debtors(ctx, case):
                continue
            if ctx.before_now(case.get("codebtor_stay_lifted_on")) or related.get(
                    "liable_in_ordinary_course_of_business"):
                continue
            for debt in ctx.action_debts:
                consumer_debt = debt.get("consumer_debt") is not False and lower(debt.get("type")) != "business"
                if consumer_debt and person in (debt.get("obligors") or []) and _in_case(ctx, case, debt):
                    out.append(self.fail(
                        f"{related.get('name') or person} is a non-filing co-obligor on {debt.get('id')} while "
                        f"debtor {', '.join(map(str, debtors(ctx, case)))}'s Chapter 13 case "
                        f"{case.get('case_number') or ''} is pending; the co-debtor stay applies."))
        return out


RULES = [AutomaticStay(), DischargeInjunction(), CodebtorStay()]
