from django.urls import path

from collections_app.views import skiptrace as views

app_name = "skiptrace"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("open/", views.case_open, name="open"),
    path("<int:case_id>/", views.case_detail, name="detail"),
    path("<int:case_id>/search/", views.case_search, name="search"),
    path("<int:case_id>/lead/", views.case_lead, name="lead"),
    path("<int:case_id>/call/", views.case_call, name="call"),
    path("<int:case_id>/status/", views.case_status, name="status"),
    path("vendor/export/", views.vendor_export, name="vendor_export"),
    path("vendor/<int:batch_id>/import/", views.vendor_import, name="vendor_import"),
]
