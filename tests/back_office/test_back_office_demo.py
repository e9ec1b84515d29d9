"""Demo data (issue 13 part 6): open skip-trace cases, escalations of every kind and complaints, made once."""

import json

import pytest
from django.core.management import call_command

from collections_app.models import Escalation, SkipTraceCase, WorkItem
from compliance.models import Complaint, FraudClaim, LegalHold
from compliance.services import complaint_counts

pytestmark = pytest.mark.django_db


def test_seed_demo_has_skip_trace_cases_escalations_and_complaints(capsys):
    call_command("seed_demo", accounts=300, seed=7)
    summary = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert summary["back_office"]["skip_cases"] == 4
    assert SkipTraceCase.objects.filter(status__in=["open", "searching"]).count() == 3
    assert SkipTraceCase.objects.filter(status="not_found").count() == 1
    for case in SkipTraceCase.objects.all():
        assert WorkItem.objects.get(pk=case.account_id).hold_reason.startswith("skip trace")
    assert set(Escalation.objects.values_list("kind", flat=True)) == {
        "legal", "fraud", "management", "senior_collector", "billing_discrepancy"}
    assert Escalation.objects.get(kind="billing_discrepancy").adjustment_status == "awaiting_approval"
    assert FraudClaim.objects.count() == 1
    assert set(LegalHold.objects.filter(released_at__isnull=True).values_list("kind", flat=True)) == {
        "suit", "fraud", "complaint"}
    assert Complaint.objects.count() == 3 and complaint_counts() == {"open": 2, "overdue": 1}
    call_command("seed_demo", accounts=300, seed=7)
    again = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert again["back_office"] == {"skip_cases": 0, "escalations": 0, "complaints": 0}
    assert Escalation.objects.count() == 5 and Complaint.objects.count() == 3
