"""The HTTP interface: 201 / 200 / 409 for payments, schedules for plans, reads, and the schema."""

import multiprocessing
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connections
from django.urls import reverse
from django.utils import timezone

from accounts.models import Account
from payments.models import Payment

from .support import funded_account

pytestmark = pytest.mark.django_db


def _pay(client, account, key, amount="25.00", when="2026-01-05T15:00:00Z"):
    return client.post(reverse("api-account-payments", args=[account.pk]),
                       {"amount": amount, "method": "card", "received_at": when}, content_type="application/json",
                       HTTP_IDEMPOTENCY_KEY=key)


def test_payment_201_then_200_with_the_original_then_409_for_another_body(client_for):
    account = funded_account(principal="100.00", fees="10.00")
    client = client_for("collector")
    first = _pay(client, account, "api-1")
    assert first.status_code == 201
    assert first.json()["allocation"] == [{"bucket": "fees", "amount": "10.00"},
                                          {"bucket": "principal", "amount": "15.00"}]
    again = _pay(client, account, "api-1")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    conflict = _pay(client, account, "api-1", amount="26.00")
    assert conflict.status_code == 409 and f"#{first.json()['id']}" in conflict.json()["detail"]
    assert _pay(client, account, "").status_code == 400
    listed = client.get(reverse("api-account-payments", args=[account.pk])).json()
    assert [p["id"] for p in listed] == [first.json()["id"]]


def test_compliance_role_reads_but_cannot_post_a_payment(client_for):
    account = funded_account()
    client = client_for("compliance")
    assert client.get(reverse("api-account-payments", args=[account.pk])).status_code == 200
    assert _pay(client, account, "x").status_code == 403


def test_plan_201_with_the_schedule_and_the_remainder_cent_first(client_for):
    account = funded_account(principal="100.00")
    start = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = client_for("collector").post(
        reverse("api-account-plans", args=[account.pk]),
        {"total": "100.00", "down_payment": "0", "frequency": "biweekly", "installments": 3, "start_date": start},
        content_type="application/json")
    assert response.status_code == 201, response.content
    rows = response.json()["installments"]
    assert [r["amount"] for r in rows] == ["33.34", "33.33", "33.33"]
    assert rows[0]["due_date"] == start


def test_promise_and_settlement_endpoints_create_and_read(client_for):
    account = funded_account(principal="1000.00")
    client = client_for("collector")
    due = (timezone.localdate() + timedelta(days=5)).isoformat()
    promise = client.post(reverse("api-account-promises", args=[account.pk]),
                          {"amount": "100.00", "due_date": due, "method": "check"}, content_type="application/json")
    assert promise.status_code == 201 and promise.json()["status"] == "open"
    offer = client.post(reverse("api-account-settlements", args=[account.pk]),
                        {"amount": "500.00", "expires_on": due}, content_type="application/json")
    assert offer.status_code == 201 and offer.json()["status"] == "awaiting_approval"
    bad = client.post(reverse("api-account-promises", args=[account.pk]),
                      {"amount": "5000.00", "due_date": due, "method": "check"}, content_type="application/json")
    assert bad.status_code == 400 and "amount" in bad.json()
    assert len(client.get(reverse("api-account-settlements", args=[account.pk])).json()) == 1


def test_schema_describes_the_payment_endpoints(client_for):
    schema = client_for("collector").get(reverse("api-schema"), HTTP_ACCEPT="application/json").json()
    post = schema["paths"]["/api/accounts/{account_id}/payments/"]["post"]
    assert {"200", "201", "409"} <= set(post["responses"])
    assert any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in post["parameters"])
    assert "/api/accounts/{account_id}/plans/" in schema["paths"]


def _post_in_child(account_id, key, queue):
    from django.db import connection

    from payments.services import payment_post
    from tests.payments.support import at

    connection.close()
    try:
        payment, created = payment_post(account=Account.objects.get(pk=account_id), amount=Decimal("40.00"),
                                        method="ach", received_at=at("2026-01-05T15:00:00"), idempotency_key=key,
                                        source="api")
        queue.put((payment.pk, created))
    except Exception as exc:  # noqa: BLE001 - reported to the parent, which fails the test with it
        queue.put(("error", repr(exc)))


@pytest.mark.django_db(transaction=True)
def test_the_same_key_from_six_processes_posts_once():
    from django.db import connection

    if connection.vendor == "sqlite":
        pytest.skip("the test database is SQLite in memory: each forked process would post into its own copy")
    account = funded_account(principal="500.00")
    connections.close_all()
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    children = [ctx.Process(target=_post_in_child, args=(account.pk, "same-key", queue)) for _ in range(6)]
    for child in children:
        child.start()
    results = [queue.get(timeout=60) for _ in children]
    for child in children:
        child.join(timeout=60)
    assert all(r[0] != "error" for r in results), results
    assert len({pk for pk, _ in results}) == 1 and sum(created for _, created in results) == 1
    assert Payment.objects.count() == 1
    account.refresh_from_db()
    assert account.current_balance == Decimal("460.00")
