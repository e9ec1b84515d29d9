"""Medical debt furnishing (NCRA policy 2022-03-18; Cal. Civ. 1785.27 and other state bans)."""

from __future__ import annotations

from datetime import datetime, timedelta

from compliance.context import Context, lower
from compliance.rules.base import Rule, Violation
from compliance.rules.credit_reporting import furnishing


def medical_debts(ctx: Context) -> list[dict]:
    return [d for d in ctx.action_debts if d.get("medical") or lower(d.get("type")) == "medical"
            or str(d.get("creditor_classification_metro2") or "") == "02"]


def _unpaid(ctx: Context, debt: dict) -> bool:
    paid = ctx.date(debt.get("paid_in_full_on") or debt.get("settled_on"))
    return paid is None or paid > ctx.today


class MedicalUnderFiveHundred(Rule):
    """MED-01: [POL] no furnishing of a medical collection first reported under $500.

    The nationwide CRAs' joint announcement of 2022-03-18 (effective April 2023): medical
    collections with an initial reported balance under $500 are not included on reports.
    """

    id = "MED-01"
    reason = "MEDICAL_UNDER_500"
    citation = "NCRA joint announcement (2022-03-18); Equifax medical-collections policy"

    def check(self, ctx: Context) -> list[Violation]:
        floor = ctx.federal.get("medical_min_reportable_balance")
        if not furnishing(ctx) or floor is None:
            return []
        out = []
        for debt in medical_debts(ctx):
            initial = debt.get("original_balance", debt.get("balance"))
            if isinstance(initial, (int, float)) and initial < floor:
                out.append(self.fail(f"Medical debt {debt.get('id')} initial balance ${initial:,.2f} is under "
                                     f"${floor:,}; the nationwide CRAs do not accept it."))
        return out


class MedicalWaitingPeriod(Rule):
    """MED-02: [POL] no furnishing of unpaid medical collections until one year has passed.

    NCRA policy (effective 2022-07-01): unpaid medical collections are not reported for one
    year. [POL] The year runs from the later of the date of service and the DOFD.
    """

    id = "MED-02"
    reason = "MEDICAL_WAITING_PERIOD"
    citation = "NCRA joint announcement (2022-03-18), effective 2022-07-01"
    time_based = True

    def _ready_on(self, ctx: Context, debt: dict):
        starts = [ctx.date(debt.get("date_of_service")), ctx.date(debt.get("date_of_first_delinquency"))]
        starts = [s for s in starts if s]
        days = int(ctx.federal.get("medical_waiting_days") or 365)
        return max(starts) + timedelta(days=days) if starts else None

    def _blocked(self, ctx: Context) -> list[tuple[dict, object]]:
        if not furnishing(ctx) or not ctx.federal.get("medical_waiting_days"):
            return []
        out = []
        for debt in medical_debts(ctx):
            ready = self._ready_on(ctx, debt)
            if _unpaid(ctx, debt) and (ready is None or ctx.today < ready):
                out.append((debt, ready))
        return out

    def check(self, ctx: Context) -> list[Violation]:
        return [self.fail(f"Unpaid medical debt {d.get('id')} may not be furnished until "
                          f"{ready or 'a date of service or DOFD is known'}.") for d, ready in self._blocked(ctx)]

    def earliest(self, ctx: Context) -> datetime | None:
        blocked = self._blocked(ctx)
        if not blocked or any(ready is None for _, ready in blocked):
            return None
        return ctx.midnight(max(ready for _, ready in blocked))


class StateMedicalReportingBan(Rule):
    """MED-04: states that forbid furnishing medical debt.

    Cal. Civ. Code 1785.27 (SB 1061, effective 2025-01-01): a person "shall not furnish
    information regarding a medical debt to a consumer credit reporting agency"; a knowing
    violation voids the debt. Other states in the policy table are [K, verify].
    """

    id = "MED-04"
    reason = "STATE_MEDICAL_REPORTING_BAN"
    citation = "Cal. Civ. Code 1785.27; state medical-debt reporting laws (policy table)"

    def check(self, ctx: Context) -> list[Violation]:
        if not furnishing(ctx) or not ctx.state_rule(ctx.state, "medical_reporting_ban"):
            return []
        since = ctx.state_rule(ctx.state, "medical_reporting_ban").get("effective_from")
        return [self.fail(f"{ctx.state} bans furnishing medical debt (since {since}); debt {d.get('id')} is medical.")
                for d in medical_debts(ctx)]


RULES = [MedicalUnderFiveHundred(), MedicalWaitingPeriod(), StateMedicalReportingBan()]
