import pytest
from django.core.management import call_command
from django.db.models import Exists, OuterRef

from accounts.models import Account
from payments.models import Payment, PaymentPlan, Promise, Settlement

pytestmark = pytest.mark.django_db


def test_every_promise_and_plan_status_on_a_demo_account_is_backed_by_records(capsys):
    call_command("seed_demo", accounts=400, seed=3)
    promised = Account.objects.filter(status="promise")
    planned = Account.objects.filter(status="plan")
    assert promised.exists() and planned.exists()
    assert not promised.exclude(Exists(Promise.objects.filter(account=OuterRef("pk"), status="open"))).exists()
    assert not planned.exclude(Exists(PaymentPlan.objects.filter(account=OuterRef("pk"), status="active"))).exists()
    assert PaymentPlan.objects.filter(missed_count__gt=0, installments__status="missed").exists()
    assert Settlement.objects.filter(status="awaiting_approval").exists()
    assert Promise.objects.filter(status="broken").exists() and Payment.objects.exists()
    payments_before = Payment.objects.count()
    call_command("seed_demo", accounts=400, seed=3)
    assert Payment.objects.count() == payments_before
