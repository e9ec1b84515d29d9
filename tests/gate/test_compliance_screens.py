"""The compliance screens: records written through services, seen by the gate, audited."""

import csv
import io

import pytest
from django.urls import reverse

from accounts.models import AccountStatus
from compliance.gate import contact_check, contact_send
from compliance.models import AuditEvent, CeaseRequest, Dispute, DisputeStatus, StatePolicy, TcpaConsent
from compliance.services import audit_record
from compliance.views.audit import spreadsheet_safe

from .support import PHONE, at, atlanta_account

pytestmark = pytest.mark.django_db


def test_compliance_officer_records_and_ends_a_cease_request(client_for, users):
    account = atlanta_account()
    client = client_for("compliance")
    response = client.post(reverse("compliance:restriction_add", args=["cease"]), {
        "account_ref": account.creditor_account_number, "whole_debtor": "on", "kind": "cease_communication",
        "received_at": "2025-06-05T10:00", "method": "written_mail", "statement": "Stop calling me"})
    assert response.status_code == 302, response.content.decode()[:2000]
    cease = CeaseRequest.objects.get()
    assert cease.account is None and cease.created_by == users["compliance"]
    decision = contact_check(account=account, channel="call", to=PHONE, now=at(2025, 6, 10))
    assert "CEASE_COMMUNICATION" in decision["reasons"]
    assert AuditEvent.objects.filter(action="create", object_type="compliance.CeaseRequest").exists()

    client.post(reverse("compliance:restriction_end", args=["cease", cease.pk]), {"reason": "entered in error"})
    cease.refresh_from_db()
    assert cease.ended_at is not None and cease.end_reason == "entered in error"
    assert "Stop calling me" not in client.get(reverse("compliance:restrictions")).content.decode()


def test_dispute_workflow_open_verification_resolved_moves_account_status(client_for):
    account = atlanta_account(status=AccountStatus.ACTIVE)
    client = client_for("compliance")
    client.post(reverse("compliance:disputes"), {
        "account_ref": account.creditor_account_number, "method": "written_mail",
        "received_at": "2025-06-20T10:00", "scope": "entire_debt"})
    dispute = Dispute.objects.get()
    account.refresh_from_db()
    assert dispute.status == DisputeStatus.OPEN and account.status == AccountStatus.DISPUTED
    client.post(reverse("compliance:dispute_status", args=[dispute.pk]), {"to_status": "verification_sent"})
    client.post(reverse("compliance:dispute_status", args=[dispute.pk]), {"to_status": "resolved",
                                                                          "resolution": "verified"})
    dispute.refresh_from_db()
    account.refresh_from_db()
    assert dispute.status == DisputeStatus.RESOLVED and dispute.verification_sent_at and dispute.resolved_at
    assert account.status == AccountStatus.ACTIVE


def test_dispute_cannot_skip_back(users):
    from django.core.exceptions import ValidationError

    from compliance.services import dispute_record, dispute_status_change
    account = atlanta_account()
    dispute = dispute_record(account=account, method="oral", received_at=at(2025, 6, 20), user=users["compliance"])
    dispute_status_change(dispute=dispute, to_status="resolved", user=users["compliance"])
    with pytest.raises(ValidationError, match="cannot move from 'resolved' to 'verification_sent'"):
        dispute_status_change(dispute=dispute, to_status="verification_sent", user=users["compliance"])


def test_supervisor_reads_but_cannot_record_disputes(client_for):
    account = atlanta_account()
    client = client_for("supervisor")
    assert client.get(reverse("compliance:disputes")).status_code == 200
    client.post(reverse("compliance:disputes"), {
        "account_ref": account.creditor_account_number, "method": "written_mail",
        "received_at": "2025-06-20T10:00", "scope": "entire_debt"})
    assert not Dispute.objects.exists()


def test_tcpa_consent_recorded_and_revoked_with_the_words_used(client_for):
    account = atlanta_account()
    client = client_for("compliance")
    client.post(reverse("compliance:consents"), {"account_ref": account.creditor_account_number, "number": PHONE,
                                                 "source": "application", "scope": "all",
                                                 "given_at": "2025-01-02T09:00", "evidence": "application p.3"})
    consent = TcpaConsent.objects.get()
    assert consent.phone.tcpa_consent
    client.post(reverse("compliance:consent_revoke", args=[consent.pk]), {"words": "STOP", "channel": "sms"})
    consent.refresh_from_db()
    assert consent.revoked_at and consent.revocation_words == "STOP"
    consent.phone.refresh_from_db()
    assert not consent.phone.tcpa_consent and consent.phone.tcpa_revoked_at


def test_policy_table_edit_changes_what_the_gate_allows(client_for, users):
    account = atlanta_account()
    federal = StatePolicy.objects.get(state="US", city="")
    assert federal.call_cap == 7
    response = client_for("compliance").post(reverse("compliance:policy_edit", args=[federal.pk]), {
        "state": "US", "city": "", "call_cap": 2, "call_cap_days": 7, "allowed_start": "08:00",
        "allowed_end": "21:00", "time_barred_disclosure": "", "sol_years": "{}",
        "rules": __import__("json").dumps(federal.rules), "effective_from": federal.effective_from.isoformat(),
        "notes": "stricter house policy"})
    assert response.status_code == 302, response.content.decode()[:1500]
    for i in range(2):
        contact_send(account=account, channel="call", to=PHONE, user=users["collector"], outcome="no_answer",
                     idempotency_key=f"p{i}", now=at(2025, 6, 9, 10 + i))
    decision = contact_check(account=account, channel="call", to=PHONE, now=at(2025, 6, 9, 15))
    assert decision["reasons"] == ["CALL_FREQ_7_IN_7"]


