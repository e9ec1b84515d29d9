from django.urls import path

from . import apis

urlpatterns = [
    path("metro2/runs/", apis.Metro2RunListCreateApi.as_view(), name="api-metro2-runs"),
    path("metro2/runs/<int:pk>/", apis.Metro2RunDetailApi.as_view(), name="api-metro2-run-detail"),
    path("metro2/paid/", apis.PaidListApi.as_view(), name="api-metro2-paid"),
]
