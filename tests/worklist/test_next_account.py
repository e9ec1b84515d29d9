"""Next account: leases, the disposition rule, the gate passing accounts over, callbacks, expiry."""

from datetime import timedelta

import pytest

from accounts.models.parties import ContactStatus
from collections_app.models import Callback, Disposition, WorkItem
from collections_app.worklist.dispositions import disposition_record, skip
from collections_app.worklist.leasing import StillHolding, next_account, worklist_sweep
from collections_app.worklist.queues import work_item_hold_clear
from collections_app.worklist.rescoring import reprioritize_all
from compliance.gate import contact_targets
from compliance.models import ContactAttempt

from .support import NOW, collector, debt, team_with_queue

pytestmark = pytest.mark.django_db


@pytest.fixture
def floor():
    team, queue = team_with_queue()
    return team, queue, collector(team, "ann"), collector(team, "bob")


def test_next_gives_the_best_account_and_a_second_collector_the_next_one(floor):
    _, _, ann, bob = floor
    small, big = debt(balance="100.00"), debt(balance="9000.00")
    reprioritize_all(now=NOW)
    first = next_account(user=ann, now=NOW)
    second = next_account(user=bob, now=NOW)
    assert first.account.pk == big.pk and second.account.pk == small.pk
    assert first.expires_at == NOW + timedelta(minutes=15)
    assert next_account(user=collector(floor[0]), now=NOW) is None


def test_a_disposition_is_required_before_the_next_account(floor):
    _, _, ann, _ = floor
    debt(), debt()
    reprioritize_all(now=NOW)
    lease = next_account(user=ann, now=NOW)
    with pytest.raises(StillHolding) as held:
        next_account(user=ann, now=NOW)
    assert held.value.item.account_id == lease.account.pk
    disposition_record(account=lease.account, user=ann, code="no_answer", now=NOW)
    attempt = ContactAttempt.objects.get(account=lease.account)
    assert attempt.outcome == "no_answer" and attempt.status == "allowed"
    item = WorkItem.objects.get(pk=lease.account.pk)
    assert item.leased_by is None and not item.ready and item.next_contact_at == NOW + timedelta(hours=4)
    assert next_account(user=ann, now=NOW).account.pk != lease.account.pk


def test_the_gate_passes_over_a_debtor_at_night_and_brings_them_back_at_8am(floor):
    _, _, ann, _ = floor
    honolulu = debt(zone="Pacific/Honolulu", balance="99999.00")  # 05:00 in Honolulu at NOW
    ny = debt(balance="10.00")
    reprioritize_all(now=NOW)
    lease = next_account(user=ann, now=NOW)
    assert lease.account.pk == ny.pk
    item = WorkItem.objects.get(pk=honolulu.pk)
    assert not item.ready and item.wait_reason.startswith("gate:")
    eight_am_honolulu = NOW.replace(hour=18)  # 08:00 HST
    assert item.next_contact_at == eight_am_honolulu
    assert worklist_sweep(now=eight_am_honolulu - timedelta(minutes=1))["woken"] == 0
    assert worklist_sweep(now=eight_am_honolulu)["woken"] == 1
    disposition_record(account=lease.account, user=ann, code="busy", now=eight_am_honolulu)
    assert next_account(user=ann, now=eight_am_honolulu).account.pk == honolulu.pk


def test_a_callback_comes_first_at_its_time_to_the_collector_who_set_it(floor):
    _, _, ann, bob = floor
    asked, other = debt(balance="50.00"), debt(balance="5000.00")
    reprioritize_all(now=NOW)
    lease = next_account(user=ann, now=NOW)
    assert lease.account.pk == other.pk
    disposition_record(account=lease.account, user=ann, code="no_answer", now=NOW)
    lease = next_account(user=ann, now=NOW)
    assert lease.account.pk == asked.pk
    due = NOW + timedelta(hours=2)
    disposition_record(account=lease.account, user=ann, code="callback", data={"callback_at": due}, now=NOW)
    assert next_account(user=bob, now=due) is None or next_account(user=bob, now=due).account.pk != asked.pk
    before = next_account(user=ann, now=due - timedelta(minutes=1))
    assert before is None or before.account.pk != asked.pk
    if before:
        disposition_record(account=before.account, user=ann, code="busy", now=due - timedelta(minutes=1))
    lease = next_account(user=ann, now=due)
    assert lease.account.pk == asked.pk and lease.callback is not None
    disposition_record(account=lease.account, user=ann, code="right_party", now=due)
    assert Callback.objects.get(account=asked).done_at == due
    assert WorkItem.objects.get(pk=asked.pk).owner is None


