"""Credit reporting and retention through the pages and the API, by the roles that may use them."""

from datetime import UTC, datetime
from unittest import mock

import pytest
from django.urls import reverse

from compliance.models import AuditEvent, LegalHold, Metro2Run, RetentionPolicy

from .support import portfolio

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def frozen_gate_clock():
    """The run's 'now' (gate clock and time stamps) fixed at 2026-11-02 so the portfolio's waits are over."""
    with mock.patch("compliance.bureau.services.timezone.now", return_value=datetime(2026, 11, 2, 12, tzinfo=UTC)):
        yield


def test_accounting_writes_a_run_from_the_page_and_sees_the_blocked_accounts(client_for, frozen_gate_clock):
    portfolio()
    client = client_for("accounting")
    response = client.post(reverse("bureau:run_create"), {"creditor": "ACME", "as_of": "2026-10-31"})
    run = Metro2Run.objects.get(as_of="2026-10-31")
    assert response.status_code == 302 and response.url == reverse("bureau:run_detail", args=[run.pk])
    page = client.get(response.url).content.decode()
    assert "PASSIVE_COLLECTION_NOT_SATISFIED" in page and "MEDICAL_UNDER_500" in page and run.sha256 in page
    download = client.get(reverse("bureau:run_file", args=[run.pk]))
    assert b"".join(download.streaming_content) == run.file.open("rb").read()
    assert AuditEvent.objects.filter(object_type="compliance.Metro2Run", summary__startswith="downloaded").exists()


def test_paid_list_csv_says_what_the_bureaus_were_told(client_for):
    portfolio()
    body = client_for("compliance").get(reverse("bureau:paid_list_csv"), {"creditor": "ACME"}).content.decode()
    lines = body.strip().splitlines()
    assert lines[0].startswith("creditor,creditor_account_number,debtor,status,date_paid,amount_paid")
    rows = {line.split(",")[1]: line for line in lines[1:]}
    assert set(rows) == {"M2-0002", "M2-0007"}
    assert ",settled,2026-10-20,540.00," in rows["M2-0007"] and "62 + AU" in rows["M2-0007"]
    assert "93 on 2026-09-30" in rows["M2-0002"]


def test_api_creates_a_run_and_lists_blocked_accounts_with_reasons(client_for, frozen_gate_clock):
    portfolio()
    client = client_for("accounting")
    response = client.post("/api/metro2/runs/", {"creditor": "ACME", "as_of": "2026-10-31"},
                           content_type="application/json")
    assert response.status_code == 201
    body = response.json()
    assert (body["records"], body["blocked"]) == (5, 2)
    assert {i["creditor_account_number"]: i["reasons"] for i in body["items"]} == {
        "M2-0004": ["PASSIVE_COLLECTION_NOT_SATISFIED"], "M2-0005": ["MEDICAL_UNDER_500"]}
    assert client.get("/api/metro2/runs/").json()["count"] == 2  # September's (support.py) and this one
    paid = client.get("/api/metro2/paid/", {"creditor": "ACME", "start": "2026-10-01"}).json()
    assert sorted(r["metro2_status"] for r in paid) == ["62", "62 + AU"]
    assert client_for("collector").post("/api/metro2/runs/", {}, content_type="application/json").status_code == 403


def test_compliance_places_and_releases_a_hold_by_page_and_api(client_for):
    _, accounts = portfolio()
    client = client_for("compliance")
    number = accounts["open"].creditor_account_number
    response = client.post(reverse("retention:hold_place"), {"account_ref": number, "kind": "suit",
                                                             "reason": "Summons served", "ref": "CV-1"})
    assert response.status_code == 302
    hold = LegalHold.objects.get()
    assert "Summons served" in client.get(reverse("retention:home")).content.decode()
    api = client.post(f"/api/retention/holds/{hold.pk}/release/")
    assert api.status_code == 200 and api.json()["released_at"]
    again = client.post(f"/api/retention/holds/{hold.pk}/release/")
    assert again.status_code == 400
    created = client.post("/api/retention/holds/", {"account": accounts["paid"].pk, "kind": "fraud",
                                                    "reason": "Identity theft report"}, content_type="application/json")
    assert created.status_code == 201 and created.json()["kind"] == "fraud"


def test_policy_page_refuses_less_than_three_years_for_evidence(client_for):
    client = client_for("admin")
    policy = RetentionPolicy.objects.get(kind="contact_attempts")
    client.post(reverse("retention:policy_edit", args=[policy.pk]),
                {f"p{policy.pk}-retention_days": "30", f"p{policy.pk}-is_active": "on"})
    policy.refresh_from_db()
    assert policy.retention_days == 1096
    errors = RetentionPolicy.objects.get(kind="error_reports")
    client.post(reverse("retention:policy_edit", args=[errors.pk]),
                {f"p{errors.pk}-retention_days": "90", f"p{errors.pk}-is_active": "on"})
    errors.refresh_from_db()
    assert errors.retention_days == 90
    assert AuditEvent.objects.filter(object_type="compliance.RetentionPolicy", summary__contains="-> 90 days").exists()


def test_purge_preview_page_and_api_change_nothing(client_for):
    client = client_for("compliance")
    assert client.get(reverse("retention:preview")).status_code == 200
    body = client.get("/api/retention/purge/preview/").json()
    assert set(body) == {"contact_attempts", "personal_data", "import_files", "error_reports", "generated_letters"}
    assert client.get("/api/retention/runs/").json() == []


def test_admin_lists_runs_holds_policies_and_purges_read_only(client_for):
    portfolio()
    client = client_for("admin")
    for model in ("metro2run", "metro2record", "retentionpolicy", "legalhold", "purgerun", "purgedrecord"):
        assert client.get(reverse(f"admin:compliance_{model}_changelist")).status_code == 200, model
        assert client.get(reverse(f"admin:compliance_{model}_add")).status_code == 403, model
