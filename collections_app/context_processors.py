from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.access import ACCOUNTING, ADMIN, ALL_ROLES, COLLECTOR, COMPLIANCE, SUPERVISOR, user_roles

# (label, url name, roles that see the link). Views enforce the same roles themselves.
NAVIGATION = [
    (_("Dashboard"), "dashboard:home", {SUPERVISOR, ADMIN}),
    (_("My worklist"), "worklist:home", {COLLECTOR, SUPERVISOR, ADMIN}),
    (_("Queues"), "worklist:queues", {SUPERVISOR, ADMIN}),
    (_("Accounts"), "accounts:list", ALL_ROLES),
    (_("Imports"), "accounts:import_list", {ACCOUNTING, ADMIN}),
    (_("Remittance"), "dashboard:remittance", {ACCOUNTING, ADMIN}),
    (_("Compliance"), "compliance:home", {COMPLIANCE, ADMIN, SUPERVISOR}),
    (_("Payment posting"), "payments:posting", {ACCOUNTING, ADMIN}),
    (_("Approvals"), "payments:approvals", {SUPERVISOR, ADMIN}),
    (_("Exceptions"), "payments:exceptions", {SUPERVISOR, ADMIN}),
    (_("Pick-ups"), "payments:pickups", {COLLECTOR, SUPERVISOR, ADMIN}),
    (_("Skip tracing"), "skiptrace:list", {COLLECTOR, SUPERVISOR, ADMIN}),
    (_("Escalations"), "escalations:list", {COLLECTOR, SUPERVISOR, ADMIN}),
    (_("Complaints"), "compliance:complaints", {COMPLIANCE, ADMIN}),
    (_("Paid accounts"), "payments:paid", {SUPERVISOR, ACCOUNTING, ADMIN}),
    (_("Credit reporting"), "bureau:home", {ACCOUNTING, COMPLIANCE, ADMIN}),
    (_("Retention"), "retention:home", {COMPLIANCE, ADMIN}),
    (_("API docs"), "api-docs", ALL_ROLES),
    (_("Admin"), "admin:index", {ADMIN}),
]


def navigation(request):
    roles = user_roles(getattr(request, "user", None))
    if not roles:
        return {"nav_items": [], "user_roles": roles}
    items = []
    for label, name, allowed in NAVIGATION:
        if roles & set(allowed):
            try:
                items.append({"label": label, "url": reverse(name)})
            except Exception:  # noqa: BLE001 - a section not wired yet simply has no link
                continue
    return {"nav_items": items, "user_roles": roles}