def test_leases_expire_and_the_sweep_frees_them(floor):
    _, _, ann, bob = floor
    only = debt()
    reprioritize_all(now=NOW)
    next_account(user=ann, now=NOW)
    assert next_account(user=bob, now=NOW) is None
    later = NOW + timedelta(minutes=16)
    assert worklist_sweep(now=later)["leases_expired"] == 1
    assert next_account(user=bob, now=later).account.pk == only.pk


def test_skip_releases_with_a_reason(floor):
    _, _, ann, bob = floor
    account = debt()
    reprioritize_all(now=NOW)
    next_account(user=ann, now=NOW)
    with pytest.raises(Exception, match="say why"):
        skip(user=ann, reason=" ", now=NOW)
    skip(user=ann, reason="debtor in hospital, try next week", now=NOW)
    assert Disposition.objects.get(code="skipped").notes.startswith("debtor in hospital")
    assert next_account(user=bob, now=NOW) is None  # it rests a quarter of an hour
    later = NOW + timedelta(minutes=15)
    worklist_sweep(now=later)
    assert next_account(user=bob, now=later).account.pk == account.pk


def test_wrong_number_marks_the_phone_and_the_gate_no_longer_offers_it(floor):
    _, _, ann, _ = floor
    account = debt()
    reprioritize_all(now=NOW)
    lease = next_account(user=ann, now=NOW)
    disposition_record(account=lease.account, user=ann, code="wrong_number", now=NOW)
    phone = account.debtor.phones.get()
    assert phone.status == ContactStatus.WRONG
    assert contact_targets(account=account, channel="call") == []  # the gate no longer offers the number
    later = NOW + timedelta(hours=2)
    worklist_sweep(now=later)
    # a letter can still go to the address, so the account stays workable (without a call button)
    assert next_account(user=ann, now=later).account.pk == account.pk


def test_escalation_takes_the_account_off_the_list(floor):
    _, _, ann, bob = floor
    account = debt()
    reprioritize_all(now=NOW)
    lease = next_account(user=ann, now=NOW)
    with pytest.raises(Exception, match="escalation"):
        disposition_record(account=lease.account, user=ann, code="escalate", data={}, now=NOW)
    disposition_record(account=lease.account, user=ann, code="escalate", data={"escalation": "fraud"}, now=NOW)
    reprioritize_all(now=NOW + timedelta(days=1))
    item = WorkItem.objects.get(pk=account.pk)
    assert item.hold_reason == "escalated: fraud" and not item.ready
    work_item_hold_clear(account_ids=[account.pk])
    assert WorkItem.objects.get(pk=account.pk).hold_reason == ""


def test_a_dispute_or_a_consent_change_asks_the_worklist_to_forget_the_gates_stored_time(
        floor, monkeypatch, django_capture_on_commit_callbacks):
    """Anything the gate reads that changes sends the rescoring task (which clears the stored lawful
    time), once the change commits: a dispute recorded and resolved, a direct consent given and
    withdrawn, a TCPA consent recorded."""
    from celery import current_app

    from compliance.models import DirectPriorConsent, Dispute
    from compliance.services import (
        direct_consent_record,
        direct_consent_revoke,
        dispute_record,
        dispute_status_change,
        tcpa_consent_record,
    )

    sent = []
    monkeypatch.setattr(current_app, "send_task", lambda name, args: sent.append((name, tuple(args))))
    _, _, ann, _ = floor
    account = debt()
    task = "collections_app.tasks.rescore_account"
    with django_capture_on_commit_callbacks(execute=True):
        dispute = dispute_record(account=account, method=Dispute.Method.WRITTEN_MAIL, received_at=NOW, user=ann)
    with django_capture_on_commit_callbacks(execute=True):
        dispute_status_change(dispute=dispute, to_status="verification_sent", user=ann)
    with django_capture_on_commit_callbacks(execute=True):
        consent = direct_consent_record(debtor=account.debtor, account=account, scope=DirectPriorConsent.Scope.CALLS,
                                        given_at=NOW, user=ann)
    with django_capture_on_commit_callbacks(execute=True):
        direct_consent_revoke(consent=consent, user=ann)
    with django_capture_on_commit_callbacks(execute=True):
        tcpa_consent_record(phone=account.debtor.phones.get(), source="consumer_statement", scope="all", given_at=NOW,
                            user=ann)
    assert sent == [(task, (account.pk,))] * 5


