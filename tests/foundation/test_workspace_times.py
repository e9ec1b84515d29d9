from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from tests.factories import AccountFactory, AddressFactory, DebtorFactory

pytestmark = pytest.mark.django_db


def test_workspace_shows_the_debtors_local_time_not_utc(client_for):
    debtor = DebtorFactory()
    AddressFactory(debtor=debtor, city="Honolulu", state="HI", zip="96813", time_zone="Pacific/Honolulu")
    account = AccountFactory(debtor=debtor)
    before = datetime.now(UTC)
    html = client_for("collector").get(reverse("account-workspace", args=[account.pk])).content.decode()
    after = datetime.now(UTC) + timedelta(seconds=1)
    shown = {t.astimezone(ZoneInfo("Pacific/Honolulu")).strftime("%a %H:%M HST") for t in (before, after)}
    assert any(s in html for s in shown), shown
