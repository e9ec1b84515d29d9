"""Reads for payments, promises, plans and settlements (what the workspace, API and worklists show)."""

from __future__ import annotations

from django.db.models import Prefetch

from .models import Installment, Payment, PaymentPlan, PlanStatus, Promise, PromiseStatus, Settlement, SettlementStatus


def account_payments(*, account_id: int, limit: int = 20):
    return list(Payment.objects.filter(account_id=account_id).prefetch_related("allocations")
                .order_by("-received_at", "-id")[:limit])


def account_promises(*, account_id: int, limit: int = 20):
    return list(Promise.objects.filter(account_id=account_id).order_by("-due_date", "-id")[:limit])


def account_plans(*, account_id: int, limit: int = 5):
    return list(PaymentPlan.objects.filter(account_id=account_id)
                .prefetch_related(Prefetch("installments", queryset=Installment.objects.order_by("seq")))
                .order_by("-created_at", "-id")[:limit])


def account_settlements(*, account_id: int, limit: int = 10):
    return list(Settlement.objects.filter(account_id=account_id).select_related("created_by", "decided_by")
                .order_by("-created_at", "-id")[:limit])


def commitment_summary(*, account_id: int) -> dict:
    """Latest promise and plan status of an account (the worklist's score reads these)."""
    promise = Promise.objects.filter(account_id=account_id).order_by("-due_date", "-id").first()
    plan = PaymentPlan.objects.filter(account_id=account_id).order_by("-created_at", "-id").first()
    return {"promise_status": promise.status if promise else None,
            "plan_status": plan.status if plan else None,
            "plan_missed": plan.missed_count if plan else 0}


def approval_queue():
    """Everything waiting for a supervisor: settlements/extensions, promises and plans outside guardrails."""
    return {
        "settlements": list(Settlement.objects.filter(status=SettlementStatus.AWAITING_APPROVAL)
                            .select_related("account__debtor", "account__creditor", "created_by")
                            .order_by("created_at")[:200]),
        "promises": list(Promise.objects.filter(status=PromiseStatus.AWAITING_APPROVAL)
                         .select_related("account__debtor", "created_by").order_by("created_at")[:200]),
        "plans": list(PaymentPlan.objects.filter(status=PlanStatus.AWAITING_APPROVAL)
                      .select_related("account__debtor", "created_by").order_by("created_at")[:200]),
    }


def exceptions(*, limit: int = 200):
    """The supervisor's exceptions: broken promises and defaulted plans, newest first."""
    return {
        "broken_promises": list(Promise.objects.filter(status=PromiseStatus.BROKEN)
                                .select_related("account__debtor", "created_by")
                                .order_by("-judged_on", "-id")[:limit]),
        "defaulted_plans": list(PaymentPlan.objects.filter(status=PlanStatus.DEFAULTED)
                                .select_related("account__debtor", "created_by")
                                .order_by("-ended_on", "-id")[:limit]),
    }


def pickups(*, limit: int = 200):
    """Open promises with a pick-up appointment, soonest first (the field collector's list)."""
    return list(Promise.objects.filter(status=PromiseStatus.OPEN, pickup_start__isnull=False)
                .select_related("account__debtor", "account__creditor").order_by("pickup_start")[:limit])