@pytest.mark.parametrize("kind", ["management", "fraud", "legal", "complaint"])
def test_an_escalate_disposition_leaves_a_record_with_an_owner_and_a_deadline(floor, kind):
    from collections_app.models.escalations import Escalation
    from compliance.models import Complaint, FraudClaim

    _, _, ann, _ = floor
    account = debt()
    reprioritize_all(now=NOW)
    lease = next_account(user=ann, now=NOW)
    disposition_record(account=lease.account, user=ann, code="escalate", data={"escalation": kind},
                       notes="Debtor says the card was stolen", now=NOW)
    if kind == "complaint":
        complaint = Complaint.objects.get(account=account)
        assert complaint.source == "debtor" and complaint.due_at > NOW
        assert not Escalation.objects.filter(account=account).exists()
        return
    escalation = Escalation.objects.get(account=account)
    assert escalation.kind == ("fraud" if kind == "fraud" else "management")
    assert escalation.owner is not None and escalation.due_on > NOW.date()
    assert "card was stolen" in escalation.reason
    assert FraudClaim.objects.filter(account=account).exists() == (kind == "fraud")
    assert WorkItem.objects.get(pk=account.pk).hold_reason.startswith("escalat")


def test_a_state_policy_edit_reaches_the_very_next_pop(floor):
    """The pop reads the policy table's digest with the collector's standing: an edit made after
    today's policy was built and cached is what the very next pop's gate decides with."""
    from datetime import UTC, datetime, time

    from compliance.models import StatePolicy
    from tests.gate.support import state_policy_seeded

    state_policy_seeded()
    _, _, ann, bob = floor
    first, second = debt(balance="900.00"), debt(balance="800.00")  # New York: 11:00 at NOW
    reprioritize_all(now=NOW)
    assert next_account(user=ann, now=NOW).account.pk == first.pk
    assert StatePolicy.objects.filter(state="US", city="").update(allowed_start=time(12, 0)) == 1
    assert next_account(user=bob, now=NOW) is None
    item = WorkItem.objects.get(pk=second.pk)
    assert not item.ready and item.next_contact_at == datetime(2026, 3, 10, 16, 0, tzinfo=UTC)


@pytest.mark.skipif(__import__("django.db").db.connection.vendor != "postgresql",
                    reason="the folded statements are PostgreSQL's")
def test_a_pop_of_an_account_without_history_is_five_statements(floor, django_assert_num_queries):
    """Standing (with the policy digest), the pop (with the account, debtor and creditor), which
    tables hold rows for the account, its phones and its addresses: nothing else for a fresh account."""
    _, _, ann, _ = floor
    fresh = debt()
    reprioritize_all(now=NOW)
    next_account(user=ann, now=NOW - timedelta(minutes=1))  # prepares the statements on this connection
    skip(user=ann, reason="warm-up", now=NOW - timedelta(minutes=1))
    WorkItem.objects.filter(pk=fresh.pk).update(ready=True, next_contact_at=None, wait_reason="")
    with django_assert_num_queries(5):
        lease = next_account(user=ann, now=NOW)
    assert lease.account.pk == fresh.pk and lease.account.debtor.pk == fresh.debtor_id
    assert lease.account.creditor.pk == fresh.creditor_id and lease.item.leased_by_id == ann.pk
