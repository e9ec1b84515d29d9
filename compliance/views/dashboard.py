from django.shortcuts import render

from accounts.access import ADMIN, COMPLIANCE, SUPERVISOR, allow_roles
from compliance import selectors

READERS = (COMPLIANCE, ADMIN, SUPERVISOR)
EDITORS = (COMPLIANCE, ADMIN)


@allow_roles(*READERS)
def home(request):
    return render(request, "compliance/home.html", {
        "disputes": selectors.open_disputes(limit=20),
        "restrictions": selectors.active_restrictions(limit=20),
        "blocked": selectors.recent_blocked_attempts(limit=20),
    })
