from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("", views.account_list, name="list"),
    path("autocomplete/", views.account_autocomplete, name="autocomplete"),
    path("imports/", views.import_list, name="import_list"),
    path("imports/new/", views.import_upload, name="import_upload"),
    path("imports/<int:batch_id>/", views.import_status, name="import_status"),
    path("imports/<int:batch_id>/progress/", views.import_progress, name="import_progress"),
    path("imports/<int:batch_id>/columns/", views.import_columns, name="import_columns"),
    path("imports/<int:batch_id>/mapping.json", views.import_mapping_export, name="import_mapping_export"),
    path("imports/<int:batch_id>/mapping/", views.import_mapping_upload, name="import_mapping_upload"),
    path("imports/<int:batch_id>/review/", views.import_review, name="import_review"),
    path("imports/<int:batch_id>/dry-run/", views.import_dry_run, name="import_dry_run"),
    path("imports/<int:batch_id>/start/", views.import_start, name="import_start"),
    path("imports/<int:batch_id>/errors.csv", views.import_error_report, name="import_error_report"),
]
