"""Roles and the deny-by-default access rules shared by every app.

Roles are Django groups. A view or API endpoint names the roles that may use it; anything that
names none is refused (see collections_app.middleware and DenyAll below). This module sits in
`accounts` because it is the bottom of the dependency chain: every app may import it.
"""

from functools import wraps

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

COLLECTOR = "collector"
SUPERVISOR = "supervisor"
ACCOUNTING = "accounting"
COMPLIANCE = "compliance"
ADMIN = "admin"
ROLES = (COLLECTOR, SUPERVISOR, ACCOUNTING, COMPLIANCE, ADMIN)
ALL_ROLES = frozenset(ROLES)
# Who opens the account workspace (debtor, contacts, ledger, contact history): the people who work or
# oversee accounts. Accounting handles money in bulk (imports, payments) and does not need a debtor's
# contact history; it sees search results and the API's balances, not the workspace. (README, role matrix)
WORKSPACE_ROLES = frozenset({COLLECTOR, SUPERVISOR, COMPLIANCE, ADMIN})

ROLE_LABELS = {
    COLLECTOR: _("Collector"),
    SUPERVISOR: _("Supervisor"),
    ACCOUNTING: _("Accounting"),
    COMPLIANCE: _("Compliance"),
    ADMIN: _("Administrator"),
}


def user_roles(user) -> frozenset[str]:
    """The user's role names, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_role_cache", None)
    if cached is None:
        cached = roles_from_names(user, user.groups.values_list("name", flat=True))
        user._role_cache = cached
    return cached


def roles_from_names(user, group_names) -> frozenset[str]:
    """The roles among a user's group names (a superuser is an administrator too)."""
    roles = frozenset(name for name in group_names if name in ROLES)
    return roles | {ADMIN} if user.is_superuser else roles


def has_role(user, *roles: str) -> bool:
    return bool(user_roles(user) & set(roles))


def allow_roles(*roles: str):
    """Mark a view function (or the as_view() of a class) with the roles that may use it."""
    unknown = set(roles) - ALL_ROLES
    if unknown:
        raise ValueError(f"unknown roles: {sorted(unknown)}")

    def decorate(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            return view(*args, **kwargs)

        wrapped.allowed_roles = frozenset(roles)
        return wrapped

    return decorate


def public(view):
    """Mark a view reachable without logging in (login page, health check)."""
    view.is_public = True
    return view


class DenyAll(BasePermission):
    """The API's default: an endpoint that names no roles is closed to everyone."""

    def has_permission(self, request, view):
        return False


class HasRole(BasePermission):
    """DRF permission: `permission_classes = [HasRole.of(COLLECTOR, SUPERVISOR)]`."""

    roles: frozenset[str] = frozenset()

    @classmethod
    def of(cls, *roles: str):
        return type(f"HasRole_{'_'.join(roles)}", (cls,), {"roles": frozenset(roles)})

    def has_permission(self, request, view):
        return has_role(request.user, *self.roles)
