import pytest
from django.urls import reverse

from compliance.models import AuditEvent
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


def test_reading_account_detail_through_the_api_is_audited_with_who_and_where(client_for, users):
    account = AccountFactory()
    client = client_for("collector")
    assert client.get(f"/api/accounts/{account.pk}/", REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT="ua/1").status_code == 200
    event = AuditEvent.objects.get()
    assert (event.user, event.action, event.object_type, event.object_id) == (
        users["collector"], "view", "accounts.Account", str(account.pk))
    assert event.ip_address == "10.1.2.3" and event.user_agent == "ua/1"


def test_account_search_is_audited_with_its_query(client_for):
    client_for("supervisor").get(reverse("accounts:list"), {"q": "Kahale"})
    assert AuditEvent.objects.get().summary == "GET /accounts/?q=Kahale"


def test_refused_requests_write_no_audit_event(client):
    account = AccountFactory()
    assert client.get(f"/api/accounts/{account.pk}/").status_code == 401
    assert not AuditEvent.objects.exists()
