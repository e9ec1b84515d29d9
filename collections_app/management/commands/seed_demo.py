import json
import time

from django.conf import settings
from django.core.management.base import BaseCommand

from accounts import demo
from accounts.access import ACCOUNTING, ADMIN, COLLECTOR, COMPLIANCE, SUPERVISOR
from collections_app.dashboards.demo import dashboards_demo_create
from collections_app.escalations.demo import back_office_demo_create
from collections_app.services import user_ensure
from collections_app.worklist.demo import worklist_demo_create
from compliance.bureau.demo import bureau_demo_create
from compliance.demo import compliance_demo_create
from compliance.retention.demo import retention_demo_create
from payments.demo import payments_demo_create

DEMO_USERS = [
    ("admin", [ADMIN], "Ada", "Admin", "America/New_York", ""),
    ("supervisor1", [SUPERVISOR], "Sam", "Supervisor", "America/Chicago", "east"),
    ("accounting1", [ACCOUNTING], "Alex", "Ledger", "America/New_York", ""),
    ("compliance1", [COMPLIANCE], "Casey", "Counsel", "America/New_York", ""),
    *[(f"collector{i}", [COLLECTOR], f"Collector{i}", "Demo", "America/New_York" if i <= 3 else "America/Denver",
       "east" if i <= 3 else "west") for i in range(1, 6)],
]


class Command(BaseCommand):
    help = "Create demo users, creditors and a realistic portfolio (idempotent per seed)."

    def add_arguments(self, parser):
        parser.add_argument("--accounts", type=int, default=2000)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, accounts, seed, **options):
        started = time.monotonic()
        password = settings.DEMO_PASSWORD
        users_created, users = 0, {}
        for username, roles, first, last, tz, team in DEMO_USERS:
            users[username], created = user_ensure(username=username, password=password, roles=roles,
                                                   first_name=first, last_name=last, time_zone=tz, team=team)
            users_created += created
        result = demo.portfolio_create(accounts=accounts, seed=seed)
        result.update(compliance_demo_create(seed=seed, user=users["compliance1"]))
        result["payments"] = payments_demo_create(seed=seed, collector=users["collector1"])
        # Issue 13, credit reporting and retention: its own creditor and old accounts, after the payments.
        result.update({**bureau_demo_create(user=users["accounting1"]),
                       **retention_demo_create(user=users["compliance1"])})
        result.update(worklist_demo_create(users=users, seed=seed))  # scores see the promises and plans
        result["back_office"] = back_office_demo_create(users=users, seed=seed)  # skip trace, escalations, complaints
        result.update(dashboards_demo_create())
        self.stdout.write(f"Demo logins (password for all: {password}): "
                          + ", ".join(u[0] for u in DEMO_USERS))
        summary = {"status": "ok", "users_created": users_created, **result, "demo_password": password,
                   "seconds": round(time.monotonic() - started, 2)}
        self.stdout.write(json.dumps(summary))
