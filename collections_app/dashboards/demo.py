"""Demo data for the dashboards: the agency's fee per creditor, daily goals, this month's opening snapshot."""

from decimal import Decimal

from accounts.models import Creditor

from ..models import CollectorGoal, CreditorFee
from .nightly import dashboards_nightly

DEMO_GOALS = {"attempts": "60", "rpc": "8", "promises": "3", "collected": "500", "worked": "40"}


def dashboards_demo_create() -> dict:
    fees = 0
    for creditor in Creditor.objects.all():
        fees += CreditorFee.objects.get_or_create(creditor=creditor, defaults={"fee_pct": Decimal("30.00")})[1]
    for metric, target in DEMO_GOALS.items():
        CollectorGoal.objects.get_or_create(user=None, metric=metric, defaults={"target": Decimal(target)})
    return {"creditor_fees": fees, **dashboards_nightly()}
