from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("posting/", views.posting, name="posting"),
    path("batches/<int:batch_id>/", views.batch_status, name="batch"),
    path("<int:payment_id>/return/", views.payment_return, name="return"),
    path("<int:payment_id>/receipt.pdf", views.receipt, name="receipt"),
    path("approvals/", views.approvals, name="approvals"),
    path("approvals/<str:kind>/<int:pk>/", views.decide, name="decide"),
    path("exceptions/", views.exceptions, name="exceptions"),
    path("pickups/", views.pickups, name="pickups"),
    path("paid/", views.paid_accounts, name="paid"),
    path("paid.csv", views.paid_accounts_csv, name="paid_csv"),
]
