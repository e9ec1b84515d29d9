"""Servicemembers Civil Relief Act (50 USC 3901 et seq.)."""

from __future__ import annotations

from compliance.context import Context, add_years, lower, money
from compliance.rules.base import Rule, Violation

DEFAULT_STAGES = {"motion_for_default_judgment", "default_judgment", "request_for_default_judgment",
                  "request_for_default", "default"}
COURT_ORDER_ACTIONS = {"repossession", "foreclosure"}


def _in_service(ctx: Context, member: dict, mortgage: bool = False) -> bool:
    start = ctx.date(member.get("active_duty_start"))
    if not start or start > ctx.today:
        return lower(member.get("status")) == "active_duty" and start is None
    end = ctx.date(member.get("active_duty_end") or member.get("release_date"))
    if end and mortgage:
        end = add_years(end, 1)
    return end is None or ctx.today <= end


class MilitaryStatusAffidavit(Rule):
    """SCRA-01: no default judgment without a military-status affidavit and DMDC report.

    50 USC 3931(b)(1): in any action in which the defendant does not appear, "the court,
    before entering judgment for the plaintiff, shall require the plaintiff to file with the
    court an affidavit stating whether or not the defendant is in military service". [POL]
    The DMDC SCRA status report supporting it must be on file.
    """

    id = "SCRA-01"

    rule_set = "scra"
    reason = "SCRA_MILITARY_STATUS_AFFIDAVIT"
    citation = "50 USC 3931(b)(1)"

    def check(self, ctx: Context) -> list[Violation]:
        if ctx.channel != "lawsuit" or lower(ctx.action.get("stage")) not in DEFAULT_STAGES:
            return []
        missing = []
        if not ctx.action.get("military_status_affidavit_filed"):
            missing.append("military-status affidavit")
        if not ctx.action.get("dmdc_scra_status_report_obtained_on"):
            missing.append("DMDC SCRA status report")
        if not missing:
            return []
        return [self.fail(f"Default-judgment step '{ctx.action.get('stage')}' without: {', '.join(missing)}.")]


class InterestCap(Rule):
    """SCRA-02: 6% cap on pre-service obligations once the servicemember gives notice.

    50 USC 3937(a)-(b): an obligation incurred before military service "shall not bear
    interest at a rate in excess of 6 percent" during service (mortgages: service + 1 year);
    interest above 6% is forgiven, not deferred, retroactive to the start of service, once the
    servicemember gives written notice and a copy of orders (up to 180 days after release).
    """

    id = "SCRA-02"

    rule_set = "scra"
    reason = "SCRA_INTEREST_CAP"
    citation = "50 USC 3937(a)-(b)"

    def check(self, ctx: Context) -> list[Violation]:
        member = ctx.consumer.get("servicemember")
        if not isinstance(member, dict) or not (ctx.is_communication or ctx.channel == "lawsuit"):
            return []
        if not ctx.before_now(member.get("scra_written_notice_received_on")):
            return []
        cap = money(ctx.federal.get("scra_rate_cap_pct") or 6)
        start = ctx.date(member.get("active_duty_start"))
        out = []
        for debt in ctx.action_debts:
            origin = ctx.date(debt.get("originated_on") or debt.get("date_opened"))
            if start and origin and origin >= start:
                continue  # incurred during service: not protected
            if not _in_service(ctx, member, mortgage=lower(debt.get("type")) == "mortgage"):
                continue
            rate = money(ctx.content.get("interest_rate_applied_during_service_pct", debt.get("interest_rate_apr")))
            forgiven = ctx.content.get("interest_above_6pct_forgiven") or debt.get("scra_interest_cap_applied")
            if rate is not None and rate > cap and not forgiven:
                out.append(self.fail(
                    f"Debt {debt.get('id')} (opened {origin or 'before service'}) bears {rate}% during service "
                    f"that began {start}; interest above {cap:g}% must be forgiven and the payment reduced."))
        return out


class CourtOrderRequired(Rule):
    """SCRA-03: no repossession or foreclosure on a servicemember's pre-service obligation without a court order.

    50 USC 3952 (installment contracts: no rescission or repossession during service without a
    court order) and 3953 (mortgages: no sale or foreclosure during service + 1 year without a
    court order).
    """

    id = "SCRA-03"

    rule_set = "scra"
    reason = "SCRA_COURT_ORDER_REQUIRED"
    citation = "50 USC 3952, 3953"

    def check(self, ctx: Context) -> list[Violation]:
        member = ctx.consumer.get("servicemember")
        if ctx.channel not in COURT_ORDER_ACTIONS or not isinstance(member, dict) or ctx.action.get("court_order"):
            return []
        if not _in_service(ctx, member, mortgage=ctx.channel == "foreclosure"):
            return []
        return [self.fail(f"{ctx.channel.title()} against a servicemember in protected service needs a court order.")]


RULES = [MilitaryStatusAffidavit(), InterestCap(), CourtOrderRequired()]
