"""Deceased consumers (12 CFR 1006.2(e), 1006.6(a)(4), 1006.34; comments 6(a)(4)-1, 34(a)(1)-1)."""

from __future__ import annotations

from compliance.context import Context, lower
from compliance.rules.base import Rule, Violation
from compliance.rules.third_party import describe_target, third_party_consented

AUTHORIZED_RELATIONSHIPS = ("personal_representative", "executor", "administrator")


class DeceasedThirdParty(Rule):
    """DEC-01: for a deceased consumer, talk only to the estate's representative or the consumer-equivalents.

    12 CFR 1006.2(e), 1006.6(a)(1), (a)(4); comments 6(a)(1)-1, 6(a)(4)-1: a deceased obligor
    is still a "consumer"; the personal representative (anyone authorized to act for the
    estate), the surviving spouse and the parent of a deceased minor may be contacted. Anyone
    else, such as an adult child who is not the representative, is a third party; location
    calls may only ask who the representative is and how to reach them.
    """

    id = "DEC-01"

    rule_set = "fdcpa"
    reason = "THIRD_PARTY_DISCLOSURE"
    citation = "12 CFR 1006.2(e), 1006.6(a)(1), (a)(4), (d); comments 6(a)(1)-1, 6(a)(4)-1"

    def check(self, ctx: Context) -> list[Violation]:
        if not ctx.consumer.get("deceased") or not ctx.is_communication or ctx.recipient_kind != "third_party":
            return []
        if ctx.purpose == "location_information" or third_party_consented(ctx):
            return []
        return [self.fail(
            f"The consumer is deceased; {describe_target(ctx)} is not the personal representative, surviving "
            "spouse or parent of a deceased minor, so they are a third party.")]


class DeceasedNoticeAddressee(Rule):
    """FED-VN-04 / DEC-02: a deceased consumer's validation notice goes to a named representative.

    12 CFR 1006.34(a)(1); comment 34(a)(1)-1: if the collector knows the consumer has died and
    the validation information was never provided to the decedent, it provides the notice to
    a person authorized to act on behalf of the estate, addressed by that person's name;
    "Estate of [name]" alone does not satisfy the rule.
    """

    id = "FED-VN-04"

    rule_set = "fdcpa"
    reason = "DECEASED_NOTICE_ADDRESSEE"
    citation = "12 CFR 1006.34(a)(1), (d)(2); comment 34(a)(1)-1"

    def check(self, ctx: Context) -> list[Violation]:
        if not ctx.consumer.get("deceased") or not ctx.is_validation_notice:
            return []
        given = ctx.date(ctx.validation_notice.get("provided_at"))
        death = ctx.date(ctx.consumer.get("date_of_death"))
        if given and death and given <= death:
            return []  # the decedent received the information while alive
        addressee = str(ctx.action.get("addressed_to") or "").strip()
        authorized = [p.get("name") for p in ctx.related_persons if p.get("name") and (
            p.get("is_personal_representative") or lower(p.get("relationship")).startswith(AUTHORIZED_RELATIONSHIPS))]
        low = addressee.lower()
        problem = None
        if not addressee:
            problem = "the notice has no named addressee"
        elif low.startswith("estate of") or low == lower(ctx.consumer.get("name")):
            problem = f'"{addressee}" does not name a person authorized to act for the estate'
        elif authorized and not any(lower(n) in low or low in lower(n) for n in authorized):
            problem = f'"{addressee}" is not the known representative ({", ".join(authorized)})'
        elif not authorized and not ctx.action_flag("addressee_is_personal_representative"):
            problem = f'no person authorized to act for the estate is on file to confirm "{addressee}"'
        return [self.fail(f"Deceased consumer's validation notice: {problem}.")] if problem else []


RULES = [DeceasedThirdParty(), DeceasedNoticeAddressee()]


LIABILITY_FLAGS = ("implies_personal_liability_of_spouse", "implies_survivor_liability",
                   "implies_personal_liability_of_survivor", "implies_personal_liability_of_relative",
                   "implies_family_liability", "implies_heir_liability")


class ImpliedPersonalLiability(Rule):
    """DEC-03: never imply that a spouse, survivor or relative is personally liable for the debt.

    15 USC 1692e(2)(A), (10); 12 CFR 1006.18(b)(2)(i): falsely representing the character or
    legal status of a debt is a false or misleading representation. A surviving spouse or a
    personal representative counts as the consumer for communications (1006.6(a)) but is not
    thereby liable; the collector must not imply it (comment 6(a)(4)-1; COMPLIANCE.md DEC-01).
    """

    id = "DEC-03"
    rule_set = "fdcpa"
    reason = "FALSE_OR_MISLEADING_REPRESENTATION"
    citation = "15 USC 1692e(2)(A), (10); 12 CFR 1006.18(b)(2)(i); comment 6(a)(4)-1"

    def check(self, ctx: Context) -> list[Violation]:
        if not ctx.is_communication:
            return []
        hits = [f for f in LIABILITY_FLAGS if ctx.action_flag(f)]
        if not hits:
            return []
        return [self.fail("The message implies that someone other than the obligor is personally liable "
                          f"({', '.join(h.replace('_', ' ') for h in hits)}).")]


RULES = [*RULES, ImpliedPersonalLiability()]
