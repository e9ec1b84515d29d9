"""Escalations (issue 13, part 3): owner, due date and status; legal referrals with a suit stage (a suit
places a legal hold); fraud claims hold every channel including credit reporting; billing-discrepancy
research ends in a ledger adjustment a supervisor approves (maker-checker)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import LedgerEntry
from accounts.services import balances_verify, ledger_entry_post
from collections_app.escalations import services as esc
from collections_app.models import WorkItem
from collections_app.worklist.rescoring import rescore_account
from compliance.engine import evaluate
from compliance.gate import build_context, contact_check
from compliance.gate.policy import policy_table
from compliance.models import FraudClaim, LegalHold
from compliance.services import fraud_claim_end
from compliance.services.holds import active_hold_account_ids
from tests.worklist.support import NOW, debt, team_with_queue

pytestmark = pytest.mark.django_db


def _due():
    return timezone.localdate() + timedelta(days=7)


@pytest.fixture
def account():
    team_with_queue()
    account = debt(balance="0.00")
    ledger_entry_post(account=account, kind="charge", amount=Decimal("1000.00"), posted_date=NOW.date(),
                      source="placement", reference=f"P-{account.pk}")
    rescore_account(account_id=account.pk)
    return account


def test_escalation_takes_the_account_off_the_list_until_resolved(account, users):
    escalation = esc.escalation_create(account=account, kind="management", reason="Threatened to sue the agency",
                                       owner=users["supervisor"], due_on=_due(), user=users["collector"])
    assert WorkItem.objects.get(pk=account.pk).hold_reason == f"escalation #{escalation.pk}: management"
    esc.escalation_update(escalation=escalation, user=users["supervisor"], status="in_progress")
    esc.escalation_resolve(escalation=escalation, user=users["supervisor"], resolution="Called back, calmed down")
    escalation.refresh_from_db()
    assert escalation.status == "resolved" and escalation.resolved_at
    item = WorkItem.objects.get(pk=account.pk)
    assert item.hold_reason == "" and item.ready


def test_escalation_reports_every_missing_field_at_once(account, users):
    with pytest.raises(ValidationError) as err:
        esc.escalation_create(account=account, kind="legal", reason=" ", owner=users["accounting"],
                              due_on=timezone.localdate() - timedelta(days=1), user=users["collector"])
    assert set(err.value.message_dict) == {"reason", "owner", "due_on", "attorney_name"}


def test_legal_referral_suit_filed_places_a_legal_hold_and_dismissal_releases_it(account, users):
    escalation = esc.escalation_create(account=account, kind="legal", reason="Balance over suit threshold",
                                       owner=users["supervisor"], due_on=_due(), user=users["supervisor"],
                                       attorney_name="J. Counsel", attorney_firm="Counsel LLP")
    assert escalation.suit_stage == "referred" and account.pk not in active_hold_account_ids()
    esc.escalation_update(escalation=escalation, user=users["supervisor"], suit_stage="suit_filed",
                          court_case_number="CV-26-1001")
    hold = LegalHold.objects.get(account=account, kind="suit")
    assert "CV-26-1001" in hold.reason and account.pk in active_hold_account_ids()
    esc.escalation_update(escalation=escalation, user=users["supervisor"], suit_stage="dismissed")
    hold.refresh_from_db()
    assert hold.released_at is not None and account.pk not in active_hold_account_ids()


def test_fraud_claim_blocks_every_channel_including_credit_report(account, users):
    assert contact_check(account=account, channel="call", now=NOW)["decision"] == "allow"
    escalation = esc.escalation_create(account=account, kind="fraud", reason="Says the card was opened in her name",
                                       owner=users["supervisor"], due_on=_due(), user=users["collector"],
                                       identity_theft_report=True)
    claim = FraudClaim.objects.get(pk=escalation.fraud_claim_id)
    assert claim.kind == "identity_theft" and claim.account_id == account.pk
    for channel in ("call", "letter"):
        decision = contact_check(account=account, channel=channel, now=NOW)
        assert decision["decision"] == "block" and "FRAUD_CLAIM_HOLD" in decision["reasons"], channel
    # credit reporting asks the same engine over the same facts (issue 13 part 1 sends channel credit_report)
    report = evaluate(build_context(account=account, action={"channel": "credit_report", "recipient": "cra"},
                                    now=NOW), policy=policy_table(on=NOW.date()))
    assert report["decision"] == "block" and "FRAUD_CLAIM_HOLD" in report["reasons"]
    hold = LegalHold.objects.get(account=account, kind="fraud")
    assert hold.released_at is None
    # investigated and unfounded: the claim ends, the hold is released, collection may resume
    fraud_claim_end(claim=claim, user=users["compliance"], reason="Signed application and payments from her account")
    hold.refresh_from_db()
    assert hold.released_at is not None
    # (the gate reads restrictions as of the moment asked: at NOW, before it ended, the claim still held)
    assert "FRAUD_CLAIM_HOLD" in contact_check(account=account, channel="call", now=NOW)["reasons"]
    assert "FRAUD_CLAIM_HOLD" not in contact_check(account=account, channel="call")["reasons"]


def test_billing_discrepancy_adjustment_posts_through_the_ledger_after_approval(account, users):
    escalation = esc.escalation_create(account=account, kind="billing_discrepancy", user=users["collector"],
                                       reason="Debtor says a $125.50 late fee was charged twice",
                                       owner=users["collector"], due_on=_due(), disputed_amount="125.50")
    esc.discrepancy_adjustment_propose(escalation=escalation, amount="-125.50", memo="Duplicate late fee",
                                       user=users["collector"])
    escalation.refresh_from_db()
    assert escalation.adjustment_status == "awaiting_approval" and escalation.status == "in_progress"
    account.refresh_from_db()
    assert account.current_balance == Decimal("1000.00")  # nothing posted before approval
    with pytest.raises(ValidationError, match="Only a supervisor"):
        esc.discrepancy_adjustment_decide(escalation=escalation, user=users["collector"], approve=True)
    with pytest.raises(ValidationError, match="awaits approval"):
        esc.escalation_resolve(escalation=escalation, user=users["collector"], resolution="done")
    esc.discrepancy_adjustment_decide(escalation=escalation, user=users["supervisor"], approve=True, note="ok")
    escalation.refresh_from_db()
    entry = LedgerEntry.objects.get(pk=escalation.adjustment_entry_id)
    assert (entry.kind, entry.amount, entry.reference, entry.created_by) == (
        "adjustment", Decimal("-125.50"), f"DISC-{escalation.pk}", users["supervisor"])
    account.refresh_from_db()
    assert account.current_balance == Decimal("874.50")
    assert balances_verify()["mismatched"] == 0
    with pytest.raises(ValidationError, match="No adjustment awaits"):
        esc.discrepancy_adjustment_decide(escalation=escalation, user=users["supervisor"], approve=True)
    esc.escalation_resolve(escalation=escalation, user=users["collector"], resolution="Fee reversed")


def test_the_proposer_cannot_approve_their_own_adjustment(account, users):
    escalation = esc.escalation_create(account=account, kind="billing_discrepancy", user=users["supervisor"],
                                       reason="Interest rate wrong", owner=users["supervisor"], due_on=_due())
    esc.discrepancy_adjustment_propose(escalation=escalation, amount="-10.00", memo="rate", user=users["supervisor"])
    with pytest.raises(ValidationError, match="maker-checker"):
        esc.discrepancy_adjustment_decide(escalation=escalation, user=users["supervisor"], approve=True)
    esc.discrepancy_adjustment_decide(escalation=escalation, user=users["admin"], approve=False, note="no evidence")
    escalation.refresh_from_db()
    assert escalation.adjustment_status == "rejected" and escalation.adjustment_entry_id is None
    assert not LedgerEntry.objects.filter(reference=f"DISC-{escalation.pk}").exists()


def test_only_billing_research_proposes_adjustments_in_whole_cents(account, users):
    legal = esc.escalation_create(account=account, kind="senior_collector", reason="Hard case", due_on=_due(),
                                  owner=users["supervisor"], user=users["collector"])
    with pytest.raises(ValidationError, match="Only billing"):
        esc.discrepancy_adjustment_propose(escalation=legal, amount="-1.00", memo="x", user=users["collector"])
    billing = esc.escalation_create(account=account, kind="billing_discrepancy", reason="x", due_on=_due(),
                                    owner=users["supervisor"], user=users["collector"])
    for bad in ("0", "1.005", "abc", "1000000"):
        with pytest.raises(ValidationError):
            esc.discrepancy_adjustment_propose(escalation=billing, amount=bad, memo="x", user=users["collector"])
