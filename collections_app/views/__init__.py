from django.contrib.auth import views as auth_views
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect

from accounts.access import ACCOUNTING, ALL_ROLES, COMPLIANCE, allow_roles, has_role, public

# Where each role starts its day; the first role that matches wins.
LANDING = [(COMPLIANCE, "compliance:home"), (ACCOUNTING, "accounts:import_list")]


@allow_roles(*ALL_ROLES)
def home(request):
    """Compliance staff land on their dashboard, accounting on imports, everyone else on accounts."""
    for role, url_name in LANDING:
        if has_role(request.user, role):
            return redirect(url_name)
    return redirect("accounts:list")


@public
def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


login_view = public(auth_views.LoginView.as_view(redirect_authenticated_user=True))
logout_view = public(auth_views.LogoutView.as_view())


from .workspace import (  # noqa: E402
    account_consent_record,
    account_contact_panel,
    account_contact_send,
    account_inbound_log,
    account_workspace,
)

__all__ = ["account_consent_record", "account_contact_panel", "account_contact_send", "account_inbound_log",
           "account_workspace", "healthz", "home", "login_view", "logout_view"]
