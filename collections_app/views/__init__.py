from django.contrib.auth import views as auth_views
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.views.decorators.csrf import csrf_exempt

from accounts.access import (
    ACCOUNTING,
    ADMIN,
    ALL_ROLES,
    COLLECTOR,
    COMPLIANCE,
    SUPERVISOR,
    allow_roles,
    has_role,
    public,
)

# Where each role starts its day: its own work, never the whole portfolio. The first role that
# matches wins; for each, the first page that exists (the worklist pages arrive with their issue).
LANDING = [
    (COLLECTOR, ("worklist:home", "accounts:list")),
    (SUPERVISOR, ("dashboard:home", "worklist:queues", "accounts:list")),
    (ACCOUNTING, ("accounts:import_list",)),
    (COMPLIANCE, ("compliance:home",)),
    (ADMIN, ("admin:index",)),
]
FALLBACK = "accounts:list"


def landing_url(user) -> str:
    for role, url_names in LANDING:
        if has_role(user, role):
            for name in url_names:
                try:
                    return reverse(name)
                except NoReverseMatch:
                    continue
    return reverse(FALLBACK)


@allow_roles(*ALL_ROLES)
def home(request):
    return redirect(landing_url(request.user))


@public
@csrf_exempt  # it changes nothing, whatever the method: a POST to a wrong path gets the same JSON 404
def api_not_found(request):
    """Every unknown path under /api/: a JSON 404 like DRF's (no role needed to learn that nothing is there)."""
    return JsonResponse({"detail": "Not found."}, status=404)


@public
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@public
def favicon(request):
    return redirect(static("favicon.svg"), permanent=True)


login_view = public(auth_views.LoginView.as_view(redirect_authenticated_user=True))
logout_view = public(auth_views.LogoutView.as_view())


from .preferences import user_language, user_settings  # noqa: E402
from .twofactor import logout_everywhere_view, two_factor  # noqa: E402
from .workspace import (  # noqa: E402
    account_consent_record,
    account_contact_panel,
    account_contact_send,
    account_inbound_log,
    account_workspace,
)

__all__ = ["account_consent_record", "account_contact_panel", "account_contact_send", "account_inbound_log",
           "account_workspace", "api_not_found", "favicon", "healthz", "home", "login_view",
           "logout_everywhere_view", "logout_view", "two_factor", "user_language", "user_settings"]
