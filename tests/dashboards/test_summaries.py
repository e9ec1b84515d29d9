"""The summary tables equal a direct computation from the base tables after every kind of change."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from accounts.models import AccountStatus, EntryKind, EntrySource
from accounts.services import ledger_entry_post, ledger_entry_reverse
from collections_app.dashboards import summaries
from collections_app.models import (
    BucketChange,
    DashActivity,
    DashAging,
    DashCollection,
    DashPlacement,
    DashPromise,
    DashQueue,
    DashRoll,
    Disposition,
    Queue,
    WorkItem,
)
from compliance.models import ContactAttempt
from payments.models import Promise
from tests.factories import AccountFactory, CreditorFactory, UserFactory

pytestmark = pytest.mark.django_db


def assert_all_equal_truth():
    for summary in summaries.summaries(connection.vendor):
        assert summaries.differences(summary) == [], summary.table


def aging(creditor, bucket):
    row = DashAging.objects.filter(creditor_id=creditor.pk, bucket=bucket).first()
    return (row.accounts, Decimal(str(row.balance)).quantize(Decimal("0.01"))) if row else (0, Decimal("0.00"))


def post(account, kind, amount, source=EntrySource.USER, user=None, day=date(2026, 3, 5)):
    return ledger_entry_post(account=account, kind=kind, amount=Decimal(amount), posted_date=day, source=source,
                             created_by=user)[0]


def test_aging_follows_balances_buckets_and_status():
    creditor = CreditorFactory()
    a, b = AccountFactory(creditor=creditor), AccountFactory(creditor=creditor)
    post(a, EntryKind.CHARGE, "100.00", EntrySource.PLACEMENT)
    post(b, EntryKind.CHARGE, "50.25", EntrySource.PLACEMENT)
    assert aging(creditor, "") == (2, Decimal("150.25"))  # not scored yet

    WorkItem.objects.create(account=a, bucket="31-60", dpd=40)
    assert aging(creditor, "") == (1, Decimal("50.25"))
    assert aging(creditor, "31-60") == (1, Decimal("100.00"))

    post(a, EntryKind.PAYMENT, "-30.00")  # a balance change lands in the account's bucket
    assert aging(creditor, "31-60") == (1, Decimal("70.00"))

    WorkItem.objects.filter(pk=a.pk).update(bucket="61-90")  # the rescoring moves it
    assert aging(creditor, "31-60") == (0, Decimal("0.00"))
    assert aging(creditor, "61-90") == (1, Decimal("70.00"))

    type(b).objects.filter(pk=b.pk).update(status=AccountStatus.PAID)  # closed accounts leave the aging
    assert aging(creditor, "") == (0, Decimal("0.00"))
    WorkItem.objects.filter(pk=a.pk).delete()
    assert aging(creditor, "") == (1, Decimal("70.00"))
    assert_all_equal_truth()


def test_collections_are_net_of_returned_payments_and_attributed_to_the_taker():
    collector, clerk = UserFactory(roles=["collector"]), UserFactory(roles=["accounting"])
    account = AccountFactory()
    post(account, EntryKind.CHARGE, "500.00", EntrySource.PLACEMENT)
    paid = post(account, EntryKind.PAYMENT, "-120.00", EntrySource.PAYMENT, user=collector)
    post(account, EntryKind.PAYMENT, "-30.00", EntrySource.PAYMENT, user=collector)
    fee = post(account, EntryKind.FEE, "15.00")  # not a collection
    ledger_entry_reverse(entry=paid, reason="NSF", created_by=clerk)  # returned: counts against the taker
    ledger_entry_reverse(entry=fee, reason="waived", created_by=clerk)  # a reversed fee is not a collection either

    by_user = {}
    for row in DashCollection.objects.all():
        by_user[row.user_id] = by_user.get(row.user_id, Decimal("0")) + Decimal(str(row.collected))
    assert by_user == {collector.pk: Decimal("30.00")}
    placed = DashPlacement.objects.get()
    assert (placed.accounts, Decimal(str(placed.placed))) == (1, Decimal("500.00"))
    assert_all_equal_truth()


def _attempt(account, user, status, outcome, n, direction="outbound"):
    return ContactAttempt.objects.create(
        account=account, debtor=account.debtor, channel="call", to="+14045550101", direction=direction,
        outcome=outcome, user=user, idempotency_key=f"k{n}", requested_at=datetime(2026, 3, 5, 15, tzinfo=UTC),
        status=status, decision={}, context={})


def test_activity_counts_attempts_right_party_contacts_and_worked_time():
    collector = UserFactory(roles=["collector"])
    account = AccountFactory()
    _attempt(account, collector, "allowed", "conversation", 1)
    _attempt(account, collector, "allowed", "no_answer", 2)
    _attempt(account, collector, "blocked", "", 3)  # blocked: not an attempt
    _attempt(account, collector, "received", "conversation", 4, direction="inbound")  # inbound: not an attempt
    now = timezone.now()
    WorkItem.objects.create(account=account, leased_by=collector, leased_at=now - timedelta(seconds=95))
    Disposition.objects.create(account=account, user=collector, code="no_answer", at=now)
    Disposition.objects.create(account=account, user=collector, code="skipped", at=now)  # skips are not work

    rows = list(DashActivity.objects.filter(user_id=collector.pk))
    assert sum(r.attempts for r in rows) == 2
    assert sum(r.rpc for r in rows) == 1
    assert sum(r.worked for r in rows) == 1
    assert sum(r.seconds for r in rows) == 95
    assert_all_equal_truth()


def test_promises_move_between_statuses_and_roll_history_and_queues_are_counted():
    collector = UserFactory(roles=["collector"])
    account = AccountFactory()
    promise = Promise.objects.create(account=account, amount=Decimal("80.00"), due_date=date(2026, 3, 10),
                                     method="ach", created_by=collector)
    assert DashPromise.objects.get(status="open").promises == 1
    Promise.objects.filter(pk=promise.pk).update(status="broken")
    assert not DashPromise.objects.filter(status="open").exclude(promises=0).exists()
    assert DashPromise.objects.get(status="broken").promises == 1

    BucketChange.objects.create(account=account, from_bucket="31-60", to_bucket="61-90", dpd=61,
                                changed_on=date(2026, 3, 4))
    assert DashRoll.objects.get().accounts == 1

    queue = Queue.objects.create(name="Q")
    WorkItem.objects.create(account=account, queue=queue, ready=True)
    other = AccountFactory()
    WorkItem.objects.create(account=other, queue=queue, ready=False)
    assert (DashQueue.objects.get(queue_id=queue.pk).items, DashQueue.objects.get(queue_id=queue.pk).ready) == (2, 1)
    WorkItem.objects.filter(pk=account.pk).update(leased_by=collector)  # leased: no longer workable now
    assert DashQueue.objects.get(queue_id=queue.pk).ready == 0
    assert_all_equal_truth()


def test_rebuild_repairs_a_damaged_summary_and_changes_nothing_when_right():
    account = AccountFactory()
    post(account, EntryKind.CHARGE, "42.00", EntrySource.PLACEMENT)
    WorkItem.objects.create(account=account, bucket="1-30")
    live = DashAging.objects.exclude(accounts=0)
    before = sorted(live.values_list("creditor_id", "debt_type", "bucket", "accounts", "balance"))
    summaries.rebuild()
    assert sorted(live.values_list("creditor_id", "debt_type", "bucket", "accounts", "balance")) == before
    DashAging.objects.update(accounts=99)
    assert summaries.differences(next(s for s in summaries.summaries(connection.vendor)
                                      if s.table == "collections_app_dashaging"))
    summaries.rebuild()
    assert_all_equal_truth()


def test_every_update_trigger_lists_the_row_columns_it_reads():
    """An UPDATE trigger skips rows whose listed columns did not change: a column read but not listed
    would make a change to it invisible to the summary."""
    import re

    for summary in summaries.summaries("postgresql"):
        for source in summary.sources:
            if "UPDATE" not in source.events or " JOIN " not in source.select:
                continue
            text = source.select + (source.absent or "")
            read = set(re.findall(r"\br\.(\w+)", text))
            assert source.reads, (summary.table, source.table)
            assert read <= set(source.reads), (summary.table, source.table, read - set(source.reads))
            pk = "id" if source.table in ("accounts_account", "payments_promise") else "account_id"
            assert source.reads[0] == pk


def test_one_statement_rewriting_many_rows_counts_only_what_changed():
    """The rescoring's shape: one UPDATE rewrites every work item's score, and moves some buckets."""
    creditor = CreditorFactory()
    accounts = [AccountFactory(creditor=creditor) for _ in range(6)]
    for i, account in enumerate(accounts):
        post(account, EntryKind.CHARGE, f"{100 + i}.00", EntrySource.PLACEMENT)
        WorkItem.objects.create(account=account, bucket="31-60", score=Decimal("1.00"))
    before = list(DashAging.objects.order_by("pk").values_list("pk", "accounts", "balance"))
    WorkItem.objects.update(score=Decimal("2.00"))  # nothing the summaries read
    assert list(DashAging.objects.order_by("pk").values_list("pk", "accounts", "balance")) == before
    moved = [a.pk for a in accounts[:2]]
    with connection.cursor() as cursor:
        cursor.execute("UPDATE collections_app_workitem SET score = score + 1, "
                       "bucket = CASE WHEN account_id IN (%s, %s) THEN '61-90' ELSE bucket END, "
                       "ready = (account_id = %s)", [*moved, moved[0]])
    assert aging(creditor, "31-60") == (4, Decimal("414.00"))
    assert aging(creditor, "61-90") == (2, Decimal("201.00"))
    assert DashQueue.objects.get(queue_id=0).ready == 1
    assert_all_equal_truth()
