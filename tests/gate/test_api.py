"""POST /api/accounts/{id}/contacts/ and GET /api/accounts/{id}/contact-check/."""

import pytest
from django.urls import reverse

from compliance.models import AttemptStatus, ContactAttempt

from .support import PHONE, account_in_zone, zone_where_local_hour

pytestmark = pytest.mark.django_db


@pytest.fixture
def daytime_account():
    return account_in_zone(zone_where_local_hour(range(9, 20)))


@pytest.fixture
def night_account():
    return account_in_zone(zone_where_local_hour(range(0, 7)))


def test_allowed_call_is_201_with_the_decision(client_for, daytime_account):
    url = reverse("api-account-contacts", args=[daytime_account.pk])
    response = client_for("collector").post(url, {"channel": "call", "to": PHONE, "outcome": "no_answer",
                                                  "notes": "rang out"}, content_type="application/json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["decision"]["decision"] == "allow" and body["status"] == AttemptStatus.ALLOWED
    assert ContactAttempt.objects.get(pk=body["id"]).notes == "rang out"


def test_blocked_call_is_422_with_reasons_and_next_time_and_is_still_logged(client_for, night_account):
    url = reverse("api-account-contacts", args=[night_account.pk])
    response = client_for("collector").post(url, {"channel": "call", "to": PHONE, "outcome": "no_answer"},
                                            content_type="application/json")
    assert response.status_code == 422
    body = response.json()
    assert body["decision"]["reasons"] == ["INCONVENIENT_TIME"]
    assert body["decision"]["violations"][0]["citation"]
    assert body["decision"]["next_allowed_at"]
    assert ContactAttempt.objects.get(pk=body["id"]).status == AttemptStatus.BLOCKED


def test_idempotency_key_header_replays_the_first_attempt(client_for, daytime_account):
    url = reverse("api-account-contacts", args=[daytime_account.pk])
    client = client_for("collector")
    payload = {"channel": "call", "to": PHONE, "outcome": "no_answer"}
    first = client.post(url, payload, content_type="application/json", HTTP_IDEMPOTENCY_KEY="abc-1")
    second = client.post(url, payload, content_type="application/json", HTTP_IDEMPOTENCY_KEY="abc-1")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert ContactAttempt.objects.count() == 1


def test_unknown_number_is_400(client_for, daytime_account):
    url = reverse("api-account-contacts", args=[daytime_account.pk])
    response = client_for("collector").post(url, {"channel": "call", "to": "+19995550000"},
                                            content_type="application/json")
    assert response.status_code == 400
    assert "not an active call contact point" in str(response.json())


def test_accounting_may_not_contact_debtors(client_for, daytime_account):
    url = reverse("api-account-contacts", args=[daytime_account.pk])
    response = client_for("accounting").post(url, {"channel": "call", "to": PHONE}, content_type="application/json")
    assert response.status_code == 403


def test_contact_check_is_read_only(client_for, night_account):
    url = reverse("api-account-contact-check", args=[night_account.pk])
    response = client_for("collector").get(url, {"channel": "call", "to": PHONE})
    assert response.status_code == 200
    assert response.json()["decision"] == "block"
    assert response.json()["to"] == PHONE
    assert ContactAttempt.objects.count() == 0


def test_schema_has_no_duplicate_component_warnings(client_for, capsys):
    response = client_for("admin").get(reverse("api-schema"))
    assert response.status_code == 200
    assert "contact-check" in response.content.decode()
    assert "Warning" not in capsys.readouterr().err
