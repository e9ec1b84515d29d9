"""Demo payments data: every promise or plan status a demo account shows is backed by records.

Accounts the portfolio marked "promise to pay" get an open promise, "on payment plan" accounts an
active plan (a share of them with a missed installment), and a few active accounts get a broken
promise, a settlement awaiting approval, and payments posted through the real service.
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import Account
from payments.models import Installment, PaymentPlan, Promise, Settlement
from payments.schedule import build_schedule
from payments.services import payment_post

CENT = Decimal("0.01")


def payments_demo_create(*, seed: int, collector, supervisor=None) -> dict:
    if Promise.objects.exists() or PaymentPlan.objects.exists():
        return {"promises": 0, "plans": 0, "settlements": 0, "payments": 0}  # seeded before: idempotent
    rng = random.Random(seed)
    today = timezone.localdate()
    promises, plans, installments = [], [], []
    with transaction.atomic():
        for account in Account.objects.filter(status="promise", current_balance__gt=0).iterator(2000):
            amount = min(account.current_balance, Decimal(rng.choice([50, 75, 100, 150, 200])))
            promises.append(Promise(account=account, amount=amount, due_date=today + timedelta(days=rng.randint(0, 14)),
                                    method=rng.choice(["ach", "card", "check"]), status="open", created_by=collector))
        plan_accounts = list(Account.objects.filter(status="plan", current_balance__gt=0).only("id", "current_balance"))
        for account in plan_accounts:
            count = rng.choice([6, 12, 18])
            missed = rng.random() < 0.25
            start = today - timedelta(days=35) if missed else today + timedelta(days=rng.randint(1, 20))
            plans.append(PaymentPlan(account=account, total=account.current_balance, down_payment=0,
                                     frequency="monthly", installment_count=count, start_date=start, status="active",
                                     missed_count=1 if missed else 0, created_by=collector))
        PaymentPlan.objects.bulk_create(plans, batch_size=2000)
        for plan in plans:
            for row in build_schedule(total=plan.total, down_payment=Decimal(0), frequency="monthly",
                                      start_date=plan.start_date, installments=plan.installment_count):
                status = "missed" if plan.missed_count and row["seq"] == 1 else "scheduled"
                installments.append(Installment(plan=plan, status=status, **row))
        Installment.objects.bulk_create(installments, batch_size=5000)
        active = list(Account.objects.filter(status="active", current_balance__gt=100).order_by("id")[:60])
        for account in active[:20]:
            promises.append(Promise(account=account, amount=Decimal("75.00"), due_date=today - timedelta(days=3),
                                    method="ach", status="broken", judged_on=today - timedelta(days=2),
                                    created_by=collector))
        Promise.objects.bulk_create(promises, batch_size=2000)
        settlements = [Settlement(account=a, balance_at_offer=a.current_balance,
                                  amount=(a.current_balance * Decimal("0.6")).quantize(CENT), discount_pct=40,
                                  expires_on=today + timedelta(days=14), status="awaiting_approval",
                                  reason="Hardship: reduced income", created_by=collector)
                       for a in active[20:35]]
        Settlement.objects.bulk_create(settlements)
    posted = 0
    for account in active[35:60]:
        payment_post(account=account, amount=min(Decimal("25.00"), account.current_balance), method="card",
                     received_at=timezone.now() - timedelta(days=rng.randint(1, 20)),
                     idempotency_key=f"demo-payment-{account.pk}", source="workspace", user=collector)
        posted += 1
    return {"promises": len(promises), "plans": len(plans), "settlements": len(settlements), "payments": posted}
