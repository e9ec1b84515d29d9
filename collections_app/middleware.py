from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation

from accounts.access import has_role


class UserPreferencesMiddleware:
    """Each signed-in user's own time zone and language, for the whole request.

    With the zone active, every datetime a template shows and every datetime a form reads is in the
    user's zone (a "09:00" typed in New York is stored as 14:00 UTC in winter).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if getattr(user, "is_authenticated", False):
            try:
                timezone.activate(ZoneInfo(user.time_zone or settings.TIME_ZONE))
            except (KeyError, ValueError):
                timezone.deactivate()
            if user.language:
                translation.activate(user.language)
                request.LANGUAGE_CODE = translation.get_language()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


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
