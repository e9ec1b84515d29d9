"""The viewer's zone changes what a page shows, never a date of record: with a New York user's zone active
(as UserPreferencesMiddleware makes it for the whole request), a payment received at 01:30 UTC is posted on
the site's (UTC) day, as a worker posts it."""

from datetime import UTC, date, datetime

import pytest
from django.utils import timezone

from accounts.dates import record_date
from accounts.models import LedgerEntry
from payments.services import payment_post
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db

RECEIVED = datetime(2026, 3, 2, 1, 30, tzinfo=UTC)  # 20:30 on March 1 in New York


def test_record_date_ignores_the_active_zone(settings):
    settings.TIME_ZONE = "UTC"
    with timezone.override("America/New_York"):
        assert timezone.localdate(RECEIVED) == date(2026, 3, 1)
        assert record_date(RECEIVED) == date(2026, 3, 2)


def test_a_payment_posted_under_a_new_york_users_zone_lands_on_the_sites_day(settings):
    settings.TIME_ZONE = "UTC"
    account = AccountFactory()
    with timezone.override("America/New_York"):
        payment, _ = payment_post(account=account, amount="25.00", method="check", received_at=RECEIVED,
                                  idempotency_key="record-day", source="posting")
    account.refresh_from_db()
    assert account.last_payment_date == date(2026, 3, 2)
    assert set(LedgerEntry.objects.filter(account=account).values_list("posted_date", flat=True)) == {date(2026, 3, 2)}
