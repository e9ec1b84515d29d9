"""The dashboard pages: figures, exports, drill-downs, goals, approvals from the exceptions list."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import EntryKind, EntrySource
from accounts.services import ledger_entry_post
from collections_app.models import CollectorGoal, WorkItem
from payments.models import Settlement
from tests.factories import AccountFactory, CreditorFactory, UserFactory

pytestmark = pytest.mark.django_db


def portfolio(n, creditor=None):
    creditor = creditor or CreditorFactory()
    for _ in range(n):
        account = AccountFactory(creditor=creditor)
        ledger_entry_post(account=account, kind=EntryKind.CHARGE, amount=Decimal("100.00"), posted_date=date.today(),
                          source=EntrySource.PLACEMENT)
        WorkItem.objects.create(account=account, bucket="61-90", dpd=70)
    return creditor


def test_supervisor_lands_on_the_dashboard_and_sees_the_aging(client_for):
    portfolio(3)
    client = client_for("supervisor")
    assert client.get(reverse("home")).url == reverse("dashboard:home")
    page = client.get(reverse("dashboard:home")).content.decode()
    assert "$300.00" in page and "How this is computed" in page


def test_query_count_does_not_grow_with_the_data(client_for):
    client = client_for("supervisor")
    portfolio(2)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("dashboard:home")).status_code == 200
    portfolio(25, CreditorFactory())
    with CaptureQueriesContext(connection) as big:
        assert client.get(reverse("dashboard:home")).status_code == 200
    assert len(big.captured_queries) == len(small.captured_queries)


def test_every_table_exports_formula_safe_csv(client_for):
    portfolio(1, CreditorFactory(name="=HYPERLINK(1)"))
    client = client_for("supervisor")
    body = client.get(reverse("dashboard:home") + "?export=aging_by_creditor").content.decode()
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == ["creditor", "debt_type", "accounts", "balance"]
    assert rows[1][0] == "'=HYPERLINK(1)" and rows[1][3] == "100.00"
    for name in ("aging", "roll_rates", "liquidation", "cei", "collectors", "queues"):
        response = client.get(reverse("dashboard:home") + f"?export={name}")
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert client.get(reverse("dashboard:home") + "?export=nope").status_code == 400


def test_drill_down_lists_the_accounts_behind_a_bucket(client_for):
    creditor = portfolio(3)
    url = reverse("dashboard:drill", args=["accounts"]) + "?bucket=61-90"
    page = client_for("supervisor").get(url).content.decode()
    for number in creditor.accounts.values_list("creditor_account_number", flat=True):
        assert number in page


def test_goals_are_set_for_everyone_and_validated(client_for):
    client = client_for("supervisor")
    client.post(reverse("dashboard:goal_set"), {"metric": "attempts", "target": "60"})
    client.post(reverse("dashboard:goal_set"), {"metric": "attempts", "target": "70"})
    assert CollectorGoal.objects.get(user__isnull=True, metric="attempts").target == Decimal("70")
    client.post(reverse("dashboard:goal_set"), {"metric": "attempts", "target": "-1"})
    assert CollectorGoal.objects.count() == 1


def test_supervisor_approves_a_settlement_from_the_exceptions_but_not_their_own(client_for, users):
    account = AccountFactory()
    ledger_entry_post(account=account, kind=EntryKind.CHARGE, amount=Decimal("1000.00"), posted_date=date.today(),
                      source=EntrySource.PLACEMENT)
    maker = UserFactory(roles=["collector"])
    offer = Settlement.objects.create(account=account, balance_at_offer=Decimal("1000.00"), amount=Decimal("500.00"),
                                      created_by=maker)
    client = client_for("supervisor")
    assert f"approve-settlement-{offer.pk}" in client.get(reverse("dashboard:home")).content.decode()
    back = client.post(reverse("payments:decide", args=["settlement", offer.pk]),
                       {"decision": "approve", "next": reverse("dashboard:home") + "#exceptions"})
    assert back.url == reverse("dashboard:home") + "#exceptions"
    offer.refresh_from_db()
    assert offer.status == "approved" and offer.decided_by == users["supervisor"]

    own = Settlement.objects.create(account=account, balance_at_offer=Decimal("1000.00"), amount=Decimal("400.00"),
                                    created_by=users["supervisor"])
    response = client.post(reverse("payments:decide", args=["settlement", own.pk]),
                           {"decision": "approve", "next": reverse("dashboard:home")}, follow=True)
    own.refresh_from_db()
    assert own.status == "awaiting_approval"
    assert f"Settlement #{own.pk} not approved" in response.content.decode()
    outside = client.post(reverse("payments:decide", args=["settlement", own.pk]),
                          {"decision": "reject", "next": "https://evil.example/"})
    assert outside.url == reverse("payments:approvals")  # never an open redirect


def test_accounting_sees_the_remittance_not_the_dashboard(client_for):
    client = client_for("accounting")
    assert client.get(reverse("dashboard:remittance")).status_code == 200
    assert client.get(reverse("dashboard:home")).status_code == 403
    assert client_for("collector").get(reverse("dashboard:remittance")).status_code == 403
