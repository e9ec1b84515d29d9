"""The nightly rescoring: equal to the reference computation, idempotent, resumable after a partial run."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection

from collections_app.models import BucketChange, Queue, RescoreRun, WorkItem
from collections_app.worklist import rescoring
from collections_app.worklist.rescoring import facts_for, reprioritize_all, rescore_account
from collections_app.worklist.scoring import score, unpack
from compliance.models import ContactAttempt
from payments.models import PaymentPlan, Promise

from .support import NOW, debt, team_with_queue

pytestmark = pytest.mark.django_db


def _portfolio(n=12):
    accounts = []
    for i in range(n):
        accounts.append(debt(balance=f"{250 * (i + 1)}.{i:02d}",
                             delinquent_since=date(2026, 3, 9) - timedelta(days=35 * i),
                             debt_type=["credit_card", "medical", "commercial", "auto_loan"][i % 4],
                             last_payment_date=date(2022, 6, 1) if i % 3 == 0 else None))
    return accounts


def _state():
    return {w.pk: (w.delinquent_since, w.bucket, w.score, w.queue_id, w.priority, w.ready, w.components)
            for w in WorkItem.objects.order_by("pk")}


TODAY = rescoring.agency_today(NOW)


def test_rescore_equals_the_reference_computation():
    _, queue = team_with_queue(debt_types=["credit_card", "medical"])
    accounts = _portfolio()
    ContactAttempt.objects.create(account=accounts[1], debtor_id=accounts[1].debtor_id, channel="call", to="x",
                                  outcome="conversation", idempotency_key="k1", requested_at=NOW - timedelta(days=9),
                                  status="allowed", decision={"decision": "allow"}, context={})
    for days_ago, status in ((3, "broken"), (20, "broken"), (40, "kept"), (200, "broken")):
        Promise.objects.create(account=accounts[2], amount=Decimal("50.00"), due_date=NOW.date() - timedelta(days_ago),
                               method="ach", status=status)
    PaymentPlan.objects.create(account=accounts[3], total=Decimal("500.00"), frequency="monthly", installment_count=5,
                               start_date=date(2025, 11, 1), status="defaulted")
    result = reprioritize_all(now=NOW)
    assert result["accounts"] == len(accounts) and result["finished"]
    weights = rescoring.weights_current().weights
    facts = facts_for(account_ids=[a.pk for a in accounts], as_of=rescoring.agency_today(NOW),
                      weights=weights, buckets=rescoring.buckets_current())
    for account in accounts:
        item = WorkItem.objects.get(pk=account.pk)
        f, _ = facts[account.pk]
        total, parts = score(f, weights)
        assert item.score == total, account.pk
        assert item.dpd_on(TODAY) == f.dpd and item.bucket == f.bucket
        stored = unpack(item.components, item.bucket, as_of=TODAY)
        assert {k: Decimal(str(v[0])) for k, v in stored.items()} == {k: v[0] for k, v in parts.items()}
        assert {k: v[1] for k, v in stored.items()} == {k: v[1] for k, v in parts.items()}
        assert item.queue_id == (queue.pk if account.debt_type in ("credit_card", "medical") else None)
    item = WorkItem.objects.get(pk=accounts[2].pk)
    promised = unpack(item.components, item.bucket, as_of=TODAY)
    assert promised["broken"] == [40.0, [2, 3]] and promised["kept"] == [-10.0, 1]  # the 200-day-old one is out
    item = WorkItem.objects.get(pk=accounts[3].pk)
    assert unpack(item.components, item.bucket, as_of=TODAY)["plan"] == [25, True]
    item = WorkItem.objects.get(pk=accounts[1].pk)
    spoke = unpack(item.components, item.bucket, as_of=TODAY)
    assert spoke["no_rpc"][1] == 9 and spoke["no_contact"][1] == 9


def test_rescoring_twice_changes_nothing_and_writes_no_second_history():
    team_with_queue()
    _portfolio(6)
    reprioritize_all(now=NOW)
    first, changes = _state(), BucketChange.objects.count()
    assert changes == 6  # each account entered its bucket once
    again = reprioritize_all(now=NOW)
    assert _state() == first
    assert again["bucket_changes"] == 0 and BucketChange.objects.count() == changes
    assert reprioritize_all(now=NOW, skip_if_done=True)["skipped"].startswith("done at")  # the 02:00 beat


def test_a_bucket_move_is_recorded_with_the_day_it_happened():
    team_with_queue()
    account = debt(delinquent_since=date(2026, 2, 7))  # 30 days past due on Mar 9 (agency day of NOW is Mar 10)
    reprioritize_all(now=NOW - timedelta(days=1))
    reprioritize_all(now=NOW)
    moves = list(BucketChange.objects.filter(account=account).order_by("changed_on").values_list(
        "from_bucket", "to_bucket", "changed_on"))
    assert moves == [("", "1-30", date(2026, 3, 9)), ("1-30", "31-60", date(2026, 3, 10))]


def test_a_run_that_died_midway_is_resumed_and_ends_equal_to_a_full_run():
    team_with_queue()
    accounts = _portfolio(10)
    top = max(a.pk for a in accounts)
    chunk = max(1, (top - min(a.pk for a in accounts)) // 4 + 1)
    partial = reprioritize_all(now=NOW, chunk=chunk, stop_after_chunks=1 + (min(a.pk for a in accounts) - 1) // chunk)
    assert not partial["finished"]
    assert 0 < WorkItem.objects.exclude(scored_on=None).count() < len(accounts)
    run = RescoreRun.objects.get()
    assert run.finished_at is None and run.last_account_id > 0
    resumed = reprioritize_all(now=NOW, chunk=chunk)
    assert resumed["finished"] and RescoreRun.objects.count() == 1  # the same run went on
    assert resumed["accounts"] == len(accounts)
    after_resume = _state()
    WorkItem.objects.all().delete()
    BucketChange.objects.all().delete()
    reprioritize_all(now=NOW)
    assert _state() == after_resume


def test_closed_accounts_leave_the_worklist_and_one_account_is_rescored_at_once():
    _, queue = team_with_queue()
    account = debt()
    reprioritize_all(now=NOW)
    assert WorkItem.objects.get(pk=account.pk).ready
    account.status = "paid"
    account.save(update_fields=["status"])
    rescore_account(account_id=account.pk, now=NOW)
    item = WorkItem.objects.get(pk=account.pk)
    assert not item.ready and item.queue_id is None  # paid: off every queue, so no queue counts it


@pytest.mark.parametrize("portable", [False, True])
def test_a_paid_account_leaves_even_a_pinned_queue_and_a_disputed_one_keeps_its_queue(portable, monkeypatch):
    from collections_app.worklist.queues import work_item_move

    if portable:
        monkeypatch.setattr(rescoring, "_is_postgres", lambda: False)
    _, queue = team_with_queue()
    paid, disputed = debt(), debt()
    reprioritize_all(now=NOW)
    work_item_move(account_ids=[paid.pk], queue=queue)
    for account, status in ((paid, "paid"), (disputed, "disputed")):
        account.status = status
        account.save(update_fields=["status"])
        rescore_account(account_id=account.pk, now=NOW)
    gone, kept = WorkItem.objects.get(pk=paid.pk), WorkItem.objects.get(pk=disputed.pk)
    assert gone.queue_id is None and not gone.queue_pinned and not gone.ready
    assert kept.queue_id == queue.pk and not kept.ready


def test_queue_order_by_balance_sets_the_priority():
    team_with_queue(order=Queue.Order.BALANCE)
    account = debt(balance="4321.09")
    reprioritize_all(now=NOW)
    assert WorkItem.objects.get(pk=account.pk).priority == Decimal("4321.09")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the set-based SQL path is PostgreSQL's")
def test_postgres_uses_the_set_based_statement():
    sql, params = rescoring.rescore_sql(weights={}, version=1, buckets=rescoring.buckets_current(), queues=[],
                                        as_of=date(2026, 3, 10), now=NOW, lo=1, hi=10)
    assert sql.count("UPDATE collections_app_workitem") == 1 and "INSERT INTO collections_app_bucketchange" in sql
    assert sql.count("%s") == len(params)


def test_the_limitations_period_is_counted_per_debt_type_where_the_weights_name_one():
    """Last payment 2022-06-01, scored on 2026-03-10: with 4 years the period ended 2026-06-01, 83 days
    ahead ("soon": +15); a commercial debt given 6 years runs to 2028-06-01 (814 days, over a leap
    day: no points);
    a medical debt given 3 years ended 2025-06-01, 282 days ago ("expired": -40). Both paths agree."""
    from collections_app.worklist.queues import weights_save
    from tests.factories import UserFactory

    card, loan, medical = (debt(debt_type=t, last_payment_date=date(2022, 6, 1))
                           for t in ("credit_card", "commercial", "medical"))
    weights_save(weights={"sol_years_by_debt_type": {"commercial": 6, "medical": 3}}, user=UserFactory())
    reprioritize_all(now=NOW)
    got = {a.pk: unpack(WorkItem.objects.get(pk=a.pk).components, "", as_of=TODAY)["sol"]
           for a in (card, loan, medical)}
    assert got == {card.pk: [15, 83], loan.pk: [0, 814], medical.pk: [-40, -282]}
    weights = rescoring.weights_current().weights
    facts = facts_for(account_ids=list(got), as_of=rescoring.agency_today(NOW), weights=weights,
                      buckets=rescoring.buckets_current())
    assert {pk: score(f, weights)[1]["sol"] for pk, (f, _) in facts.items()} == {
        card.pk: [Decimal("15.00"), 83], loan.pk: [Decimal("0.00"), 814], medical.pk: [Decimal("-40.00"), -282]}


def _portable(monkeypatch, portable: bool) -> None:
    if portable:
        monkeypatch.setattr(rescoring, "_is_postgres", lambda: False)


def _in_state(state: str, **kwargs):
    account = debt(**kwargs)
    account.debtor.addresses.update(state=state)
    return account


@pytest.mark.parametrize("portable", [False, True])
def test_the_limitations_period_of_the_debtors_state_counts_from_the_first_delinquency(portable, monkeypatch):
    """The compliance policy (seeded table) gives consumer credit 3 years in NY and 4 in CA; GA has none.
    Scored on 2026-03-10 with the default weights (4 years from the last payment, else the first
    delinquency; soon within 180 days: +15; past: -40):
    - NY, first delinquent 2023-01-15, no payment: the weights say 2027-01-15, NY says 2026-01-15, the
      earlier: 54 days past (16 in January + 28 + 10) -> -40;
    - CA, delinquent 2022-06-01, last paid 2023-01-01: weights 2027-01-01, CA 2026-06-01: 83 days ahead
      (21 in March + 30 + 31 + 1) -> +15;
    - GA, the same dates: only the weights' 2027-01-01, 297 days ahead -> 0;
    - NY again but a commercial debt: no consumer-credit period, the weights' 2027-01-15, 311 days -> 0."""
    _portable(monkeypatch, portable)
    ny = _in_state("NY", delinquent_since=date(2023, 1, 15))
    ca = _in_state("CA", delinquent_since=date(2022, 6, 1), last_payment_date=date(2023, 1, 1))
    ga = _in_state("GA", delinquent_since=date(2022, 6, 1), last_payment_date=date(2023, 1, 1))
    business = _in_state("NY", delinquent_since=date(2023, 1, 15), debt_type="commercial")
    reprioritize_all(now=NOW)
    got = {a.pk: unpack(WorkItem.objects.get(pk=a.pk).components, "", as_of=TODAY)["sol"]
           for a in (ny, ca, ga, business)}
    assert got == {ny.pk: [-40, -54], ca.pk: [15, 83], ga.pk: [0, 297], business.pk: [0, 311]}
    # the stored value is the day the period ends, read back as days for the day it is read
    assert unpack(WorkItem.objects.get(pk=ca.pk).components, "", as_of=TODAY + timedelta(days=3))["sol"] == [15, 80]


