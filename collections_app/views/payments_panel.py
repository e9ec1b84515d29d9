"""The workspace's Payments panel: take a payment, a promise, a plan or a settlement offer.

Its own partial (templates/workspace/_payments_panel.html) loaded by the account page, so the
Contact panel and the disposition bar live beside it without sharing a template.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import ACCOUNTING, ADMIN, ALL_ROLES, COLLECTOR, SUPERVISOR, allow_roles, has_role
from accounts.errors import form_errors_text
from accounts.models import Account
from payments import selectors, services
from payments.forms import PaymentForm, PlanForm, PromiseForm, RefundForm, SettlementForm
from payments.texts import add_errors

TAKE_ROLES = (COLLECTOR, SUPERVISOR, ACCOUNTING, ADMIN)
COMMIT_ROLES = (COLLECTOR, SUPERVISOR, ADMIN)
REFUND_ROLES = (ACCOUNTING, ADMIN)


def _account(account_id: int) -> Account:
    return get_object_or_404(Account.objects.select_related("creditor", "debtor"), pk=account_id)


def _context(request, account: Account, **forms) -> dict:
    balance = account.current_balance
    context = {
        "account": account,
        "credit_balance": -balance if balance < 0 else None,
        "payments": selectors.account_payments(account_id=account.pk),
        "promises": selectors.account_promises(account_id=account.pk),
        "plans": selectors.account_plans(account_id=account.pk),
        "settlements": selectors.account_settlements(account_id=account.pk),
        "can_take": has_role(request.user, *TAKE_ROLES),
        "can_commit": has_role(request.user, *COMMIT_ROLES),
        "can_refund": has_role(request.user, *REFUND_ROLES),
        "refund_form": forms.get("refund_form") or RefundForm(auto_id="refund_%s",
                                                              initial={"amount": -balance if balance < 0 else None}),
        "payment_form": forms.get("payment_form") or PaymentForm(auto_id="pay_%s"),
        "promise_form": forms.get("promise_form") or PromiseForm(auto_id="promise_%s"),
        "plan_form": forms.get("plan_form") or PlanForm(auto_id="plan_%s", initial={
            "total": balance if balance > 0 else None, "start_date": timezone.localdate()}),
        "settlement_form": forms.get("settlement_form") or SettlementForm(auto_id="settle_%s"),
        "result": forms.get("result"),
    }
    context["all_forms"] = [context[k] for k in ("payment_form", "promise_form", "plan_form", "settlement_form",
                                                 "refund_form")]
    return context


@allow_roles(*ALL_ROLES)
def payments_panel(request, account_id: int):
    return render(request, "workspace/_payments_panel.html", _context(request, _account(account_id)))


def _handle(request, account_id: int, form_class, prefix: str, name: str, action):
    """Parse, call the service, answer with the refreshed panel (or redirect without htmx)."""
    account = _account(account_id)
    form = form_class(request.POST, auto_id=f"{prefix}_%s")
    result = None
    if form.is_valid():
        try:
            result = action(account, form.cleaned_data)
            form = None
        except ValidationError as exc:
            add_errors(form, exc)  # the service's English, in the user's language
    if not request.htmx:
        if result:
            messages.success(request, result)
        elif form is not None:
            messages.error(request, form_errors_text(form))
        return redirect("account-workspace", account_id=account.pk)
    account.refresh_from_db()
    return render(request, "workspace/_payments_panel.html",
                  _context(request, account, result=result, **({name: form} if form is not None else {})))


@require_POST
@allow_roles(*TAKE_ROLES)
def payment_take(request, account_id: int):
    def act(account, d):
        payment, created = services.payment_post(
            account=account, amount=d["amount"], method=d["method"], received_at=d["received_at"],
            reference=d["reference"], idempotency_key=d["idempotency_key"], source="workspace", user=request.user)
        parts = ", ".join(f"{a.bucket} {a.amount}" for a in payment.allocations.all())
        if not created:
            return _("Payment #%(id)s was already posted.") % {"id": payment.pk}
        return _("Payment #%(id)s of $%(amount)s posted (%(parts)s).") % {"id": payment.pk, "amount": payment.amount,
                                                                          "parts": parts}
    return _handle(request, account_id, PaymentForm, "pay", "payment_form", act)


@require_POST
@allow_roles(*COMMIT_ROLES)
def promise_take(request, account_id: int):
    def act(account, d):
        promise = services.promise_create(account=account, user=request.user, **d)
        return _("Promise of $%(amount)s by %(date)s: %(status)s.") % {
            "amount": promise.amount, "date": promise.due_date, "status": promise.get_status_display()}
    return _handle(request, account_id, PromiseForm, "promise", "promise_form", act)


@require_POST
@allow_roles(*COMMIT_ROLES)
def plan_take(request, account_id: int):
    def act(account, d):
        plan = services.plan_create(account=account, total=d["total"], down_payment=d.get("down_payment") or 0,
                                    frequency=d["frequency"], start_date=d["start_date"],
                                    installments=d.get("installments"),
                                    installment_amount=d.get("installment_amount"), user=request.user)
        return _("Plan of $%(total)s in %(count)s installments: %(status)s.") % {
            "total": plan.total, "count": plan.installment_count, "status": plan.get_status_display()}
    return _handle(request, account_id, PlanForm, "plan", "plan_form", act)


@require_POST
@allow_roles(*COMMIT_ROLES)
def settlement_take(request, account_id: int):
    def act(account, d):
        offer = services.settlement_create(account=account, user=request.user, **d)
        return f"{offer.get_kind_display()}: {offer.get_status_display()}."
    return _handle(request, account_id, SettlementForm, "settle", "settlement_form", act)


@require_POST
@allow_roles(*REFUND_ROLES)
def credit_refund(request, account_id: int):
    def act(account, d):
        refund = services.credit_refund(account=account, amount=d["amount"], method=d["method"],
                                        idempotency_key=d["idempotency_key"], user=request.user)
        return _("Refund of $%(amount)s entered; the credit balance is now $%(balance)s.") % {
            "amount": refund.amount, "balance": -account.current_balance}
    return _handle(request, account_id, RefundForm, "refund", "refund_form", act)
