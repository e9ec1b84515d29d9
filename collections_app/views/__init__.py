from django.contrib.auth import views as auth_views
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import redirect

from accounts.access import ALL_ROLES, allow_roles, public


@allow_roles(*ALL_ROLES)
def home(request):
    """Everyone lands on account search until role dashboards arrive."""
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
