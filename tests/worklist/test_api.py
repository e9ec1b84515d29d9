"""The worklist API over HTTP (real clock: the debtor lives where it is daytime now)."""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from collections_app.models import Disposition, WorkItem
from collections_app.worklist import scoring
from collections_app.worklist.rescoring import reprioritize_all
from compliance.services import restriction_create
from tests.gate.support import zone_where_local_hour

from .support import collector, debt, team_with_queue

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    team, _ = team_with_queue()
    zone = zone_where_local_hour(range(10, 19), margin_minutes=30)
    accounts = [debt(zone=zone, balance="900.00"), debt(zone=zone, balance="100.00")]
    reprioritize_all()
    client = APIClient()
    user = collector(team, "apicol")
    client.force_authenticate(user)
    return client, user, accounts


def test_next_then_409_then_contact_counts_as_disposition_then_next(setup):
    client, user, (big, small) = setup
    response = client.post("/api/worklist/next/")
    assert response.status_code == 200
    body = response.json()
    assert body["account"]["id"] == big.pk and body["lease_expires_at"]
    assert any("days past due" in r for r in body["reasons"])
    held = client.post("/api/worklist/next/")
    assert held.status_code == 409 and held.json()["account_id"] == big.pk
    phone = big.debtor.phones.get().number
    logged = client.post(f"/api/accounts/{big.pk}/contacts/",
                         {"channel": "call", "to": phone, "outcome": "no_answer", "notes": "rang out"}, format="json")
    assert logged.status_code == 201 and logged.json()["decision"]["decision"] == "allow"
    assert Disposition.objects.get(account=big, user=user).code == "no_answer"
    assert WorkItem.objects.get(pk=big.pk).leased_by is None
    assert client.post("/api/worklist/next/").json()["account"]["id"] == small.pk


def test_blocked_attempt_answers_422_and_still_ends_the_lease(setup):
    client, user, (big, _) = setup
    client.post("/api/worklist/next/")
    # a cease request blocks a call at any hour
    restriction_create(kind="cease", debtor=big.debtor, user=user, fields={"received_at": timezone.now()})
    response = client.post(f"/api/accounts/{big.pk}/contacts/", {"channel": "call", "outcome": "no_answer"},
                           format="json")
    assert response.status_code == 422 and response.json()["decision"]["decision"] == "block"
    assert WorkItem.objects.get(pk=big.pk).leased_by is None
    assert Disposition.objects.get(account=big).data["gate"] == "block"


def test_skip_needs_a_reason_and_releases(setup):
    client, _, (big, _) = setup
    assert client.post("/api/worklist/skip/", {"reason": "x"}, format="json").status_code == 400  # nothing held
    client.post("/api/worklist/next/")
    assert client.post("/api/worklist/skip/", {}, format="json").status_code == 400
    response = client.post("/api/worklist/skip/", {"reason": "language line needed"}, format="json")
    assert response.status_code == 200 and response.json() == {"released": big.pk}


def test_204_when_nothing_is_workable():
    team, _ = team_with_queue()
    client = APIClient()
    client.force_authenticate(collector(team))
    assert client.post("/api/worklist/next/").status_code == 204


def test_the_schema_tells_the_truth_about_the_worklist_endpoints(client_for):
    schema = client_for("admin").get("/api/schema/?format=json").json()
    nxt = schema["paths"]["/api/worklist/next/"]["post"]["responses"]
    assert {"200", "204", "409"} <= set(nxt)
    assert "/api/worklist/skip/" in schema["paths"]
    contacts = schema["paths"]["/api/accounts/{account_id}/contacts/"]["post"]
    assert {"201", "422"} <= set(contacts["responses"]) and "disposition" in contacts["description"]


def test_the_hand_built_next_answer_is_what_its_documented_serializer_gives(setup):
    from datetime import timedelta

    from collections_app.apis import WorklistNextApi, next_account_body
    from collections_app.models import Callback
    from collections_app.models.worklist import agency_today
    from collections_app.worklist.leasing import next_account

    _, user, (big, _) = setup
    lease = next_account(user=user)
    assert lease.account.pk == big.pk
    for callback in (None, Callback(account=big, collector=user, due_at=timezone.now() - timedelta(minutes=3))):
        lease.callback = callback
        today = agency_today()
        lease.account.work_item = lease.item
        parts = scoring.unpack(lease.item.components, lease.item.bucket, as_of=today)
        dpd = lease.item.dpd_on(today)
        documented = WorklistNextApi.NextOutputSerializer({
            "account": lease.account, "lease_expires_at": lease.expires_at,
            "reasons": scoring.reasons(parts, dpd=dpd), "headline": scoring.headline(parts, dpd=dpd),
            "callback_due_at": callback.due_at if callback else None}).data
        body = next_account_body(lease, today=today)
        assert body == documented
        assert body["account"]["current_balance"] == "900.00" and isinstance(body["account"]["days_past_due"], int)
        assert (body["callback_due_at"] is None) == (callback is None)
