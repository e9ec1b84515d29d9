"""The night: promises judged, installments missed, plans defaulted, interest accrued, reminders queued;
a rerun changes nothing."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import LedgerEntry
from accounts.services import balances_verify
from collections_app.nightly import run_night
from payments.models import (
    InstallmentStatus,
    InterestTerms,
    PaymentPlan,
    PaymentSettings,
    PlanStatus,
    Promise,
    PromiseStatus,
    Reminder,
    Settlement,
)
from payments.services import payment_post, plan_create, promise_create, settlement_create

from .support import funded_account

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, params=["sql", "portable"])
def night_path(request, monkeypatch):
    """Every test here runs twice: the PostgreSQL statements, then the ORM twins SQLite runs
    (payments.nightly_portable) on the same data, with the same expected answers."""
    if request.param == "portable":
        monkeypatch.setattr("payments.nightly._portable", lambda: True)
    return request.param


def _pay(account, amount, key):
    payment_post(account=account, amount=amount, method="ach", received_at=timezone.now(), idempotency_key=key,
                 source="api")


def _snapshot():
    return (sorted(Promise.objects.values_list("id", "status", "judged_on")),
            sorted(PaymentPlan.objects.values_list("id", "status", "missed_count")),
            LedgerEntry.objects.count(), sorted(Reminder.objects.values_list("idempotency_key", "status")),
            sorted(Settlement.objects.values_list("id", "status")))


def test_night_judges_promises_misses_installments_defaults_plans_and_a_rerun_changes_nothing(
        users, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    kept_acc, partial_acc, broken_acc = (funded_account(principal="500.00") for _ in range(3))
    kept = promise_create(account=kept_acc, amount="100.00", due_date=today, method="ach", user=users["collector"])
    partial = promise_create(account=partial_acc, amount="100.00", due_date=today, method="ach",
                             user=users["collector"])
    broken = promise_create(account=broken_acc, amount="100.00", due_date=today, method="cash",
                            user=users["collector"])
    _pay(kept_acc, "100.00", "kept")
    _pay(partial_acc, "40.00", "partial")
    plan_acc = funded_account(principal="300.00")
    with django_capture_on_commit_callbacks(execute=False):
        plan = plan_create(account=plan_acc, total="300.00", down_payment="0", frequency="weekly", start_date=today,
                           installments=3, user=users["collector"])
    offer = settlement_create(account=funded_account(principal="100.00"), user=users["collector"], amount="95.00",
                              expires_on=today)

    night = run_night(today=today + timedelta(days=1))
    assert night["promises"]["broken"] == 1 and night["promises"]["partial"] == 1
    assert night["settlements"]["expired"] == 1
    for promise, status in ((kept, PromiseStatus.KEPT), (partial, PromiseStatus.PARTIAL),
                            (broken, PromiseStatus.BROKEN)):
        promise.refresh_from_db()
        assert promise.status == status
    broken_acc.refresh_from_db()
    assert broken_acc.status == "active"  # no longer "promise to pay"
    offer.refresh_from_db()
    assert offer.status == "expired"
    assert night["reminders"]["promise_missed"] == 1

    # Week one's installment is unpaid past its 5 grace days; week two's too: two misses default the plan.
    first = run_night(today=today + timedelta(days=6))
    assert first["plans"]["installments_missed"] == 1 and first["plans"]["plans_defaulted"] == 0
    second = run_night(today=today + timedelta(days=13))
    assert second["plans"]["installments_missed"] == 1 and second["plans"]["plans_defaulted"] == 1
    plan.refresh_from_db()
    plan_acc.refresh_from_db()
    assert plan.status == PlanStatus.DEFAULTED and plan.missed_count == 2 and plan_acc.status == "active"
    assert list(plan.installments.values_list("status", flat=True)) == ["missed", "missed", "scheduled"]

    before = _snapshot()
    again = run_night(today=today + timedelta(days=13))
    assert _snapshot() == before
    assert again["promises"]["broken"] == 0 and again["plans"]["installments_missed"] == 0
    assert again["reminders"]["queued"] == 0


def test_interest_accrues_once_per_day_where_allowed_and_stops_on_a_plan(users, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    account = funded_account(principal="3650.00", debt_type="consumer_loan")
    PaymentSettings.objects.create(creditor=account.creditor, interest_allowed=True)
    InterestTerms.objects.create(account=account, annual_rate=Decimal("10.0000"),
                                 accrued_through=today - timedelta(days=11))
    not_allowed = funded_account(principal="3650.00")
    InterestTerms.objects.create(account=not_allowed, annual_rate=Decimal("10.0000"),
                                 accrued_through=today - timedelta(days=11))
    night = run_night(today=today, only=["interest"])
    assert night["interest"]["entries"] == 1 and night["interest"]["total"] == "10.00"  # 3650 x 10% x 10/365
    account.refresh_from_db()
    assert account.current_balance == Decimal("3660.00")
    assert run_night(today=today, only=["interest"])["interest"]["entries"] == 0
    assert balances_verify()["mismatched"] == 0
    with django_capture_on_commit_callbacks(execute=False):
        plan_create(account=account, total="3660.00", down_payment="0", frequency="monthly", start_date=today,
                    installments=12, user=users["supervisor"])
    stopped = run_night(today=today + timedelta(days=5), only=["interest"])
    assert stopped["interest"]["entries"] == 0 and stopped["interest"]["terms_advanced"] == 1


def test_reminders_are_queued_once_for_promises_and_installments_due_soon(users, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    account = funded_account(principal="500.00")
    promise_create(account=account, amount="50.00", due_date=today + timedelta(days=2), method="ach",
                   user=users["collector"])
    other = funded_account(principal="500.00")
    with django_capture_on_commit_callbacks(execute=False):
        plan_create(account=other, total="500.00", down_payment="0", frequency="monthly",
                    start_date=today + timedelta(days=1), installments=5, user=users["collector"])
    first = run_night(today=today, only=["reminders"])
    assert first["reminders"]["promise_due"] == 1 and first["reminders"]["installment_due"] == 1
    assert run_night(today=today, only=["reminders"])["reminders"]["queued"] == 0
    assert Reminder.objects.count() == 2


def test_run_nightly_prints_json_counts_and_seconds_last(capsys):
    call_command("run_nightly")
    import json
    last = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert set(last) >= {"promises", "plans", "settlements", "interest", "reprioritize", "reminders", "seconds"}
    assert "seconds" in last["promises"]
    assert InstallmentStatus.MISSED == "missed"


def test_simple_interest_runs_on_the_principal_only_and_compound_on_the_whole_balance(users):
    """3,650.00 principal with 365.00 of fees and 730.00 of interest already owed, 10% a year, ten days:
    simple interest is 3650 x 10% x 10/365 = 10.00; compound runs on 4,745.00: 13.00."""
    today = timezone.localdate()
    simple = funded_account(principal="3650.00", fees="365.00", interest="730.00", debt_type="consumer_loan")
    compound = funded_account(principal="3650.00", fees="365.00", interest="730.00", creditor=simple.creditor,
                              debt_type="consumer_loan")
    PaymentSettings.objects.create(creditor=simple.creditor, interest_allowed=True)
    for account, method in ((simple, "simple_daily"), (compound, "compound_daily")):
        InterestTerms.objects.create(account=account, annual_rate=Decimal("10.0000"), method=method,
                                     accrued_through=today - timedelta(days=11))
    night = run_night(today=today, only=["interest"])
    assert night["interest"]["entries"] == 2 and night["interest"]["total"] == "23.00"
    posted = dict(LedgerEntry.objects.filter(kind="interest", source="system").values_list("account_id", "amount"))
    assert posted == {simple.pk: Decimal("10.00"), compound.pk: Decimal("13.00")}
    assert balances_verify()["mismatched"] == 0


@pytest.mark.parametrize("order", [["fees", "interest", "principal"], ["principal", "fees", "interest"],
                                   ["interest", "principal"], ["fees"], []])
def test_the_principal_in_sql_is_balance_by_kind(order, night_path):
    """The nightly SQL's principal outstanding equals accounts.balances.balance_by_kind, for payments
    short of, within and beyond each bucket, reversals and adjustments, in several allocation orders."""
    import random

    from django.db import connection

    from accounts.balances import balance_by_kind
    from accounts.models import Creditor
    from payments.nightly import PRINCIPAL_SQL
    from tests.factories import AccountFactory, CreditorFactory

    if night_path == "portable" or connection.vendor != "postgresql":
        pytest.skip("the SQL itself (PostgreSQL's)")
    rng = random.Random(7 + len(order))
    creditor = CreditorFactory()
    Creditor.objects.filter(pk=creditor.pk).update(allocation_order=order)
    today = timezone.localdate()
    expected = {}
    for _ in range(40):
        account = AccountFactory(creditor=creditor, status="active")
        totals = {}
        for kind in ("charge", "interest", "fee", "payment", "adjustment", "reversal", "write_off"):
            if rng.random() < 0.6:
                sign = -1 if kind in ("payment", "write_off") or (kind == "adjustment" and rng.random() < 0.5) else 1
                amount = Decimal(rng.randint(1, 200000)) / 100 * sign
                LedgerEntry.objects.create(account=account, creditor=creditor, kind=kind, amount=amount,
                                           posted_date=today, reference=f"T-{account.pk}-{kind}", source="user")
                totals[kind] = amount
        InterestTerms.objects.create(account=account, annual_rate=Decimal("5"), accrued_through=today - timedelta(3))
        expected[account.pk] = balance_by_kind(totals, order)["principal"]
    with connection.cursor() as cursor:
        cursor.execute(f"WITH {PRINCIPAL_SQL} SELECT account_id, principal FROM principal",
                       {"through": today - timedelta(days=1)})
        got = dict(cursor.fetchall())
    assert {k: v for k, v in expected.items() if k in got} == got
    assert all(v == 0 for k, v in expected.items() if k not in got)  # no ledger rows: nothing owed
