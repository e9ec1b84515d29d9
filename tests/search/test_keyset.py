"""Keyset pages: newest first, every row exactly once, stable while rows are inserted, no full count."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import keyset
from accounts.keyset import keyset_page
from accounts.models import Account, AuditEvent
from accounts.selectors import account_list
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


def walk(queryset, *, field=None, size):
    seen, page = [], keyset_page(queryset, field=field, size=size)
    while True:
        seen += [row.pk for row in page]
        if not page.after:
            return seen
        page = keyset_page(queryset, field=field, after=page.after, size=size)


def test_pages_cover_every_account_once_newest_first():
    ids = [a.pk for a in AccountFactory.create_batch(23)]
    assert walk(account_list(), size=5) == sorted(ids, reverse=True)


def test_accounts_inserted_while_paging_do_not_shift_the_next_page():
    ids = [a.pk for a in AccountFactory.create_batch(12)]
    first = keyset_page(account_list(), size=5)
    AccountFactory.create_batch(7)  # new placements arrive between two clicks on "Older"
    second = keyset_page(account_list(), after=first.after, size=5)
    expected = sorted(ids, reverse=True)
    assert [a.pk for a in first] == expected[:5] and [a.pk for a in second] == expected[5:10]


def test_newer_goes_back_to_the_page_before():
    AccountFactory.create_batch(12)
    first = keyset_page(account_list(), size=5)
    second = keyset_page(account_list(), after=first.after, size=5)
    back = keyset_page(account_list(), before=second.before, size=5)
    assert [a.pk for a in back] == [a.pk for a in first]
    assert back.before is None and back.after == first.after


def test_filters_page_within_the_filtered_rows():
    AccountFactory.create_batch(4, status="hold")
    AccountFactory.create_batch(6, status="active")
    assert len(walk(account_list(status="hold"), size=3)) == 4


def test_events_with_the_same_timestamp_are_each_shown_once():
    at = timezone.now()
    events = [AuditEvent.objects.create(action="view", object_type="t", at=at - timedelta(seconds=i // 4))
              for i in range(13)]
    assert walk(AuditEvent.objects.all(), field="at", size=3) == [
        e.pk for e in sorted(events, key=lambda e: (e.at, e.pk), reverse=True)]


def test_count_is_capped_instead_of_counting_everything(monkeypatch):
    monkeypatch.setattr(keyset, "COUNT_CAP", 5)
    AccountFactory.create_batch(8)
    page = keyset_page(account_list(), size=3, count=True)
    assert page.count == 6 and page.count_display == "more than 5"
    assert keyset_page(account_list(status="hold"), size=3, count=True).count_display == "0"


@pytest.mark.parametrize("cursor", ["nonsense", "2024-13-45~x", ""])
def test_a_mangled_cursor_starts_from_the_newest(cursor):
    AccountFactory.create_batch(3)
    assert len(keyset_page(account_list(), after=cursor, size=5)) == 3
    assert len(keyset_page(AuditEvent.objects.all(), field="at", after=cursor, size=5)) == 0


def test_account_list_page_links_to_older_and_newer_pages(client_for):
    AccountFactory.create_batch(30)
    client = client_for("collector")
    first = client.get(reverse("accounts:list"), {"status": "new"})
    page = first.context["page"]
    assert page.next_url.startswith("?status=new&after=") and "30 accounts" in first.content.decode()
    second = client.get(reverse("accounts:list") + page.next_url)
    assert len(second.context["page"]) == 5 and second.context["page"].previous_url
    newest = Account.objects.order_by("-pk").first().creditor_account_number
    assert newest in first.content.decode() and newest not in second.content.decode()


def test_audit_log_pages_by_keyset(client_for):
    at = timezone.now()
    for i in range(55):
        AuditEvent.objects.create(action="view", object_type="accounts.Account", object_id=str(i),
                                  summary="paging test", at=at - timedelta(minutes=i))
    client = client_for("compliance")
    first = client.get(reverse("compliance:audit"))
    older = client.get(reverse("compliance:audit") + first.context["page"].next_url)
    ids = [e.object_id for page in (first, older) for e in page.context["page"] if e.summary == "paging test"]
    assert ids == [str(i) for i in range(55)]  # reading the log audits itself: newer rows, never a shift
