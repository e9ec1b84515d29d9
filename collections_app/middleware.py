from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from accounts.access import has_role


class LoginRequiredByDefaultMiddleware:
    """Every HTML view is closed unless it is marked public or names the roles it allows.

    The API (/api/) is left to DRF, whose default permission is DenyAll; the Django admin keeps
    its own staff check; static files are served before URL resolution.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "is_public", False):
            return None
        match = request.resolver_match
        if match and (match.namespace == "admin" or "admin" in match.namespaces):
            return None
        if getattr(view_func, "cls", None) is not None or request.path.startswith("/api/"):
            return None  # DRF: authentication and HasRole/DenyAll run inside the view.
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        roles = getattr(view_func, "allowed_roles", None)
        if not roles or not has_role(request.user, *roles):
            raise PermissionDenied("Your role does not allow this page.")
        return None


# Pages and endpoints outside compliance that show or hand out personal data, audited here in one
# place (accounts may not import compliance). url name -> (action, what is recorded as the object).
# The account workspace records its own view event.
AUDITED_URLS = {
    "api-account-detail": ("view", "accounts.Account", "account_id"),
    "accounts:list": ("view", "accounts.Account", None),
    "api-account-list": ("view", "accounts.Account", None),
    "accounts:import_error_report": ("export", "accounts.ImportBatch", "batch_id"),
}


class AuditPersonalDataMiddleware:
    """Writes an audit event (who, what, when, from where) for each successful read listed above."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = request.resolver_match
        if (match is None or request.method != "GET" or response.status_code != 200
                or not getattr(request.user, "is_authenticated", False)):
            return response
        spec = AUDITED_URLS.get(match.view_name)
        if spec is None:
            return response
        from compliance.services.audit import audit_record, client_meta

        action, object_type, kwarg = spec
        query = request.GET.urlencode()
        audit_record(user=request.user, action=action, object_type=object_type,
                     object_id=match.kwargs.get(kwarg, "") if kwarg else "",
                     summary=f"{request.method} {request.path}{'?' + query if query else ''}"[:500],
                     meta=client_meta(request))
        return response
