from django.urls import path

from . import views

app_name = "retention"
urlpatterns = [
    path("", views.home, name="home"),
    path("policies/<int:pk>/", views.policy_edit, name="policy_edit"),
    path("holds/", views.hold_place, name="hold_place"),
    path("holds/<int:pk>/release/", views.hold_release, name="hold_release"),
    path("preview/", views.preview, name="preview"),
    path("purge/", views.purge_now, name="purge"),
    path("runs/<int:pk>/", views.run_detail, name="run_detail"),
]
