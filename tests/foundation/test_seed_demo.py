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
    # the seeded portfolio; issue 13's demo adds its own small creditor (NORTHBUY) and old RET- accounts
    assert Account.objects.filter(creditor_account_number__startswith="D3-").count() == 300
    roles = {u.username: user_roles(u) for u in User.objects.all()}
    assert roles["admin"] == {"admin"} and roles["collector5"] == {"collector"}
    assert roles["accounting1"] == {"accounting"} and roles["compliance1"] == {"compliance"}
    assert User.objects.get(username="supervisor1").check_password(summary["demo_password"])
    assert balances_verify()["mismatches"] == []
    # every named debt type; "other" is the import's catch-all for a creditor's unlisted codes
    assert set(Account.objects.values_list("debt_type", flat=True)) == set(DebtType.values) - {DebtType.OTHER}


def test_seed_demo_has_reports_with_blocked_accounts_and_records_due_for_purge(capsys):
    from compliance.models import Metro2Run
    from compliance.retention.services import purge_plan

    summary = run_seed(capsys, accounts=60, seed=6)
    assert summary["metro2_runs_created"] == 2
    latest = Metro2Run.objects.filter(creditor__code="NORTHBUY").order_by("-as_of").first()
    reasons = {r for item in latest.items.filter(outcome="blocked") for r in item.reasons}
    assert {"PASSIVE_COLLECTION_NOT_SATISFIED", "MEDICAL_UNDER_500", "STATE_MEDICAL_REPORTING_BAN",
            "DISPUTE_PENDING_VERIFICATION"} <= reasons
    assert set(latest.items.filter(outcome="reported").values_list("account_status", flat=True)) == {"93", "62", "DA"}
    assert latest.items.filter(outcome="reported", compliance_condition_code="XB").count() == 1
    plan = purge_plan()
    assert plan["personal_data"]["count"] == 3 and plan["personal_data"]["held_back"] == 1
    assert plan["import_files"]["count"] == 1 and plan["contact_attempts"]["count"] >= 3
    assert balances_verify()["mismatches"] == []


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
    assert again["metro2_runs_created"] == 0 and again["retention_demo_accounts"] == 0
    assert Account.objects.filter(creditor_account_number__startswith="D5-").count() == 50
