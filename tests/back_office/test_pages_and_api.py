"""Back-office pages and API (issue 13 parts 2, 3, 5): they render with data, their forms call the services,
the API answers with the documented shapes, and the supervisor dashboard shows the complaint counts."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Address
from accounts.models.parties import ContactStatus
from collections_app.escalations.services import escalation_create
from collections_app.models import Escalation, SkipTraceCase
from collections_app.skiptrace.services import skip_case_open
from compliance.models import Complaint
from compliance.services import complaint_record
from tests.factories import AccountFactory, DebtorFactory
from tests.worklist.support import debt

pytestmark = pytest.mark.django_db


def test_skip_trace_pages_walk_a_case_to_located(client_for, users):
    account = debt()
    Address.objects.filter(debtor=account.debtor).update(status=ContactStatus.RETURNED)
    account.debtor.phones.update(status=ContactStatus.DISCONNECTED)
    client = client_for("collector")
    # the account as people see it: its number (the internal id is never typed)
    response = client.post(reverse("skiptrace:open"), {"account": account.creditor_account_number})
    case = SkipTraceCase.objects.get(account=account)
    assert response.url == reverse("skiptrace:detail", args=[case.pk])
    assert client.get(reverse("skiptrace:list")).content.count(b'data-testid="skip-case-row"') == 1
    client.post(reverse("skiptrace:search", args=[case.pk]), {"source": "loan_documents", "result": "no_hit"})
    client.post(reverse("skiptrace:lead", args=[case.pk]), {"source": "credit_bureau_header", "kind": "address",
                                                            "line1": "12 Main St", "city": "Macon", "state": "GA",
                                                            "zip_code": "31201"})
    page = client.get(reverse("skiptrace:detail", args=[case.pk])).content.decode()
    assert "Loan documents" in page and "12 Main St" in page and "Credit-bureau header" in page
    client.post(reverse("skiptrace:status", args=[case.pk]), {"to_status": "located"})
    case.refresh_from_db()
    assert case.status == "located"


def test_blocked_location_call_is_shown_as_blocked(client_for):
    account = AccountFactory(debtor=DebtorFactory(), status="active")
    case = skip_case_open(account=account)
    Address.objects.create(debtor=account.debtor, line1="1 A St", city="Atlanta", state="GA", zip="30303")
    client = client_for("collector")
    response = client.post(reverse("skiptrace:call", args=[case.pk]), {"to": "4045550900", "relationship": "neighbor",
                                                                       "outcome": "conversation"}, follow=True)
    assert "The gate blocks this location call" in response.content.decode()


def test_escalation_pages_create_and_approve_an_adjustment(client_for, users):
    account = debt()
    collector = client_for("collector")
    due = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = collector.post(reverse("escalations:list"), {
        "account": f"{account.creditor_account_number} · {account.creditor.code}",
        "kind": "billing_discrepancy", "reason": "Fee charged twice",
        "owner": users["collector"].pk, "due_on": due, "disputed_amount": "35.00"})
    escalation = Escalation.objects.get(account=account)
    assert response.url == reverse("escalations:detail", args=[escalation.pk])
    collector.post(reverse("escalations:adjustment", args=[escalation.pk]), {"amount": "-35.00", "memo": "dup fee"})
    assert collector.post(reverse("escalations:decide", args=[escalation.pk]), {"approve": "1"}).status_code == 403
    supervisor = client_for("supervisor")
    page = supervisor.get(reverse("escalations:detail", args=[escalation.pk])).content.decode()
    assert "Decide the adjustment" in page
    supervisor.post(reverse("escalations:decide", args=[escalation.pk]), {"approve": "1", "note": "checked"})
    escalation.refresh_from_db()
    assert escalation.adjustment_status == "posted"
    assert "escalations open" in supervisor.get(reverse("dashboard:home")).content.decode()


def test_complaints_page_logs_and_moves_a_complaint_and_the_dashboard_counts_it(client_for, users):
    account = AccountFactory()
    client = client_for("compliance")
    client.post(reverse("compliance:complaints"), {"account": account.creditor_account_number, "source": "cfpb_portal",
                                                   "reference": "CFPB-1", "description": "Called at work"})
    complaint = Complaint.objects.get(account=account)
    assert complaint.due_at - complaint.received_at == timedelta(days=15)
    old = complaint_record(account=account, source="debtor", description="old", user=users["compliance"],
                           received_at=timezone.now() - timedelta(days=31))
    page = client.get(reverse("compliance:complaints")).content.decode()
    assert "<strong>2</strong> unanswered, <strong>1</strong> past their deadline" in page
    client.post(reverse("compliance:complaint_action", args=[old.pk]), {"action": "respond", "response": "Sorry"})
    old.refresh_from_db()
    assert old.status == "responded" and old.responded_late
    dashboard = client_for("supervisor").get(reverse("dashboard:home")).content.decode()
    assert "1 complaints unanswered, <strong>0 overdue</strong>" in dashboard


def test_api_skip_trace_open_lead_call_and_locate(client_for, users):
    account = AccountFactory(debtor=DebtorFactory(), status="active")
    client = client_for("supervisor")
    created = client.post("/api/skip-trace/", {"account": account.pk}, content_type="application/json")
    assert created.status_code == 201 and created.json()["status"] == "open"
    again = client.post("/api/skip-trace/", {"account": account.pk}, content_type="application/json")
    assert again.status_code == 200 and again.json()["id"] == created.json()["id"]
    case_id = created.json()["id"]
    call = client.post(f"/api/skip-trace/{case_id}/location-calls/", {"to": "4045550700", "relationship": "neighbor",
                                                                      "outcome": "conversation"},
                       content_type="application/json")
    assert call.status_code in (201, 422)  # the time of day decides; either way it is logged
    refused = client.post(f"/api/skip-trace/{case_id}/status/", {"to_status": "located"},
                          content_type="application/json")
    assert refused.status_code == 400 and "before marking the case located" in str(refused.json())
    lead = client.post(f"/api/skip-trace/{case_id}/leads/", {"source": "public_records", "kind": "phone",
                                                             "value": "404-555-0701"}, content_type="application/json")
    assert lead.status_code == 201 and lead.json()["source"] == "public_records"
    located = client.post(f"/api/skip-trace/{case_id}/status/", {"to_status": "located"},
                          content_type="application/json")
    assert located.status_code == 200 and located.json()["status"] == "located"
    detail = client.get(f"/api/skip-trace/{case_id}/").json()
    assert [le["value"] for le in detail["leads"]] == ["+14045550701"]
    assert client_for("accounting").get("/api/skip-trace/").status_code == 403


def test_api_escalation_and_complaint(client_for, users):
    account = AccountFactory()
    client = client_for("collector")
    body = {"account": account.pk, "kind": "legal", "reason": "Over threshold", "owner": "supervisor_user",
            "due_on": (timezone.localdate() + timedelta(days=5)).isoformat(), "attorney_name": "A. Lawyer"}
    created = client.post("/api/escalations/", body, content_type="application/json")
    assert created.status_code == 201 and created.json()["suit_stage"] == "referred"
    eid = created.json()["id"]
    moved = client.post(f"/api/escalations/{eid}/", {"suit_stage": "suit_filed", "start_work": True},
                        content_type="application/json")
    assert moved.status_code == 200 and moved.json()["status"] == "in_progress"
    assert client.post(f"/api/escalations/{eid}/adjustment/decide/", {"approve": True},
                       content_type="application/json").status_code == 403
    assert client.get("/api/complaints/").status_code == 403
    compliance = client_for("compliance")
    logged = compliance.post("/api/complaints/", {"account": account.pk, "source": "regulator",
                                                  "regulator": "NY DFS", "description": "Letter"},
                             content_type="application/json")
    assert logged.status_code == 201
    listing = compliance.get("/api/complaints/").json()
    assert listing["open"] == 1 and listing["results"][0]["id"] == logged.json()["id"]
    assert compliance.post(f"/api/complaints/{logged.json()['id']}/close/").status_code == 400


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_pages_cost_the_same_queries_for_one_row_or_many(client_for, users):
    """Back-office lists stay within the page budget: no query per row (DESIGN.md section 8)."""
    def add(n):
        for _ in range(n):
            account = AccountFactory(debtor=DebtorFactory(), status="active")
            skip_case_open(account=account)
            escalation_create(account=account, kind="management", reason="r", owner=users["supervisor"],
                              due_on=timezone.localdate(), user=users["collector"])
            complaint_record(account=account, source="debtor", description="d", user=users["compliance"])
    add(1)
    pages = {"collector": [reverse("skiptrace:list"), reverse("escalations:list")],
             "compliance": [reverse("compliance:complaints")]}
    before = {url: _queries(client_for(role), url) for role, urls in pages.items() for url in urls}
    add(5)
    after = {url: _queries(client_for(role), url) for role, urls in pages.items() for url in urls}
    assert after == before
