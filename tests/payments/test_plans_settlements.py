from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import LedgerEntry
from accounts.services import balances_verify
from payments.models import InstallmentStatus, PlanStatus, SettlementStatus
from payments.services import (
    payment_post,
    payment_return,
    plan_approve,
    plan_create,
    settlement_approve,
    settlement_create,
)

from .support import funded_account

pytestmark = pytest.mark.django_db


def _pay(account, amount, key):
    return payment_post(account=account, amount=amount, method="ach", received_at=timezone.now(),
                        idempotency_key=key, source="workspace")[0]


def test_plan_schedule_sums_to_total_and_account_goes_on_plan(users, django_capture_on_commit_callbacks):
    account = funded_account(principal="1000.00")
    start = timezone.localdate() + timedelta(days=7)
    with django_capture_on_commit_callbacks(execute=False):
        plan = plan_create(account=account, total="1000.00", down_payment="100.00", frequency="monthly",
                           start_date=start, installments=7, user=users["collector"])
    rows = list(plan.installments.order_by("seq"))
    assert plan.status == PlanStatus.ACTIVE
    assert sum(r.amount for r in rows) == Decimal("1000.00")
    assert rows[0].seq == 0 and rows[0].amount == Decimal("100.00")
    assert rows[1].amount == Decimal("128.58") and rows[2].amount == Decimal("128.57")
    account.refresh_from_db()
    assert account.status == "plan"


def test_plan_outside_guardrails_waits_for_a_supervisor_who_is_not_its_maker(users,
                                                                               django_capture_on_commit_callbacks):
    account = funded_account(principal="1000.00")
    with django_capture_on_commit_callbacks(execute=False):
        plan = plan_create(account=account, total="1000.00", down_payment="0", frequency="weekly",
                           start_date=timezone.localdate() + timedelta(days=1), installments=100,
                           user=users["collector"])
        assert plan.status == PlanStatus.AWAITING_APPROVAL
        assert plan.outside_guardrails == ["more than 24 installments", "an installment below 25.00"]
        with pytest.raises(ValidationError, match="Only a supervisor"):
            plan_approve(plan=plan, user=users["collector"])
        plan_approve(plan=plan, user=users["supervisor"])
    assert plan.status == PlanStatus.ACTIVE


def test_payment_pays_installments_in_order_and_a_return_reopens_them(users, django_capture_on_commit_callbacks):
    account = funded_account(principal="300.00")
    with django_capture_on_commit_callbacks(execute=False):
        plan = plan_create(account=account, total="300.00", down_payment="0", frequency="weekly",
                           start_date=timezone.localdate(), installments=3, user=users["collector"])
    payment = _pay(account, "150.00", "p1")
    first, second, third = plan.installments.order_by("seq")
    assert first.status == InstallmentStatus.PAID and second.amount_paid == Decimal("50.00")
    payment_return(payment=payment, reason="chargeback", user=users["accounting"])
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == InstallmentStatus.SCHEDULED and first.amount_paid == 0 and second.amount_paid == 0


def test_settlement_above_authority_waits_maker_cannot_approve_paid_writes_off_remainder(users):
    account = funded_account(principal="1000.00")
    offer = settlement_create(account=account, user=users["supervisor"], amount="600.00",
                              expires_on=timezone.localdate() + timedelta(days=10))
    assert offer.status == SettlementStatus.AWAITING_APPROVAL and offer.discount_pct == Decimal("40.00")
    with pytest.raises(ValidationError, match="maker of an offer cannot approve"):
        settlement_approve(settlement=offer, user=users["supervisor"])
    with pytest.raises(ValidationError, match="Only a supervisor"):
        settlement_approve(settlement=offer, user=users["collector"])
    settlement_approve(settlement=offer, user=users["admin"])
    offer.refresh_from_db()
    assert offer.status == SettlementStatus.APPROVED and offer.decided_by == users["admin"]
    payment = _pay(account, "600.00", "s1")
    offer.refresh_from_db()
    account.refresh_from_db()
    assert offer.status == SettlementStatus.PAID
    assert account.current_balance == Decimal("0.00") and account.status == "settled"
    write_off = LedgerEntry.objects.get(pk=offer.write_off_entry_id)
    assert write_off.kind == "write_off" and write_off.amount == Decimal("-400.00")
    payment_return(payment=payment, reason="nsf", user=users["accounting"])
    offer.refresh_from_db()
    account.refresh_from_db()
    assert offer.status == SettlementStatus.APPROVED and account.current_balance == Decimal("1000.00")
    assert account.status == "active"
    assert balances_verify()["mismatched"] == 0


def test_settlement_within_authority_is_approved_at_once(users):
    account = funded_account(principal="1000.00")
    offer = settlement_create(account=account, user=users["collector"], discount_pct="10",
                              expires_on=timezone.localdate() + timedelta(days=10))
    assert offer.status == SettlementStatus.APPROVED and offer.amount == Decimal("900.00")


def test_credit_extension_is_for_commercial_invoices_and_applies_new_terms_on_approval(users):
    consumer = funded_account()
    with pytest.raises(ValidationError, match="commercial"):
        settlement_create(account=consumer, user=users["collector"], kind="extension", new_terms_days=30)
    invoice = funded_account(debt_type="commercial")
    ext = settlement_create(account=invoice, user=users["collector"], kind="extension", new_terms_days=60,
                            new_due_date=timezone.localdate() + timedelta(days=60))
    assert ext.status == SettlementStatus.AWAITING_APPROVAL
    ext = settlement_approve(settlement=ext, user=users["supervisor"])
    invoice.refresh_from_db()
    assert ext.status == SettlementStatus.APPLIED and invoice.terms_days == 60


def test_a_settlement_in_installments_becomes_a_plan_for_the_settled_amount(users, django_capture_on_commit_callbacks):
    account = funded_account(principal="1000.00")
    with django_capture_on_commit_callbacks(execute=True):
        offer = settlement_create(account=account, user=users["collector"], amount="900.00", installments=3,
                                  expires_on=timezone.localdate() + timedelta(days=30))
    assert offer.status == SettlementStatus.APPROVED
    plan = offer.plans.get()
    assert plan.total == Decimal("900.00") and plan.status == PlanStatus.ACTIVE
    assert [i.amount for i in plan.installments.order_by("seq")] == [Decimal("300.00")] * 3
    for n in range(3):
        _pay(account, "300.00", f"inst-{n}")
    offer.refresh_from_db()
    plan.refresh_from_db()
    account.refresh_from_db()
    assert offer.status == SettlementStatus.PAID and plan.status == PlanStatus.COMPLETED
    assert account.current_balance == Decimal("0.00") and account.status == "settled"
