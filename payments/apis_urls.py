from django.urls import path

from . import apis

urlpatterns = [
    path("accounts/<int:account_id>/payments/", apis.AccountPaymentsApi.as_view(), name="api-account-payments"),
    path("accounts/<int:account_id>/plans/", apis.AccountPlansApi.as_view(), name="api-account-plans"),
    path("accounts/<int:account_id>/promises/", apis.AccountPromisesApi.as_view(), name="api-account-promises"),
    path("accounts/<int:account_id>/settlements/", apis.AccountSettlementsApi.as_view(),
         name="api-account-settlements"),
    path("payments/<int:payment_id>/return/", apis.PaymentReturnApi.as_view(), name="api-payment-return"),
]
