"""Legal holds: placed and released with an audit trail; open disputes and bankruptcies count as holds."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import AuditEvent
from compliance.models import Bankruptcy, Dispute, LegalHold
from compliance.services.holds import account_holds, active_hold_account_ids, place_hold, release_hold
from tests.factories import AccountFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_place_and_release_are_audited_and_change_the_held_set():
    user = UserFactory(roles=["compliance"])
    a, b = AccountFactory(), AccountFactory()
    hold = place_hold(a, "suit", "Suit filed in county court", ref="CV-2026-1", user=user)
    assert active_hold_account_ids() == {a.pk}
    assert active_hold_account_ids([b.pk]) == set()
    assert active_hold_account_ids([]) == set()
    release_hold(hold, user=user)
    hold.refresh_from_db()
    assert hold.released_at is not None and hold.released_by == user
    assert active_hold_account_ids() == set()
    events = AuditEvent.objects.filter(object_type="compliance.LegalHold", object_id=str(hold.pk))
    assert sorted(events.values_list("action", flat=True)) == ["create", "update"]
    with pytest.raises(ValidationError):
        release_hold(hold, user=user)
    assert LegalHold.objects.count() == 1


def test_bad_kind_and_empty_reason_are_refused():
    a = AccountFactory()
    with pytest.raises(ValidationError):
        place_hold(a, "vacation", "x")
    with pytest.raises(ValidationError):
        place_hold(a, "suit", "  ")


def test_open_disputes_and_active_bankruptcies_count_without_a_hold_row():
    disputed, resolved, bk_account, bk_debtor_other, free = (AccountFactory() for _ in range(5))
    Dispute.objects.create(account=disputed, method="oral", received_at=timezone.now())
    Dispute.objects.create(account=resolved, method="oral", received_at=timezone.now(), status="resolved")
    Bankruptcy.objects.create(debtor=bk_account.debtor, account=bk_account, chapter=7, case_number="1",
                              filed_on=date(2026, 1, 1))
    other = AccountFactory(debtor=bk_debtor_other.debtor)
    Bankruptcy.objects.create(debtor=bk_debtor_other.debtor, chapter=13, case_number="2", filed_on=date(2026, 1, 1))
    Bankruptcy.objects.create(debtor=free.debtor, chapter=7, case_number="3", filed_on=date(2020, 1, 1),
                              ended_at=timezone.now())
    assert active_hold_account_ids() == {disputed.pk, bk_account.pk, bk_debtor_other.pk, other.pk}
    assert active_hold_account_ids([resolved.pk, free.pk, other.pk]) == {other.pk}
    assert [h["source"] for h in account_holds(disputed)] == ["dispute"]
    assert [h["source"] for h in account_holds(other)] == ["bankruptcy"]
