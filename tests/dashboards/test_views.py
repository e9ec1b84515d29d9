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
    for word in ("-1", "999999", "dashboard", "a\x00b"):  # no page of the site: not a view name either (a 500)
        assert client.post(reverse("payments:decide", args=["settlement", own.pk]),
                           {"decision": "reject", "next": word}).url == reverse("payments:approvals")


def test_accounting_sees_the_remittance_not_the_dashboard(client_for):
    client = client_for("accounting")
    assert client.get(reverse("dashboard:remittance")).status_code == 200
    assert client.get(reverse("dashboard:home")).status_code == 403
    assert client_for("collector").get(reverse("dashboard:remittance")).status_code == 403


def _numbers(page: str, accounts) -> set[str]:
    return {a.creditor_account_number for a in accounts if a.creditor_account_number in page}


def test_drill_from_a_roll_rate_cell_lists_the_accounts_that_moved_and_those_that_stayed(client_for):
    from collections_app.models import BucketChange

    moved, stayed, other = AccountFactory(), AccountFactory(), AccountFactory()
    for account in (moved, stayed):
        WorkItem.objects.create(account=account, bucket="31-60", dpd=50)
    WorkItem.objects.create(account=other, bucket="61-90", dpd=70)
    BucketChange.objects.create(account=moved, from_bucket="31-60", to_bucket="61-90", dpd=61,
                                changed_on=date(2026, 3, 4))
    BucketChange.objects.create(account=other, from_bucket="31-60", to_bucket="61-90", dpd=61,
                                changed_on=date(2026, 2, 27))  # another month
    WorkItem.objects.filter(account=moved).update(bucket="61-90")
    client = client_for("supervisor")
    url = reverse("dashboard:drill", args=["roll"])
    rolled = client.get(url + "?month=2026-03-01&from=31-60&to=61-90").content.decode()
    assert _numbers(rolled, [moved, stayed, other]) == {moved.creditor_account_number}
    assert "Accounts that rolled from" in rolled
    kept = client.get(url + "?month=2026-03&from=31-60&to=31-60").content.decode()
    assert _numbers(kept, [moved, stayed, other]) == {stayed.creditor_account_number}


def test_roll_rate_cells_link_to_their_drill(client_for):
    from collections_app.models import AgingBucket, BucketChange
    from collections_app.models.dashboards import DashAgingSnapshot

    account = AccountFactory()
    today = date.today().replace(day=1)
    bucket = AgingBucket.objects.order_by("min_days").first()
    DashAgingSnapshot.objects.create(month=today, creditor_id=account.creditor_id, debt_type=account.debt_type,
                                     bucket=bucket.code, accounts=1, balance=Decimal("10.00"))
    BucketChange.objects.create(account=account, from_bucket=bucket.code, to_bucket="61-90", dpd=61, changed_on=today)
    page = client_for("supervisor").get(reverse("dashboard:home")).content.decode()
    assert 'data-testid="drill-roll"' in page and f"from={bucket.code}" in page


def test_drill_from_a_liquidation_row_lists_the_accounts_placed_that_month(client_for):
    from django.utils import timezone as tz

    creditor = CreditorFactory()
    march, april = AccountFactory(creditor=creditor), AccountFactory(creditor=creditor)
    from accounts.models import Account

    Account.objects.filter(pk=march.pk).update(placed_at=tz.make_aware(tz.datetime(2026, 3, 15, 12)))
    Account.objects.filter(pk=april.pk).update(placed_at=tz.make_aware(tz.datetime(2026, 4, 1, 0, 30)))
    url = reverse("dashboard:drill", args=["placed"]) + f"?month=2026-03-01&creditor={creditor.pk}"
    page = client_for("supervisor").get(url).content.decode()
    assert _numbers(page, [march, april]) == {march.creditor_account_number}


def test_drill_from_contact_figures_lists_the_attempts_behind_them(client_for):
    from django.utils import timezone as tz

    from compliance.models import ContactAttempt

    collector = UserFactory(roles=["collector"])
    talked, missed, blocked = AccountFactory(), AccountFactory(), AccountFactory()
    for n, (account, status, outcome) in enumerate([(talked, "allowed", "conversation"),
                                                    (missed, "allowed", "no_answer"), (blocked, "blocked", "")]):
        ContactAttempt.objects.create(account=account, debtor=account.debtor, channel="call", to="+14045550101",
                                      outcome=outcome, user=collector, idempotency_key=f"drill{n}",
                                      requested_at=tz.now(), status=status, decision={}, context={})
    client = client_for("supervisor")
    url = reverse("dashboard:drill", args=["attempts"]) + f"?collector={collector.pk}"
    every = client.get(url).content.decode()
    assert _numbers(every, [talked, missed, blocked]) == {talked.creditor_account_number,
                                                          missed.creditor_account_number}
    rpc = client.get(url + "&rpc=1").content.decode()
    assert _numbers(rpc, [talked, missed, blocked]) == {talked.creditor_account_number}


def test_drill_pages_keep_their_question_on_the_next_page_link(client_for):
    creditor = portfolio(51)
    page = client_for("supervisor").get(reverse("dashboard:drill", args=["accounts"]) + "?bucket=61-90")
    body = page.content.decode()
    assert 'data-testid="drill-more"' in body and "bucket=61-90" in body.split('data-testid="drill-more"')[0][-300:]
    last = max(creditor.accounts.values_list("pk", flat=True))
    assert page.context["more"] < last
