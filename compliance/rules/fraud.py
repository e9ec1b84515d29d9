"""Fraud and identity-theft claims hold collection and credit reporting.

15 USC 1681c-2 (FCRA 605B): a consumer reporting agency blocks information the consumer
identifies as resulting from identity theft, and tells the furnisher; 15 USC 1681s-2(a)(6)(B)
(FCRA 623(a)(6)): a furnisher that receives an identity-theft report may not furnish that
information. 12 CFR 1006.30(b)(1)(ii): a collector may not sell, transfer or place a debt it
knows is subject to an identity-theft report. [POL] The agency goes further: while any fraud or
identity-theft claim on the debt is open, nothing goes out on it, by any channel, until the
claim is investigated and ended.
"""

from __future__ import annotations

from compliance.context import Context, as_dict
from compliance.rules.base import Rule, Violation


def open_claims(ctx: Context) -> list[dict]:
    raw = ctx.facts.get("fraud_claims")
    claims = raw if isinstance(raw, list) else [raw]
    debts = {str(d.get("id")) for d in ctx.action_debts}
    out = []
    for claim in claims:
        claim = as_dict(claim)
        if not claim or ctx.before_now(claim.get("ended_at")):
            continue
        scope = claim.get("debt_ids")
        if scope is None or not debts or debts & {str(i) for i in scope}:
            out.append(claim)
    return out


class FraudClaimHold(Rule):
    """FRAUD-01: an open fraud or identity-theft claim holds every channel, credit reporting included."""

    id = "FRAUD-01"

    rule_set = "fraud_hold"
    reason = "FRAUD_CLAIM_HOLD"
    citation = "15 USC 1681c-2, 1681s-2(a)(6); 12 CFR 1006.30(b)(1)(ii); [POL] fraud hold"

    def check(self, ctx: Context) -> list[Violation]:
        claims = open_claims(ctx)
        if not claims:
            return []
        claim = claims[0]
        kind = str(claim.get("kind") or "fraud").replace("_", " ")
        return [self.fail(f"An open {kind} claim received {ctx.date(claim.get('received_at')) or 'earlier'} "
                          f"holds all collection and credit reporting ({ctx.channel or 'any channel'}) until it is "
                          "investigated.")]


RULES = [FraudClaimHold()]
