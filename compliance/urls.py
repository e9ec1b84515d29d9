from django.urls import path

from . import views
from .notices import views as notice_views

app_name = "compliance"
urlpatterns = [
    path("", views.home, name="home"),
    path("restrictions/", views.restriction_list, name="restrictions"),
    path("restrictions/add/<slug:kind>/", views.restriction_add, name="restriction_add"),
    path("restrictions/<slug:kind>/<int:pk>/end/", views.restriction_end, name="restriction_end"),
    path("consents/", views.consent_list, name="consents"),
    path("consents/<int:pk>/revoke/", views.consent_revoke, name="consent_revoke"),
    path("direct-consents/", views.direct_consent_list, name="direct_consents"),
    path("direct-consents/<int:pk>/revoke/", views.direct_consent_revoke, name="direct_consent_revoke"),
    path("disputes/", views.dispute_list, name="disputes"),
    path("disputes/<int:pk>/status/", views.dispute_status, name="dispute_status"),
    path("original-creditor-requests/", views.oc_request_list, name="oc_requests"),
    path("original-creditor-requests/<int:pk>/provided/", views.oc_request_provided, name="oc_request_provided"),
    path("complaints/", views.complaint_list, name="complaints"),
    path("complaints/<int:pk>/", views.complaint_action, name="complaint_action"),
    path("policy/", views.policy_list, name="policy"),
    path("policy/add/", views.policy_edit, name="policy_add"),
    path("policy/<int:pk>/", views.policy_edit, name="policy_edit"),
    path("audit/", views.audit_log, name="audit"),
    path("audit/export.csv", views.audit_export, name="audit_export"),
    path("simulator/", views.simulator, name="simulator"),
    path("medical/<int:account_id>/", views.medical_record, name="medical_record"),
    path("notices/<int:account_id>/", notice_views.notice_preview, name="notice_preview"),
    path("notices/<int:account_id>/pdf/", notice_views.notice_pdf, name="notice_pdf"),
    path("notices/<int:account_id>/generate/", notice_views.notice_generate, name="notice_generate"),
]
