import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import AccountFactory, PhoneFactory

pytestmark = pytest.mark.django_db


def queries_for(client, url, **params):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200
    return len(ctx.captured_queries)


def test_account_list_query_count_does_not_grow_with_rows(client_for):
    client = client_for("collector")
    AccountFactory.create_batch(3)
    few = queries_for(client, reverse("accounts:list"))
    AccountFactory.create_batch(22)
    assert queries_for(client, reverse("accounts:list")) == few


def test_account_search_finds_by_phone_in_any_format(client_for):
    account = AccountFactory(creditor_account_number="PH-1")
    PhoneFactory(debtor=account.debtor, number="+14045550177")
    AccountFactory(creditor_account_number="PH-2")
    page = client_for("collector").get(reverse("accounts:list"), {"q": "(404) 555-0177"}).content.decode()
    assert "PH-1" in page and "PH-2" not in page


def test_htmx_search_returns_only_the_rows_partial(client_for):
    AccountFactory(creditor_account_number="HX-1")
    response = client_for("collector").get(reverse("accounts:list"), {"q": "HX-1"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "HX-1" in html and "<html" not in html


@pytest.mark.parametrize("role, landing", [("collector", "accounts:list"), ("supervisor", "accounts:list"),
                                           ("accounting", "accounts:import_list"), ("compliance", "compliance:home"),
                                           ("admin", "admin:index")])
def test_each_role_lands_on_its_own_start_page(client_for, role, landing):
    from collections_app.views import LANDING

    wanted = dict(LANDING)[role]
    expected = landing
    for name in wanted:  # the worklist pages, once they exist, come first
        try:
            expected = reverse(name)
            break
        except Exception:  # noqa: BLE001 - NoReverseMatch until the worklist issue lands
            continue
    else:
        expected = reverse(landing)
    assert client_for(role).get(reverse("home")).url == expected


def test_landing_falls_back_when_a_role_page_does_not_exist_yet(client_for, monkeypatch):
    from collections_app import views

    monkeypatch.setattr(views, "LANDING", [("collector", ("no-such:page", "accounts:import_list"))])
    assert client_for("collector").get(reverse("home")).url == reverse("accounts:import_list")
    monkeypatch.setattr(views, "LANDING", [("collector", ("no-such:page",))])
    assert client_for("collector").get(reverse("home")).url == reverse("accounts:list")


def test_no_landing_page_is_the_whole_portfolio_sorted_by_balance(client_for):
    from accounts.models import Account

    for role in ("collector", "supervisor", "accounting", "compliance", "admin"):
        response = client_for(role).get(reverse("home"), follow=True)
        assert response.status_code == 200
        page = response.context.get("page") if response.context else None
        assert not (hasattr(page, "object_list") and getattr(page.object_list, "model", None) is Account)


@pytest.mark.parametrize("role, shown", [("collector", False), ("compliance", True)])
def test_workspace_links_the_validation_notice_only_for_roles_that_may_open_it(client_for, role, shown):
    account = AccountFactory()
    html = client_for(role).get(reverse("account-workspace", args=[account.pk])).content.decode()
    assert ('data-testid="notice-link"' in html) is shown


def test_workspace_shows_the_newest_ledger_page_with_balances_that_end_at_the_current_balance(client_for):
    from datetime import date, timedelta

    from accounts.models import EntryKind, EntrySource
    from accounts.selectors import LEDGER_PAGE
    from accounts.services import ledger_entry_post

    account = AccountFactory()
    for i in range(LEDGER_PAGE + 5):
        ledger_entry_post(account=account, kind=EntryKind.FEE, amount="1.00", posted_date=date(2025, 1, 1)
                          + timedelta(days=i), source=EntrySource.USER)
    response = client_for("collector").get(reverse("account-workspace", args=[account.pk]))
    rows = response.context["ledger"]
    assert len(rows) == LEDGER_PAGE and str(rows[0]["balance"]) == "6.00" and str(rows[-1]["balance"]) == "105.00"
    assert f"newest {LEDGER_PAGE} of 105 entries" in response.content.decode()
