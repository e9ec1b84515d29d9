"""Attorney representation (15 USC 1692c(a)(2), 1692b(6); 12 CFR 1006.6(b)(2))."""

from __future__ import annotations

from datetime import timedelta

from compliance.context import Context
from compliance.rules.base import Rule, Violation


class AttorneyRepresented(Rule):
    """FED-ATTY-01: no direct contact once the consumer is known to be represented on the debt.

    15 USC 1692c(a)(2); 12 CFR 1006.6(b)(2): without consent, a collector may not communicate
    with a consumer it "knows ... is represented by an attorney with respect to such debt and
    has knowledge of, or can readily ascertain, such attorney's name and address", unless the
    attorney fails to respond within a reasonable time or consents. 1692b(6): location
    contacts also stop, except with the attorney. [POL] Lifting for non-response needs a
    logged letter to the attorney, 30 days without reply and counsel sign-off.
    """

    id = "FED-ATTY-01"

    rule_set = "fdcpa"
    reason = "ATTORNEY_REPRESENTED"
    citation = "15 USC 1692c(a)(2), 1692b(6); 12 CFR 1006.6(b)(2)"

    def _lifted(self, ctx: Context, atty: dict) -> str | None:
        if ctx.before_now(atty.get("consented_to_direct_contact_at")):
            return "attorney consented"
        sent = ctx.date(atty.get("collector_letter_to_attorney_sent_at"))
        wait = int(ctx.federal.get("attorney_nonresponse_days") or 30)
        if (sent and ctx.today >= sent + timedelta(days=wait) and not atty.get("attorney_responded_at")
                and (atty.get("nonresponse_counsel_signoff_at") or atty.get("counsel_signoff"))):
            return "attorney did not respond"
        return None

    def check(self, ctx: Context) -> list[Violation]:
        atty = ctx.consumer.get("attorney")
        if not isinstance(atty, dict) or not (atty.get("name") or atty.get("firm") or atty.get("address")):
            return []
        if not ctx.is_communication or ctx.recipient_kind == "professional":
            return []
        if atty.get("known_since") and not ctx.before_now(atty["known_since"]):
            return []
        if atty.get("debt_ids") and not ctx.debt_keys(atty["debt_ids"]) & ctx.action_debt_keys:
            return []
        if self._lifted(ctx, atty):
            return []
        who = "a third party (location contact)" if ctx.recipient_kind == "third_party" else "the consumer"
        return [self.fail(
            f"Consumer is represented on this debt by {atty.get('name') or atty.get('firm')} (known since "
            f"{ctx.date(atty.get('known_since')) or 'record'}); contact the attorney instead of {who}.")]


RULES = [AttorneyRepresented()]
