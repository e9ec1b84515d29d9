from django.urls import path

from collections_app.views import escalations as views

app_name = "escalations"

urlpatterns = [
    path("", views.escalation_list, name="list"),
    path("<int:escalation_id>/", views.escalation_detail, name="detail"),
    path("<int:escalation_id>/update/", views.escalation_update, name="update"),
    path("<int:escalation_id>/resolve/", views.escalation_resolve, name="resolve"),
    path("<int:escalation_id>/adjustment/", views.escalation_adjustment, name="adjustment"),
    path("<int:escalation_id>/decide/", views.escalation_decide, name="decide"),
]
