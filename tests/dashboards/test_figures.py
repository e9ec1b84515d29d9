"""Each dashboard figure on a small hand-built data set whose answer is worked out by hand."""

from datetime import date
from decimal import Decimal

import pytest

from collections_app.dashboards import selectors
from collections_app.dashboards.selectors import Filters
from collections_app.models import (
    AgingBucket,
    CollectorGoal,
    CreditorFee,
    DashActivity,
    DashAging,
    DashAgingSnapshot,
    DashCollection,
    DashPlacement,
    DashPromise,
    DashRoll,
)
from tests.factories import CreditorFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 3, 20)
MARCH = Filters(start=date(2026, 3, 1), end=date(2026, 3, 20))


def buckets():
    return selectors.bucket_order()


def test_aging_by_bucket_and_creditor_filter():
    a, b = CreditorFactory(), CreditorFactory()
    DashAging.objects.create(creditor_id=a.pk, debt_type="medical", bucket="31-60", accounts=2,
                             balance=Decimal("300.10"))
    DashAging.objects.create(creditor_id=b.pk, debt_type="utility", bucket="31-60", accounts=1, balance=Decimal("0.90"))
    DashAging.objects.create(creditor_id=b.pk, debt_type="utility", bucket="", accounts=4, balance=Decimal("10.00"))
    figure = selectors.aging(MARCH, buckets())
    row = next(r for r in figure["rows"] if r["bucket"] == "31-60")
    assert (row["accounts"], row["balance"]) == (3, Decimal("301.00"))
    assert (figure["accounts"], figure["balance"]) == (7, Decimal("311.00"))
    only_a = selectors.aging(Filters(start=MARCH.start, end=MARCH.end, creditor_id=a.pk), buckets())
    assert (only_a["accounts"], only_a["balance"]) == (2, Decimal("300.10"))


def test_roll_rates_divide_moves_by_the_opening_count():
    assert AgingBucket.objects.filter(code="31-60").exists()
    march = date(2026, 3, 1)
    DashAgingSnapshot.objects.create(month=march, creditor_id=1, debt_type="medical", bucket="31-60", accounts=10)
    DashRoll.objects.create(month=march, from_bucket="31-60", to_bucket="61-90", accounts=4)
    DashRoll.objects.create(month=march, from_bucket="31-60", to_bucket="current", accounts=1)
    matrix = {row["from"]: {c["to"]: c["pct"] for c in row["cells"]} for row in
              selectors.roll_rates(march, buckets())["matrix"]}
    assert matrix["31-60"]["61-90"] == Decimal("40.0")
    assert matrix["31-60"]["current"] == Decimal("10.0")
    assert matrix["31-60"]["31-60"] == Decimal("50.0")  # stayed: 10 - 4 - 1
    assert matrix["61-90"]["91-120"] is None  # nothing opened there: no rate


def test_liquidation_is_cumulative_collected_over_placed():
    jan = date(2026, 1, 1)
    DashPlacement.objects.create(month=jan, creditor_id=1, debt_type="medical", accounts=3, placed=Decimal("1000.00"))
    for day, amount in ((date(2026, 1, 20), "100.00"), (date(2026, 2, 3), "50.00"), (date(2026, 3, 9), "25.00")):
        DashCollection.objects.create(day=day, creditor_id=1, debt_type="medical", placement_month=jan, user_id=0,
                                      collected=Decimal(amount))
    curve = next(c for c in selectors.liquidation(MARCH, TODAY)["curves"] if c["month"] == jan)
    assert curve["points"] == [Decimal("10.0"), Decimal("15.0"), Decimal("17.5")]
    assert (curve["collected"], curve["rate"]) == (Decimal("175.00"), Decimal("17.5"))


def test_cei_from_opening_and_closing_snapshots():
    feb, mar = date(2026, 2, 1), date(2026, 3, 1)
    for month, bucket, balance in ((feb, "61-90", "1000"), (mar, "61-90", "700"), (mar, "current", "100")):
        DashAgingSnapshot.objects.create(month=month, creditor_id=1, debt_type="medical", bucket=bucket,
                                         balance=Decimal(balance))
    DashPlacement.objects.create(month=feb, creditor_id=1, debt_type="medical", accounts=1, placed=Decimal("200"))
    rows = {r["month"]: r for r in selectors.cei(MARCH, TODAY)}
    # (B + P - E) / (B + P - Ec) = (1000 + 200 - 800) / (1000 + 200 - 100) = 400 / 1100
    assert rows[feb]["cei"] == Decimal("36.4")
    assert rows[date(2026, 1, 1)]["cei"] is None  # no snapshot: said so, not guessed


