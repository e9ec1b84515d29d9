"""The workspace's Payments panel (payment, promise, plan, settlement): a partial of its own."""

from django.urls import path

from . import payments_panel as views

urlpatterns = [
    path("", views.payments_panel, name="account-payments-panel"),
    path("payment/", views.payment_take, name="account-payment-take"),
    path("promise/", views.promise_take, name="account-promise-take"),
    path("plan/", views.plan_take, name="account-plan-take"),
    path("settlement/", views.settlement_take, name="account-settlement-take"),
    path("refund/", views.credit_refund, name="account-credit-refund"),
]
