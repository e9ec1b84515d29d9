from django.urls import path

from . import views
from .notices import views as notice_views

app_name = "compliance"
urlpatterns = [
    path("", views.home, name="home"),
    path("notices/<int:account_id>/", notice_views.notice_preview, name="notice_preview"),
    path("notices/<int:account_id>/pdf/", notice_views.notice_pdf, name="notice_pdf"),
    path("notices/<int:account_id>/generate/", notice_views.notice_generate, name="notice_generate"),
]
