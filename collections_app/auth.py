"""Logging in: brute-force lockout (django-axes), the TOTP second factor (django-otp), logging out everywhere.

Choices (README "Logging in"):
- **Lockout** is per user name and per address: AXES_FAILURE_LIMIT failed logins (default 5) on any
  password path (``/login/``, ``/admin/login/``, ``/api/auth/token/``) lock that name, and that address, for
  AXES_COOLOFF_MINUTES. Each lockout is written to the audit log; an admin unlocks by deleting the
  access attempt in the Django admin (audited too) or with ``manage.py axes_reset_username NAME``.
  The token API's password door, ``POST /api/auth/token/``, authenticates through the same backends with
  the request, so django-axes counts and locks it like the pages (its lockout answers JSON 429 under
  ``/api/``, ``lockout_response``). Guessing tokens themselves is throttled per client address
  (``ThrottledTokenAuthentication``): API_TOKEN_FAILURE_LIMIT failed tokens lock that address out of token
  authentication for AXES_COOLOFF_MINUTES (429, audited as a lockout).
- **TOTP** is required for the roles in TWO_FACTOR_REQUIRED_ROLES (admin and compliance) and for
  anyone who enrolled a device; optional for the others (``/2fa/`` enrols). Token-authenticated API
  calls are integrations and are not asked for a code; the token login asks such users for one
  (``otp``), so a token is never a way around the second factor. The test settings (pytest.ini) empty
  TWO_FACTOR_REQUIRED_ROLES so the suite's ``force_login``/``login``/browser logins work unchanged;
  tests/security/test_login_security.py turns it on and proves the enforcement, and a deploy check
  refuses a production configuration without it.
"""

import functools

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_client_ip_address, get_cool_off
from django.conf import settings
from django.contrib.auth import get_user_model, logout
from django.core.cache import cache
from django.db import transaction
from django.db.models import F
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication, get_authorization_header

from accounts.access import roles_from_names, user_roles
from accounts.prepared import columns, execute, from_row


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lockout check, first in AUTHENTICATION_BACKENDS.

    Every login path that runs over HTTP passes the request. Django's test client ``login()`` does not:
    that path (tests only) is not a brute-force surface, so it is let through to ModelBackend instead of
    raising AxesBackendRequestParameterRequired.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def two_factor_required(user) -> bool:
    """A second factor is required of the listed roles, and of anyone who set one up."""
    if not getattr(user, "is_authenticated", False):
        return False
    from django_otp import user_has_device

    return bool(user_roles(user) & set(settings.TWO_FACTOR_REQUIRED_ROLES)) or user_has_device(user)


def logout_everywhere(*, request) -> None:
    """End every session of the request's user, on every device, this one included.

    The user's session epoch is part of the session hash Django checks on each request, so moving it
    invalidates every session at once without scanning the session store.
    """
    user = request.user
    with transaction.atomic():
        get_user_model().objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    logout(request)


def on_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    """django-axes locked a user name or address out: the audit log says who, from where and when."""
    from accounts.audit import audit_record, client_meta

    audit_record(user=None, action="lockout", object_type="auth.login", object_id=(username or "")[:64],
                 summary=f"login locked out after {settings.AXES_FAILURE_LIMIT} failures: user {username!r} "
                         f"from {ip_address}", meta=client_meta(request))


def on_logged_in(sender, request=None, user=None, **kwargs):
    """A new session starts its idle clock now (collections_app.middleware.IdleSessionTimeoutMiddleware)."""
    import time

    from .middleware import IdleSessionTimeoutMiddleware

    if request is not None and hasattr(request, "session"):
        request.session[IdleSessionTimeoutMiddleware.KEY] = int(time.time())


API_LOCKED_OUT = ("Too many failed logins: logging in is locked for this user name or address for a while. "
                  "Try again later, or ask an administrator to unlock it.")


def _cool_off_seconds(request=None) -> int:
    cool_off = get_cool_off(request) if request is not None else settings.AXES_COOLOFF_TIME
    return max(int(cool_off.total_seconds()), 1) if cool_off else 60


