import time
from zoneinfo import ZoneInfo

from csp.constants import HEADER as CSP_HEADER
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.urls import reverse
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


class SecurityHeadersMiddleware:
    """Headers on every response Django itself produces (static files are answered by WhiteNoise above it):

    - ``Cache-Control: no-store``: pages and API answers carry personal data; no browser or proxy cache
      may keep them (a shared computer's back button, a corporate proxy). Static assets stay cacheable.
    - ``Permissions-Policy``: the app uses no camera, microphone, location, payment or sensors.
    The Content-Security-Policy is django-csp's (settings.CONTENT_SECURITY_POLICY).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response["Cache-Control"] = "no-store"
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class IdleSessionTimeoutMiddleware:
    """Ends a session idle longer than SESSION_IDLE_TIMEOUT seconds (default 8 hours).

    The last-seen time is rewritten at most every SESSION_TOUCH_INTERVAL seconds, so an active user's
    requests do not each write the session row; each write also moves the session's expiry
    (SESSION_COOKIE_AGE = the idle timeout), so an abandoned session also dies in the store.
    """

    KEY = "_last_seen"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            last = request.session.get(self.KEY)
            if last is not None and now - last > settings.SESSION_IDLE_TIMEOUT:
                logout(request)
                if request.path.startswith("/api/"):
                    return JsonResponse({"detail": "Your session ended after inactivity. Log in again."},
                                        status=401)
                return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
            if last is None or now - last >= settings.SESSION_TOUCH_INTERVAL:
                request.session[self.KEY] = now
        return self.get_response(request)


class RequireTwoFactorMiddleware:
    """Users who need a second factor (collections_app.auth.two_factor_required) and have not given one in
    this session reach only the second-factor page and logout; pages redirect there, the API answers 403.

    API calls authenticated by token are not seen here (DRF authenticates them in the view).
    """

    EXEMPT_PREFIXES = ("/2fa/", "/logout/", "/login/", "/healthz", "/static/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from .auth import two_factor_required

        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated and not user.is_verified()
                and not request.path.startswith(self.EXEMPT_PREFIXES) and two_factor_required(user)):
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "A second factor is required: confirm a code at /2fa/."},
                                    status=403)
            return redirect_to_login(request.get_full_path(), reverse("two-factor"))
        return self.get_response(request)


_CSP_RESPONSE_PARTS = ("_csp_config", "_csp_update", "_csp_replace", "_csp_config_ro", "_csp_update_ro",
                       "_csp_replace_ro", "_csp_exempt", "_csp_exempt_ro")


class CSPMiddleware(BaseCSPMiddleware):
    """django-csp's middleware, with the common header built once instead of on every response.

    A response that used no nonce, changed no directive (``csp_update`` and friends) and was not
    exempted gets the settings' policy, which only changes with the settings; building it from the
    directives cost about 2% of a "next account" request. Every other response goes through django-csp
    unchanged. tests/security/test_headers.py compares the two.
    """

    _cache: tuple = (None, "")  # (the settings' policy dict, its header)

    def _settings_policy(self) -> str:
        policy = getattr(settings, "CONTENT_SECURITY_POLICY", None)
        cached_policy, header = self._cache
        if cached_policy is not policy:  # settings are replaced, never changed in place (override_settings)
            header = build_policy() if policy else ""
            CSPMiddleware._cache = (policy, header)  # the dict itself is kept, so its identity stays a valid key
        return header

    def process_response(self, request, response):
        common = (getattr(request, "_csp_nonce", None) is None
                  and not getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
                  and not any(getattr(response, part, None) for part in _CSP_RESPONSE_PARTS)
                  and not (settings.DEBUG and response.status_code in (404, 500))
                  and CSP_HEADER not in response
                  and not (settings.CONTENT_SECURITY_POLICY or {}).get("EXCLUDE_URL_PREFIXES"))
        if not common:
            return super().process_response(request, response)
        header = self._settings_policy()
        if header:
            response[CSP_HEADER] = header
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


class NulCharacterMiddleware:
    """A NUL character in a page's address (its path or a query parameter) is refused with a 400 naming the
    parameter: PostgreSQL cannot hold NUL in a text value, so a filter reading it would fail with a 500.
    Form fields refuse NUL themselves (with the field's own error); the API answers its own 400s."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith("/api/"):
            if "\x00" in request.path:
                return self._refuse(request, None)
            for name, values in request.GET.lists():
                if "\x00" in name or any("\x00" in value for value in values):
                    return self._refuse(request, name.replace("\x00", "\N{SYMBOL FOR NULL}"))
        return self.get_response(request)

    @staticmethod
    def _refuse(request, name):
        from django.shortcuts import render

        return render(request, "400.html", {"parameter": name}, status=400)
