from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("", views.dashboard, name="home"),
    path("drill/<str:kind>/", views.drill, name="drill"),
    path("goals/", views.goal_set, name="goal_set"),
    path("remittance/", views.remittance, name="remittance"),
]
