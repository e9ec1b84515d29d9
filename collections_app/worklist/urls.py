from django.urls import path

from collections_app.views import worklist as views

app_name = "worklist"

urlpatterns = [
    path("", views.home, name="home"),
    path("next/", views.next_view, name="next"),
    path("skip/", views.skip_view, name="skip"),
    path("accounts/<int:account_id>/dispose/", views.dispose, name="dispose"),
    path("accounts/<int:account_id>/contact-points/", views.contact_point_add_view, name="contact_point_add"),
    path("accounts/<int:account_id>/contact-points/<str:kind>/<int:contact_id>/", views.contact_point_mark_view,
         name="contact_point_mark"),
    path("queues/", views.queues, name="queues"),
    path("queues/new/", views.queue_edit, name="queue_add"),
    path("queues/<int:queue_id>/", views.queue_edit, name="queue_edit"),
    path("queues/<int:queue_id>/accounts/", views.queue_items, name="queue_items"),
    path("teams/", views.teams, name="teams"),
    path("weights/", views.weights, name="weights"),
]