@pytest.mark.parametrize("portable", [False, True])
def test_the_next_night_rewrites_only_what_changed_and_still_equals_a_direct_computation(portable, monkeypatch):
    """Stored are dates, not day counts: overnight a row changes only when its points, bucket, queue or
    ready flag do. Here: an account contacted 3 days ago gains a point of "no contact" each night (rewritten);
    one 30 days past due moves to 31-60 (rewritten, with its bucket change); the others keep their points
    (left alone, their scored_on stays the first night) and yet read right the next day."""
    _portable(monkeypatch, portable)
    _, queue = team_with_queue()
    accounts = _portfolio(8)
    contacted, moving = accounts[0], debt(delinquent_since=TODAY - timedelta(days=30))
    ContactAttempt.objects.create(account=contacted, debtor_id=contacted.debtor_id, channel="call", to="x",
                                  outcome="no_answer", idempotency_key="k3", requested_at=NOW - timedelta(days=3),
                                  status="allowed", decision={"decision": "allow"}, context={})
    first = reprioritize_all(now=NOW)
    assert first["rewritten"] == first["accounts"] == 9
    night2 = NOW + timedelta(days=1)
    second = reprioritize_all(now=night2)
    assert second["accounts"] == 9 and second["rewritten"] == 2 and second["bucket_changes"] == 1
    day2 = rescoring.agency_today(night2)
    rewritten = set(WorkItem.objects.filter(scored_on=day2).values_list("pk", flat=True))
    assert rewritten == {contacted.pk, moving.pk}
    assert BucketChange.objects.filter(changed_on=day2).get().to_bucket == "31-60"
    weights = rescoring.weights_current().weights
    facts = facts_for(account_ids=[a.pk for a in [*accounts, moving]], as_of=day2, weights=weights,
                      buckets=rescoring.buckets_current())
    for pk, (f, _) in facts.items():
        item = WorkItem.objects.get(pk=pk)
        total, parts = score(f, weights)
        assert (item.score, item.bucket, item.dpd_on(day2), item.queue_id) == (total, f.bucket, f.dpd, queue.pk)
        stored = unpack(item.components, item.bucket, as_of=day2)
        assert {k: [Decimal(str(v[0])), v[1]] for k, v in stored.items()} == {k: list(v) for k, v in parts.items()}
    assert unpack(WorkItem.objects.get(pk=contacted.pk).components, "", as_of=day2)["no_contact"] == [4, 4]
    assert reprioritize_all(now=night2)["rewritten"] == 0  # and a rerun of the night changes nothing