def test_promise_kept_and_contact_rates_and_collector_kpis_against_goals():
    ann, bob = UserFactory(roles=["collector"]), UserFactory(roles=["collector"])
    for status, n, user in (("kept", 3, ann), ("partial", 1, ann), ("broken", 1, bob), ("open", 5, bob)):
        DashPromise.objects.create(day=date(2026, 3, 2), due_day=date(2026, 3, 10), user_id=user.pk, creditor_id=1,
                                   debt_type="medical", status=status, promises=n, amount=Decimal("10.00") * n)
    DashActivity.objects.create(day=date(2026, 3, 3), user_id=ann.pk, creditor_id=1, debt_type="medical",
                                attempts=40, rpc=10, worked=20, seconds=2400)
    DashActivity.objects.create(day=date(2026, 3, 4), user_id=bob.pk, creditor_id=1, debt_type="medical",
                                attempts=10, rpc=0, worked=0)
    DashCollection.objects.create(day=date(2026, 3, 5), creditor_id=1, debt_type="medical",
                                  placement_month=date(2026, 1, 1), user_id=ann.pk, collected=Decimal("123.45"))
    CollectorGoal.objects.create(metric="attempts", target=Decimal("2"))  # everyone: 2 a day
    CollectorGoal.objects.create(user=ann, metric="collected", target=Decimal("10"))

    assert selectors.promise_rates(MARCH)["rate"] == Decimal("60.0")  # 3 / (3 + 1 + 1)
    assert selectors.contact_rates(MARCH) == {"attempts": 50, "rpc": 10, "rate": Decimal("20.0")}
    kpis = {r["user_id"]: r for r in selectors.collector_kpis(MARCH)}
    assert kpis[ann.pk]["kept_rate"] == Decimal("75.0")
    assert kpis[ann.pk]["seconds_per_account"] == 120
    assert kpis[ann.pk]["collected"] == Decimal("123.45")
    assert kpis[ann.pk]["promises"] == 4 and kpis[ann.pk]["promised"] == Decimal("40.00")
    assert kpis[ann.pk]["vs_goal"]["attempts"] == Decimal("100.0")  # 40 over 20 days at 2 a day
    assert kpis[ann.pk]["vs_goal"]["collected"] == Decimal("61.7")  # 123.45 / 200
    assert kpis[bob.pk]["kept_rate"] == Decimal("0.0") and kpis[bob.pk]["seconds_per_account"] is None
    only_bob = selectors.collector_kpis(Filters(start=MARCH.start, end=MARCH.end, user_id=bob.pk))
    assert [r["user_id"] for r in only_bob] == [bob.pk]


def test_remittance_applies_the_creditor_fee_to_the_cent():
    creditor = CreditorFactory()
    CreditorFee.objects.create(creditor=creditor, fee_pct=Decimal("33.33"))
    for day in (date(2026, 3, 1), date(2026, 3, 19)):
        DashCollection.objects.create(day=day, creditor_id=creditor.pk, debt_type="medical",
                                      placement_month=date(2026, 1, 1), user_id=0, collected=Decimal("50.05"))
    (row,) = selectors.remittance(TODAY)
    assert (row["collected"], row["fee"], row["net"]) == (Decimal("100.10"), Decimal("33.36"), Decimal("66.74"))


def test_aging_counts_accounts_in_a_bucket_that_is_no_longer_defined():
    DashAging.objects.create(creditor_id=1, debt_type="medical", bucket="old-90", accounts=2, balance=Decimal("5.00"))
    AgingBucket.objects.all().delete()
    figure = selectors.aging(MARCH, buckets())
    assert [(r["label"], r["accounts"]) for r in figure["rows"]] == [("old-90", 2)]
    assert figure["balance"] == Decimal("5.00")
