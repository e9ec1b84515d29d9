from django.urls import path

from . import apis, apis_imports

urlpatterns = [
    path("accounts/", apis.AccountListApi.as_view(), name="api-account-list"),
    path("accounts/<int:account_id>/", apis.AccountDetailApi.as_view(), name="api-account-detail"),
    path("imports/", apis_imports.ImportListCreateApi.as_view(), name="api-imports"),
    path("imports/<int:batch_id>/", apis_imports.ImportDetailApi.as_view(), name="api-import-detail"),
    path("imports/<int:batch_id>/dry-run/", apis_imports.ImportDryRunApi.as_view(), name="api-import-dry-run"),
    path("imports/<int:batch_id>/start/", apis_imports.ImportStartApi.as_view(), name="api-import-start"),
]
