"""The embedded default (SQLite) shows money with two places too: the issue's account, on a real SQLite
database in a separate process (the suite itself runs on PostgreSQL in CI; tests/screens/test_money.py
runs the same checks on whichever database the suite uses)."""

import json
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

SCRIPT = r'''
import json
from datetime import date
from django.db.models import Sum
from django.test import Client
from django.template import Context, Template
from accounts import selectors
from accounts.models import EntryKind, EntrySource, LedgerEntry
from accounts.services import ledger_entry_post
from tests.factories import AccountFactory, UserFactory

account = AccountFactory()
for kind, amount in ((EntryKind.CHARGE, "11841.57"), (EntryKind.INTEREST, "1485.12")):
    ledger_entry_post(account=account, kind=kind, amount=amount, posted_date=date(2025, 1, 15), source=EntrySource.USER)
raw = LedgerEntry.objects.filter(account=account).values("kind").annotate(total=Sum("amount"))
client = Client()
client.force_login(UserFactory(username="sqlite_check", roles=["collector"]))
api = client.get(f"/api/accounts/{account.pk}/").json()
page = client.get(f"/accounts/{account.pk}/").content.decode()
print(json.dumps({"raw": {r["kind"]: str(r["total"]) for r in raw}, "api": api["balance_by_kind"],
                  "current": api["current_balance"],
                  "page_has": [s for s in ("$11,841.57", "$1,485.12", "$13,326.69") if s in page],
                  "long_decimals_on_page": "0000000" in page}))
'''


def manage(*args, env):
    return subprocess.run([sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=env,
                          capture_output=True, text=True, timeout=600)


def test_money_has_two_places_on_sqlite(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'money.sqlite3'}", "REDIS_URL": "",
           "DEBUG": "1", "ALLOWED_HOSTS": "testserver", "MEDIA_ROOT": str(tmp_path / "media"),
           "CELERY_FILESYSTEM_DIR": str(tmp_path / "celery")}
    migrated = manage("migrate", "-v0", env=env)
    assert migrated.returncode == 0, migrated.stderr
    result = manage("shell", "-c", SCRIPT, env=env)
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["api"] == {"principal": "11841.57", "interest": "1485.12", "fees": "0.00", "total": "13326.69"}
    assert found["current"] == "13326.69"
    assert found["page_has"] == ["$11,841.57", "$1,485.12", "$13,326.69"]
    assert not found["long_decimals_on_page"]
    assert Path(tmp_path / "money.sqlite3").exists()