def lockout_response(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the lockout page, or under /api/ (the token login) a JSON 429 like every
    other API error, with Retry-After."""
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": API_LOCKED_OUT}, status=429)
        response["Retry-After"] = str(_cool_off_seconds(request))
        return response
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, {"failure_limit": settings.AXES_FAILURE_LIMIT},
                  status=settings.AXES_HTTP_RESPONSE_CODE)


class ThrottledTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, with failed tokens counted per client address (in the cache, for
    AXES_COOLOFF_MINUTES from the first failure). At API_TOKEN_FAILURE_LIMIT failures the address is locked
    out of token authentication until the window ends: every token it sends, valid or not, is answered
    429 with Retry-After, and the lockout is written to the audit log once. A request without a token
    (a session, or anonymous) is not counted here: the login pages have django-axes."""

    locks_out_addresses = True  # accounts.api_schema documents the 429 on every operation that uses this

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        address = get_client_ip_address(request._request) or "unknown"
        key = _token_failures_key(address)
        if (cache.get(key) or 0) >= settings.API_TOKEN_FAILURE_LIMIT:
            raise TokenLockedOut(wait=_cool_off_seconds())
        try:
            return super().authenticate(request)
        except exceptions.AuthenticationFailed:
            cache.add(key, 0, timeout=_cool_off_seconds())
            try:
                failures = cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, timeout=_cool_off_seconds())
                failures = 1
            if failures >= settings.API_TOKEN_FAILURE_LIMIT:
                if failures == settings.API_TOKEN_FAILURE_LIMIT:
                    _audit_token_lockout(request._request, address)
                raise TokenLockedOut(wait=_cool_off_seconds()) from None
            raise

    def authenticate_credentials(self, key):
        """DRF's check, in one statement compiled once (PostgreSQL): the token, its user and the user's
        roles, which every API request needs for its permission check."""
        from django.db import connection

        if connection.vendor != "postgresql":
            return super().authenticate_credentials(key)
        token_model, user_model = self.get_model(), get_user_model()
        with connection.cursor() as cursor:
            execute(cursor, _token_sql(token_model, user_model), [key])
            row = cursor.fetchone()
        if row is None:
            raise exceptions.AuthenticationFailed(gettext("Invalid token."))
        width = len(token_model._meta.concrete_fields)
        token = from_row(token_model, row[:width])
        user = from_row(user_model, row[width:-1])
        if not user.is_active:
            raise exceptions.AuthenticationFailed(gettext("User inactive or deleted."))
        token.user = user
        user._role_cache = roles_from_names(user, row[-1])
        return (user, token)


@functools.cache
def _token_sql(token_model, user_model) -> str:
    groups = user_model.groups.through._meta
    user_column = groups.get_field(user_model.groups.field.m2m_field_name()).column
    return (f"SELECT {columns(token_model, 't')}, {columns(user_model, 'u')}, "
            f"ARRAY(SELECT g.name FROM auth_group g JOIN {groups.db_table} ug ON ug.group_id = g.id "
            f"WHERE ug.{user_column} = u.id) "
            f"FROM {token_model._meta.db_table} t JOIN {user_model._meta.db_table} u ON u.id = t.user_id "
            f"WHERE t.key = %s")


class TokenLockedOut(exceptions.Throttled):
    default_detail = ("Too many failed token authentications from this address: token authentication is locked "
                      "for it for a while. Try again later, or ask an administrator.")
    default_code = "token_locked_out"

    def __init__(self, wait=None):
        super().__init__(wait=wait, detail=self.default_detail)


def _token_failures_key(address: str) -> str:
    # API_TOKEN_FAILURE_CACHE_PREFIX lets the tests give each test its own counters on a shared cache.
    return f"{settings.API_TOKEN_FAILURE_CACHE_PREFIX}:{address}"


def token_failures_reset(address: str) -> None:
    """Unlock an address for token authentication (``manage.py api_token_unlock ADDRESS``)."""
    cache.delete(_token_failures_key(address))


def _audit_token_lockout(request, address: str) -> None:
    from accounts.audit import audit_record, client_meta

    audit_record(user=None, action="lockout", object_type="auth.token", object_id=address[:64],
                 summary=f"token authentication locked out after {settings.API_TOKEN_FAILURE_LIMIT} failed tokens "
                         f"from {address}", meta=client_meta(request))
