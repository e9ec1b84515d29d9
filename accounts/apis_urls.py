from django.urls import path

from . import apis

urlpatterns = [
    path("accounts/", apis.AccountListApi.as_view(), name="api-account-list"),
    path("accounts/<int:account_id>/", apis.AccountDetailApi.as_view(), name="api-account-detail"),
]
