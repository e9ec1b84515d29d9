"""Demo back office (issue 13): lost debtors with open skip-trace cases, escalations of every kind (a suit
filed, an identity-theft claim, a billing correction awaiting approval) and complaints (one overdue).
Made once: a second seed finds them and adds nothing."""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import Account, Address, Phone
from accounts.models.parties import ContactStatus
from collections_app.models import Escalation, SkipTraceCase
from collections_app.skiptrace.services import skip_case_not_found, skip_case_open_if_lost, skip_search_record
from compliance.models import Complaint
from compliance.services import complaint_record, complaint_respond

from .services import discrepancy_adjustment_propose, escalation_create, escalation_update

SKIP_CASES = 4
WORKABLE = ["active", "new", "promise"]


def back_office_demo_create(*, users: dict, seed: int = 1) -> dict:
    if SkipTraceCase.objects.exists() or Escalation.objects.exists() or Complaint.objects.exists():
        return {"skip_cases": 0, "escalations": 0, "complaints": 0}
    rng = random.Random(seed)
    ids = list(Account.objects.filter(status__in=WORKABLE, debt_type__in=["credit_card", "consumer_loan", "auto_loan"],
                                      current_balance__gt=100).order_by("pk").values_list("pk", flat=True)[:400])
    if len(ids) < SKIP_CASES + 8:
        return {"skip_cases": 0, "escalations": 0, "complaints": 0}
    rng.shuffle(ids)
    accounts = {a.pk: a for a in Account.objects.filter(pk__in=ids).select_related("debtor")}
    picks = [accounts[i] for i in ids]
    collector, supervisor = users["collector1"], users["supervisor1"]
    compliance_user = users["compliance1"]
    today, now = timezone.localdate(), timezone.now()

    skip_cases = 0
    for n, account in enumerate(picks[:SKIP_CASES]):
        # the mail came back and every number failed: the debtor is lost
        Address.objects.filter(debtor_id=account.debtor_id).update(status=ContactStatus.RETURNED)
        Phone.objects.filter(debtor_id=account.debtor_id).update(
            status=ContactStatus.WRONG if n % 2 else ContactStatus.DISCONNECTED)
        case = skip_case_open_if_lost(account=account, user=collector)
        if case is None:
            continue
        skip_cases += 1
        if n >= 1:
            skip_search_record(case=case, source="creditor_file", user=collector, detail="same returned address")
        if n == 3:
            skip_search_record(case=case, source="public_records", user=collector, detail="no property records")
            skip_case_not_found(case=case, user=collector, notes="every source tried; vendor batch next")

    rest = picks[SKIP_CASES:]
    due = today + timedelta(days=7)
    legal = escalation_create(account=rest[0], kind="legal", reason="Balance over the suit threshold, no response",
                              owner=supervisor, due_on=due, user=collector, attorney_name="Jordan Pierce",
                              attorney_firm="Pierce & Lowe LLP")
    escalation_update(escalation=legal, user=supervisor, suit_stage="suit_filed",
                      court_case_number=f"CV-{today.year}-{1000 + seed}")
    escalation_create(account=rest[1], kind="fraud", reason="Debtor says the account was opened in her name",
                      owner=supervisor, due_on=due, user=collector, identity_theft_report=True)
    escalation_create(account=rest[2], kind="management", reason="Asked for a manager about the payment history",
                      owner=supervisor, due_on=today + timedelta(days=2), user=collector)
    escalation_create(account=rest[3], kind="senior_collector", reason="Hardship, needs a plan outside guardrails",
                      owner=users.get("collector2", supervisor), due_on=today + timedelta(days=3), user=collector)
    billing = escalation_create(account=rest[4], kind="billing_discrepancy", reason="A late fee was charged twice",
                                owner=collector, due_on=due, user=collector, disputed_amount=Decimal("35.00"))
    discrepancy_adjustment_propose(escalation=billing, amount=Decimal("-35.00"), memo="Duplicate late fee",
                                   user=collector)

    cfpb = complaint_record(account=rest[5], source="cfpb_portal", reference=f"2{today:%y%m%d}-{9000 + seed}",
                            description="Collector called my workplace after I asked them to stop",
                            user=compliance_user, received_at=now - timedelta(days=10), category="Communication")
    complaint_record(account=rest[6], source="regulator", regulator="State Attorney General",
                     description="Consumer disputes the balance", user=compliance_user,
                     received_at=now - timedelta(days=35), category="Balance")  # overdue
    answered = complaint_record(account=rest[7], source="debtor", description="Rude collector on the phone",
                                user=compliance_user, received_at=now - timedelta(days=6))
    complaint_respond(complaint=answered, response="Call reviewed, apology sent, coaching given",
                      user=compliance_user)
    return {"skip_cases": skip_cases, "escalations": Escalation.objects.count(),
            "complaints": Complaint.objects.count(), "complaint_due": cfpb.due_at.date().isoformat()}