@pytest.mark.parametrize("portable", [False, True])
def test_an_oldest_first_queue_sorts_by_the_day_delinquency_began_and_keeps_its_keys_overnight(portable,
                                                                                                monkeypatch):
    _portable(monkeypatch, portable)
    team_with_queue(order=Queue.Order.DPD)
    old, recent, future = (debt(delinquent_since=d) for d in (date(2025, 1, 1), date(2026, 2, 1), date(2026, 4, 1)))
    reprioritize_all(now=NOW)
    keys = dict(WorkItem.objects.values_list("pk", "priority"))
    assert keys[old.pk] > keys[recent.pk] > keys[future.pk]  # highest first: the oldest delinquency
    assert keys[old.pk] == -(date(2025, 1, 1) - date(1970, 1, 1)).days
    assert reprioritize_all(now=NOW + timedelta(days=1))["rewritten"] == 0
    assert dict(WorkItem.objects.values_list("pk", "priority")) == keys


@pytest.mark.parametrize("chunk", [2, 1000])
def test_the_debtors_state_is_read_right_whether_debtor_ids_follow_the_accounts_or_not(chunk):
    """Debtors created between the accounts' own (other debtors, with addresses elsewhere): a chunk of two
    accounts whose debtors lie far apart reads only its own debtors' addresses; one big chunk reads the
    debtor range and joins each account to its own debtor's address. Both give the states' periods."""
    from tests.factories import AddressFactory, DebtorFactory

    def fillers():
        for _ in range(4):
            AddressFactory(debtor=DebtorFactory(), state="NY")

    ga = _in_state("GA", delinquent_since=date(2022, 6, 1), last_payment_date=date(2023, 1, 1))
    fillers()
    ca = _in_state("CA", delinquent_since=date(2022, 6, 1), last_payment_date=date(2023, 1, 1))
    fillers()
    ny = _in_state("NY", delinquent_since=date(2023, 1, 15))
    reprioritize_all(now=NOW, chunk=chunk)
    got = {a.pk: unpack(WorkItem.objects.get(pk=a.pk).components, "", as_of=TODAY)["sol"] for a in (ga, ca, ny)}
    assert got == {ga.pk: [0, 297], ca.pk: [15, 83], ny.pk: [-40, -54]}
