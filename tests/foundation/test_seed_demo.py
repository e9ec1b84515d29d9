import json

import pytest
from django.core.management import call_command

from accounts.access import user_roles
from accounts.models import Account, Address, DebtType, Phone
from accounts.services import balances_verify
from collections_app.models import User

pytestmark = pytest.mark.django_db


def run_seed(capsys, **kwargs):
    call_command("seed_demo", **kwargs)
    return json.loads(capsys.readouterr().out.strip().splitlines()[-1])


def test_seed_demo_builds_users_creditors_and_a_balanced_portfolio(capsys):
    summary = run_seed(capsys, accounts=300, seed=3)
    assert summary["accounts_created"] == 300 and summary["users_created"] == 9
    assert Account.objects.count() == 300
    roles = {u.username: user_roles(u) for u in User.objects.all()}
    assert roles["admin"] == {"admin"} and roles["collector5"] == {"collector"}
    assert roles["accounting1"] == {"accounting"} and roles["compliance1"] == {"compliance"}
    assert User.objects.get(username="supervisor1").check_password(summary["demo_password"])
    assert balances_verify()["mismatches"] == []
    # every named debt type; "other" is the import's catch-all for a creditor's unlisted codes
    assert set(Account.objects.values_list("debt_type", flat=True)) == set(DebtType.values) - {DebtType.OTHER}


def test_seed_demo_spreads_debtors_over_every_us_zone(capsys):
    run_seed(capsys, accounts=400, seed=4)
    zones = set(Address.objects.values_list("time_zone", flat=True))
    assert {"America/New_York", "America/Chicago", "America/Denver", "America/Phoenix", "America/Los_Angeles",
            "America/Anchorage", "Pacific/Honolulu"} <= zones
    # some debtors have a phone whose area code is in another zone than their address
    assert any(len({a.time_zone for a in p.debtor.addresses.all()} | set(p.time_zones)) > 1
               for p in Phone.objects.select_related("debtor").prefetch_related("debtor__addresses"))


def test_seed_demo_twice_with_same_seed_changes_nothing(capsys):
    run_seed(capsys, accounts=50, seed=5)
    again = run_seed(capsys, accounts=50, seed=5)
    assert again["accounts_created"] == 0 and again["users_created"] == 0
    assert Account.objects.count() == 50
