from django.urls import path

from . import views

app_name = "bureau"
urlpatterns = [
    path("", views.home, name="home"),
    path("runs/", views.run_create, name="run_create"),
    path("runs/<int:pk>/", views.run_detail, name="run_detail"),
    path("runs/<int:pk>/file/", views.run_file, name="run_file"),
    path("paid/", views.paid_list, name="paid_list"),
    path("paid.csv", views.paid_list_csv, name="paid_list_csv"),
]
