from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import LedgerEntry
from accounts.services import balances_verify
from payments.models import Payment, PaymentStatus, Promise, PromiseStatus
from payments.services import IdempotencyConflict, credit_refund, payment_post, payment_return, promise_create

from .support import funded_account

pytestmark = pytest.mark.django_db


def _post(account, amount, key="k1", **kw):
    return payment_post(account=account, amount=amount, method=kw.pop("method", "ach"),
                        received_at=kw.pop("received_at", timezone.now() - timedelta(hours=1)),
                        idempotency_key=key, source="api", **kw)


def test_payment_follows_the_default_waterfall_fees_interest_then_principal():
    account = funded_account(principal="500.00", interest="40.00", fees="25.00")
    payment, created = _post(account, "100.00")
    assert created
    assert [(a.bucket, a.amount) for a in payment.allocations.all()] == [
        ("fees", Decimal("25.00")), ("interest", Decimal("40.00")), ("principal", Decimal("35.00"))]
    account.refresh_from_db()
    assert account.current_balance == Decimal("465.00")
    entries = LedgerEntry.objects.filter(reference__startswith=f"PAY-{payment.pk}-")
    assert sorted(e.amount for e in entries) == [Decimal("-40.00"), Decimal("-35.00"), Decimal("-25.00")]
    assert balances_verify()["mismatched"] == 0


def test_creditor_waterfall_principal_first_is_honoured():
    account = funded_account(principal="50.00", interest="40.00")
    account.creditor.allocation_order = ["principal", "interest", "fees"]
    account.creditor.save()
    payment, _ = _post(account, "60.00")
    assert [(a.bucket, a.amount) for a in payment.allocations.all()] == [
        ("principal", Decimal("50.00")), ("interest", Decimal("10.00"))]


def test_same_key_same_body_returns_the_original_and_posts_nothing_more():
    account = funded_account()
    when = timezone.now() - timedelta(hours=2)
    first, created = _post(account, "10.00", received_at=when)
    again, created_again = _post(account, "10.00", received_at=when)
    assert created and not created_again and again.pk == first.pk
    assert Payment.objects.count() == 1
    account.refresh_from_db()
    assert account.current_balance == Decimal("990.00")


def test_same_key_with_another_amount_is_a_conflict_naming_the_original():
    account = funded_account()
    when = timezone.now() - timedelta(hours=2)
    first, _ = _post(account, "10.00", received_at=when)
    with pytest.raises(IdempotencyConflict, match=f"#{first.pk}"):
        _post(account, "11.00", received_at=when)


def test_bad_input_names_every_field():
    account = funded_account()
    with pytest.raises(ValidationError) as exc:
        payment_post(account=account, amount="1.005", method="bitcoin", received_at=timezone.now() + timedelta(days=1),
                     idempotency_key="", source="api")
    assert set(exc.value.message_dict) == {"amount", "method", "received_at", "idempotency_key"}


def test_overpayment_leaves_a_credit_balance_that_can_be_refunded_never_lost():
    account = funded_account(principal="100.00")
    payment, _ = _post(account, "130.00")
    assert payment.credit_amount == Decimal("30.00")
    account.refresh_from_db()
    assert account.current_balance == Decimal("-30.00") and account.status == "paid"
    with pytest.raises(ValidationError, match="credit balance is 30.00"):
        credit_refund(account=account, amount="31.00", method="check", idempotency_key="r1")
    credit_refund(account=account, amount="30.00", method="check", idempotency_key="r1")
    credit_refund(account=account, amount="30.00", method="check", idempotency_key="r1")  # repeated: no-op
    account.refresh_from_db()
    assert account.current_balance == Decimal("0.00")
    assert balances_verify()["mismatched"] == 0


def test_paying_a_promise_keeps_it_and_a_returned_payment_reopens_it_and_the_debt(users):
    account = funded_account(principal="200.00")
    promise = promise_create(account=account, amount="200.00", due_date=timezone.localdate() + timedelta(days=3),
                             method="ach", user=users["collector"])
    account.refresh_from_db()
    assert account.status == "promise"
    payment, _ = _post(account, "200.00")
    promise.refresh_from_db()
    account.refresh_from_db()
    assert promise.status == PromiseStatus.KEPT and account.status == "paid"
    payment_return(payment=payment, reason="nsf", user=users["accounting"])
    payment_return(payment=payment, reason="nsf", user=users["accounting"])  # twice changes nothing
    payment.refresh_from_db()
    promise.refresh_from_db()
    account.refresh_from_db()
    assert payment.status == PaymentStatus.RETURNED and payment.return_reason == "nsf"
    assert promise.status == PromiseStatus.OPEN and promise.amount_paid == 0
    assert account.current_balance == Decimal("200.00") and account.status == "promise"
    assert LedgerEntry.objects.filter(kind="reversal", account=account).count() == 1
    assert balances_verify()["mismatched"] == 0
    assert Promise.objects.get(pk=promise.pk).status == "open"
