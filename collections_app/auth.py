"""Logging in: brute-force lockout (django-axes), the TOTP second factor (django-otp), logging out everywhere.

Choices (README "Logging in"):
- **Lockout** is per user name and per address: AXES_FAILURE_LIMIT failed logins (default 5) on any
  password path (``/login/``, ``/admin/login/``) lock that name, and that address, for
  AXES_COOLOFF_MINUTES. Each lockout is written to the audit log; an admin unlocks by deleting the
  access attempt in the Django admin (audited too) or with ``manage.py axes_reset_username NAME``.
  API tokens are random 160-bit secrets issued by ``drf_create_token``, not passwords: there is no
  password endpoint under ``/api/`` to guess against.
- **TOTP** is required for the roles in TWO_FACTOR_REQUIRED_ROLES (admin and compliance) and for
  anyone who enrolled a device; optional for the others (``/2fa/`` enrols). Token-authenticated API
  calls are integrations and are not asked for a code. The test settings (pytest.ini) empty
  TWO_FACTOR_REQUIRED_ROLES so the suite's ``force_login``/``login``/browser logins work unchanged;
  tests/security/test_login_security.py turns it on and proves the enforcement, and a deploy check
  refuses a production configuration without it.
"""

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth import get_user_model, logout
from django.db import transaction
from django.db.models import F

from accounts.access import user_roles


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
