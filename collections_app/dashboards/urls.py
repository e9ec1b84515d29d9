from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("", views.dashboard, name="home"),
    path("drill/<str:kind>/", views.drill, name="drill"),
    path("goals/", views.goal_set, name="goal_set"),
    path("approvals/<str:kind>/<int:pk>/", views.decide, name="decide"),
    path("remittance/", views.remittance, name="remittance"),
]
