"""Complaints (issue 13, part 3): a response deadline by source (CFPB portal: 15 days), a legal hold while
open, tracked to a response; open and overdue counts for the supervisor's dashboard."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from compliance.models import Complaint, LegalHold
from compliance.services import (
    complaint_close,
    complaint_counts,
    complaint_investigate,
    complaint_record,
    complaint_respond,
)
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db
RECEIVED = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)


def test_cfpb_portal_complaint_is_due_in_15_days_and_others_in_30(users):
    account = AccountFactory()
    cfpb = complaint_record(account=account, source="cfpb_portal", description="Calls at work", reference="260302-1",
                            user=users["compliance"], received_at=RECEIVED)
    debtor = complaint_record(account=account, source="debtor", description="Rude collector",
                              user=users["compliance"], received_at=RECEIVED)
    assert cfpb.due_at == RECEIVED + timedelta(days=15)
    assert debtor.due_at == RECEIVED + timedelta(days=30)
    with pytest.raises(ValidationError, match="15 days"):
        complaint_record(account=account, source="cfpb_portal", description="x", user=users["compliance"],
                         received_at=RECEIVED, due_at=RECEIVED + timedelta(days=20))
    with pytest.raises(ValidationError) as err:
        complaint_record(account=account, source="regulator", description="", user=users["compliance"])
    assert set(err.value.message_dict) == {"regulator", "description"}


def test_complaint_counts_open_and_overdue(users):
    account = AccountFactory()
    now = timezone.now()
    overdue = complaint_record(account=account, source="cfpb_portal", description="a", user=users["compliance"],
                               received_at=now - timedelta(days=16))
    complaint_record(account=account, source="cfpb_portal", description="b", user=users["compliance"],
                     received_at=now - timedelta(days=14))
    answered = complaint_record(account=account, source="regulator", regulator="GA Attorney General",
                                description="c", user=users["compliance"], received_at=now - timedelta(days=40))
    assert complaint_counts(now=now) == {"open": 3, "overdue": 2}
    assert overdue.is_overdue(now)
    complaint_respond(complaint=answered, response="Letter sent with account history", user=users["compliance"])
    assert answered.responded_late
    assert complaint_counts(now=now) == {"open": 2, "overdue": 1}
    # exactly at the deadline it is not yet overdue
    assert complaint_counts(now=overdue.due_at) == {"open": 2, "overdue": 0}


def test_complaint_is_held_until_closed_and_every_step_moves_by_the_table(users):
    account = AccountFactory()
    complaint = complaint_record(account=account, source="debtor", description="Letter had wrong balance",
                                 user=users["compliance"])
    hold = LegalHold.objects.get(pk=complaint.legal_hold_id)
    assert hold.kind == "complaint" and hold.account_id == account.pk
    with pytest.raises(ValidationError, match="cannot move from 'open' to 'closed'"):
        complaint_close(complaint=complaint, user=users["compliance"])
    complaint_investigate(complaint=complaint, user=users["compliance"])
    with pytest.raises(ValidationError, match="Write the response"):
        complaint_respond(complaint=complaint, response=" ", user=users["compliance"])
    complaint_respond(complaint=complaint, response="Corrected the balance", user=users["compliance"])
    complaint_close(complaint=complaint, user=users["compliance"])
    complaint.refresh_from_db()
    hold.refresh_from_db()
    assert complaint.status == "closed" and not complaint.responded_late and hold.released_at is not None
    assert Complaint.objects.filter(status__in=["open", "investigating"]).count() == 0
