from django.urls import reverse

from accounts.access import ACCOUNTING, ADMIN, ALL_ROLES, COLLECTOR, COMPLIANCE, SUPERVISOR, user_roles

# (label, url name, roles that see the link). Views enforce the same roles themselves.
NAVIGATION = [
    ("Dashboard", "dashboard:home", {SUPERVISOR, ADMIN}),
    ("My worklist", "worklist:home", {COLLECTOR, SUPERVISOR, ADMIN}),
    ("Queues", "worklist:queues", {SUPERVISOR, ADMIN}),
    ("Accounts", "accounts:list", ALL_ROLES),
    ("Imports", "accounts:import_list", {ACCOUNTING, ADMIN}),
    ("Remittance", "dashboard:remittance", {ACCOUNTING, ADMIN}),
    ("Compliance", "compliance:home", {COMPLIANCE, ADMIN, SUPERVISOR}),
    ("Payment posting", "payments:posting", {ACCOUNTING, ADMIN}),
    ("Approvals", "payments:approvals", {SUPERVISOR, ADMIN}),
    ("Exceptions", "payments:exceptions", {SUPERVISOR, ADMIN}),
    ("Pick-ups", "payments:pickups", {COLLECTOR, SUPERVISOR, ADMIN}),
    ("Skip tracing", "skiptrace:list", {COLLECTOR, SUPERVISOR, ADMIN}),
    ("Escalations", "escalations:list", {COLLECTOR, SUPERVISOR, ADMIN}),
    ("Complaints", "compliance:complaints", {COMPLIANCE, ADMIN}),
    ("Paid accounts", "payments:paid", {SUPERVISOR, ACCOUNTING, ADMIN}),
    ("Credit reporting", "bureau:home", {ACCOUNTING, COMPLIANCE, ADMIN}),
    ("Retention", "retention:home", {COMPLIANCE, ADMIN}),
    ("API docs", "api-docs", ALL_ROLES),
    ("Admin", "admin:index", {ADMIN}),
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
