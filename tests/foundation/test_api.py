from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from accounts.models import EntryKind, EntrySource
from accounts.services import ledger_entry_post
from tests.factories import AccountFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def account():
    account = AccountFactory(creditor_account_number="CC-1001")
    for kind, amount in [(EntryKind.CHARGE, "900.00"), (EntryKind.INTEREST, "80.00"), (EntryKind.FEE, "20.00"),
                         (EntryKind.PAYMENT, "-50.00")]:
        ledger_entry_post(account=account, kind=kind, amount=amount, posted_date=date(2025, 2, 1),
                          source=EntrySource.USER)
    account.refresh_from_db()
    return account


def test_token_auth_reads_account_detail_with_balance_by_kind(account, capsys):
    UserFactory(username="integration", roles=["collector"])
    call_command("drf_create_token", "integration")
    token = Token.objects.get(user__username="integration").key
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = client.get(f"/api/accounts/{account.pk}/")
    assert response.status_code == 200
    body = response.json()
    assert body["current_balance"] == "950.00"
    assert Decimal(body["balance_by_kind"]["total"]) == Decimal(body["current_balance"])


def test_balance_by_kind_retires_fees_then_interest(account, client):
    client.force_login(UserFactory(roles=["supervisor"]))
    balances = client.get(f"/api/accounts/{account.pk}/").json()["balance_by_kind"]
    assert balances == {"principal": "900.00", "interest": "50.00", "fees": "0.00", "total": "950.00"}


def test_bad_token_is_refused(account):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    assert client.get("/api/accounts/").status_code == 401


def test_user_without_role_is_refused_even_when_authenticated(account, client):
    client.force_login(UserFactory(roles=[]))
    assert client.get("/api/accounts/").status_code == 403


def test_account_list_searches_by_number(account, client):
    AccountFactory(creditor_account_number="ZZ-9")
    client.force_login(UserFactory(roles=["collector"]))
    results = client.get("/api/accounts/", {"q": "CC-1001"}).json()["results"]
    assert [r["creditor_account_number"] for r in results] == ["CC-1001"]


def test_openapi_schema_lists_account_endpoints(client):
    client.force_login(UserFactory(roles=["admin"]))
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/accounts/{account_id}/" in schema


def test_api_docs_page_loads_swagger_from_our_static_files_not_a_cdn(client):
    client.force_login(UserFactory(roles=["collector"]))
    html = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in html and "/static/drf_spectacular_sidecar/" in html
    assert "cdn" not in html.lower()
