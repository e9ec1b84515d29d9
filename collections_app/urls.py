from django.contrib import admin
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts.access import ADMIN, has_role

from . import apis, apis_auth, apis_backoffice, views

admin.site.site_header = "Collections administration"
# The admin role, not just is_staff, opens the Django admin.
admin.site.has_permission = lambda request: request.user.is_active and has_role(request.user, ADMIN)

handler403 = "collections_app.views.errors.permission_denied"
handler404 = "collections_app.views.errors.page_not_found"
handler500 = "collections_app.views.errors.server_error"

api_patterns = [
    path("auth/token/", apis_auth.TokenLoginApi.as_view(), name="api-auth-token"),
    path("worklist/next/", apis.WorklistNextApi.as_view(), name="api-worklist-next"),
    path("worklist/skip/", apis.WorklistSkipApi.as_view(), name="api-worklist-skip"),
    # the gate's contact attempt, which on the worklist also counts as the account's disposition
    path("accounts/<int:account_id>/contacts/", apis.WorklistContactAttemptCreateApi.as_view(),
         name="api-account-contacts"),
    # back office (issue 13): skip-trace cases and escalations
    path("skip-trace/", apis_backoffice.SkipCaseListCreateApi.as_view(), name="api-skip-cases"),
    path("skip-trace/<int:case_id>/", apis_backoffice.SkipCaseDetailApi.as_view(), name="api-skip-case"),
    path("skip-trace/<int:case_id>/status/", apis_backoffice.SkipCaseStatusApi.as_view(), name="api-skip-case-status"),
    path("skip-trace/<int:case_id>/leads/", apis_backoffice.SkipLeadCreateApi.as_view(), name="api-skip-case-leads"),
    path("skip-trace/<int:case_id>/location-calls/", apis_backoffice.LocationCallCreateApi.as_view(),
         name="api-skip-case-location-calls"),
    path("escalations/", apis_backoffice.EscalationListCreateApi.as_view(), name="api-escalations"),
    path("escalations/<int:escalation_id>/", apis_backoffice.EscalationDetailApi.as_view(), name="api-escalation"),
    path("escalations/<int:escalation_id>/resolve/", apis_backoffice.EscalationResolveApi.as_view(),
         name="api-escalation-resolve"),
    path("escalations/<int:escalation_id>/adjustment/", apis_backoffice.EscalationAdjustmentApi.as_view(),
         name="api-escalation-adjustment"),
    path("escalations/<int:escalation_id>/adjustment/decide/", apis_backoffice.EscalationAdjustmentDecideApi.as_view(),
         name="api-escalation-adjustment-decide"),
    path("", include("accounts.apis_urls")),
    path("", include("compliance.apis_urls")),
    path("", include("compliance.bureau.apis_urls")),
    path("", include("compliance.retention.apis_urls")),
    path("", include("payments.apis_urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    # Anything else under /api/ is a JSON 404, never Django's HTML page (the API speaks JSON only).
    re_path(r"^[\s\S]*$", views.api_not_found),
]

urlpatterns = [
    # First: Django tries the patterns in order, and the API (every collector's "next account") is the
    # hottest path; nothing else starts with api/.
    path("api/", include(api_patterns)),
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon),  # browsers ask for it at the root whatever the page says
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("logout/everywhere/", views.logout_everywhere_view, name="logout-everywhere"),
    path("2fa/", views.two_factor, name="two-factor"),
    path("me/settings/", views.user_settings, name="user-settings"),
    path("me/language/", views.user_language, name="user-language"),
    # The account workspace shows compliance decisions, so it lives above accounts (see views/workspace.py).
    path("accounts/<int:account_id>/", views.account_workspace, name="account-workspace"),
    path("accounts/<int:account_id>/contact-panel/", views.account_contact_panel, name="account-contact-panel"),
    path("accounts/<int:account_id>/contact/", views.account_contact_send, name="account-contact-send"),
    path("accounts/<int:account_id>/inbound/", views.account_inbound_log, name="account-inbound-log"),
    path("accounts/<int:account_id>/consent/", views.account_consent_record, name="account-consent-record"),
    path("accounts/<int:account_id>/money/", include("collections_app.views.payments_urls")),
    path("payments/", include("payments.urls")),
    path("accounts/", include("accounts.urls")),
    path("worklist/", include("collections_app.worklist.urls")),
    path("dashboard/", include("collections_app.dashboards.urls")),
    path("skip-trace/", include("collections_app.skiptrace.urls")),
    path("escalations/", include("collections_app.escalations.urls")),
    path("compliance/", include("compliance.urls")),
    path("reporting/", include("compliance.bureau.urls")),
    path("retention/", include("compliance.retention.urls")),
    path("admin/", admin.site.urls),
]
