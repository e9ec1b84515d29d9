from django.urls import path

from . import apis

urlpatterns = [
    path("retention/policies/", apis.RetentionPolicyListApi.as_view(), name="api-retention-policies"),
    path("retention/holds/", apis.LegalHoldListCreateApi.as_view(), name="api-retention-holds"),
    path("retention/holds/<int:pk>/release/", apis.LegalHoldReleaseApi.as_view(), name="api-retention-hold-release"),
    path("retention/purge/preview/", apis.PurgePreviewApi.as_view(), name="api-retention-purge-preview"),
    path("retention/runs/", apis.PurgeRunListApi.as_view(), name="api-retention-runs"),
]