def test_audit_log_search_and_csv_export_escapes_formulas(client_for, users):
    audit_record(user=users["collector"], action="view", object_type="accounts.Account", object_id="42",
                 summary="=HYPERLINK(\"http://evil\")")
    audit_record(user=users["accounting"], action="export", object_type="accounts.Account", object_id="7",
                 summary="balances")
    client = client_for("compliance")
    page = client.get(reverse("compliance:audit"), {"user": "collector_user", "action": "view"}).content.decode()
    assert "HYPERLINK" in page and "balances" not in page
    response = client.get(reverse("compliance:audit_export"), {"user": "collector_user"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][0] == "at" and rows[1][5] == "'=HYPERLINK(\"http://evil\")"
    assert AuditEvent.objects.filter(action="export", object_type="compliance.AuditEvent",
                                     user=users["compliance"]).exists()


@pytest.mark.parametrize("value, safe", [("=1+1", "'=1+1"), ("+1", "'+1"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"),
                                         ("plain", "plain"), (None, "")])
def test_spreadsheet_safe(value, safe):
    assert spreadsheet_safe(value) == safe


def test_simulator_prefills_an_example_and_shows_the_engine_decision(client_for):
    client = client_for("compliance")
    page = client.get(reverse("compliance:simulator"), {"example": "FREQ-01"}).content.decode()
    assert "FREQ-01" in page and "+14045550101" in page
    from compliance.views.simulator import _examples
    response = client.post(reverse("compliance:simulator"),
                           {"context": __import__("json").dumps(_examples()["FREQ-01"])})
    assert "CALL_FREQ_7_IN_7" in response.content.decode()


def test_dashboard_lists_open_disputes_and_blocked_attempts(client_for, users):
    from compliance.services import dispute_record
    account = atlanta_account()
    dispute_record(account=account, method="written_mail", received_at=at(2025, 6, 20), user=users["compliance"])
    contact_send(account=account, channel="call", to=PHONE, user=users["collector"], outcome="no_answer",
                 idempotency_key="night", now=at(2025, 6, 10, 22))
    page = client_for("compliance").get(reverse("compliance:home")).content.decode()
    assert account.creditor_account_number in page and "INCONVENIENT_TIME" in page


@pytest.mark.parametrize("model", ["compliance_contactattempt", "accounts_auditevent", "compliance_ceaserequest",
                                   "compliance_dispute", "compliance_statepolicy", "compliance_tcpaconsent",
                                   "compliance_validationnotice"])
def test_admin_lists_every_compliance_model(client_for, model):
    assert client_for("admin").get(reverse(f"admin:{model}_changelist")).status_code == 200


def test_admin_cannot_add_to_append_only_logs(client_for):
    assert client_for("admin").get(reverse("admin:compliance_contactattempt_add")).status_code == 403


@pytest.mark.parametrize(("field", "value", "message"), [
    ("sol_years", "", None),
    ("rules", "", None),
    ("sol_years", '{"consumer_credit": "abc"}',
     'SOL years for consumer_credit must be a whole number of years from 1 to 100, not "abc".'),
    ("sol_years", '{"consumer_credit": 1e30}',
     "SOL years for consumer_credit must be a whole number of years from 1 to 100, not 1e+30."),
    ("sol_years", "[3]", 'SOL years must be a JSON object of years by debt type, e.g. {"consumer_credit": 3}.'),
    ("rules", "1e999", 'Other rules must be a JSON object of engine entries, e.g. {"call_limit": 7}, or left empty.'),
    ("rules", '{"call_limit": {"max": NaN}}', "Other rules: call_limit.max is not a finite number"),
])
def test_policy_json_the_engine_cannot_use_is_a_field_error_and_empty_means_none(client_for, field, value, message):
    import html
    import json

    federal = StatePolicy.objects.get(state="US", city="")
    before = (federal.sol_years, federal.rules)
    data = {"state": "US", "city": "", "call_cap": 7, "call_cap_days": 7, "allowed_start": "08:00",
            "allowed_end": "21:00", "time_barred_disclosure": "", "sol_years": "{}", "rules": json.dumps(federal.rules),
            "effective_from": federal.effective_from.isoformat(), "notes": "", field: value}
    response = client_for("compliance").post(reverse("compliance:policy_edit", args=[federal.pk]), data)
    federal.refresh_from_db()
    if message is None:
        assert response.status_code == 302
        assert getattr(federal, field) == {}
    else:
        assert response.status_code == 200 and message in html.unescape(response.content.decode())
        assert (federal.sol_years, federal.rules) == before


def test_policy_json_errors_read_in_spanish(client_for, users):
    import html

    users["compliance"].language = "es"
    users["compliance"].save(update_fields=["language"])
    federal = StatePolicy.objects.get(state="US", city="")
    response = client_for("compliance").post(reverse("compliance:policy_edit", args=[federal.pk]), {
        "state": "US", "city": "", "call_cap": 7, "call_cap_days": 7, "allowed_start": "08:00",
        "allowed_end": "21:00", "sol_years": '{"consumer_credit": 0}', "rules": "{}",
        "effective_from": federal.effective_from.isoformat()})
    assert ("Los años de prescripción de consumer_credit deben ser un número entero de años entre 1 y 100, no 0."
            in html.unescape(response.content.decode()))
