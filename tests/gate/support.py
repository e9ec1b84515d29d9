"""Shared set-up for gate tests: a debtor in Atlanta (America/New_York) with one account."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from compliance.models import ValidationNotice
from tests.factories import AccountFactory, AddressFactory, DebtorFactory, EmailFactory, PhoneFactory

NY = ZoneInfo("America/New_York")
PHONE = "+14045550101"


def at(y, m, d, hh=14, mm=0, zone=NY) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=zone)


def atlanta_account(*, notice_on: date | None = date(2025, 6, 2), **account_kwargs):
    debtor = DebtorFactory(first_name="Pat", last_name="Doe")
    AddressFactory(debtor=debtor)
    PhoneFactory(debtor=debtor, number=PHONE, time_zones=["America/New_York"])
    EmailFactory(debtor=debtor, address="pat.doe@example.com")
    account = AccountFactory(debtor=debtor, **account_kwargs)
    if notice_on:
        ValidationNotice.objects.create(account=account, sent_on=notice_on, method="mail", addressee="Pat Doe")
    return account


# One zone per few hours of offset around the globe, so at any instant some zone is inside and
# some is outside any local-hour range a test needs.
ZONES_AROUND_THE_WORLD = [
    "Pacific/Honolulu", "America/Anchorage", "America/Los_Angeles", "America/Denver", "America/Chicago",
    "America/New_York", "America/Sao_Paulo", "Atlantic/Cape_Verde", "Europe/London", "Europe/Berlin",
    "Europe/Moscow", "Asia/Dubai", "Asia/Karachi", "Asia/Dhaka", "Asia/Bangkok", "Asia/Shanghai", "Asia/Tokyo",
    "Australia/Brisbane", "Pacific/Noumea", "Pacific/Auckland",
]


def zone_where_local_hour(hours: range, *, margin_minutes: int = 20) -> str:
    """A zone whose local time now is inside ``hours`` and at least ``margin_minutes`` from its edges."""
    now = datetime.now(UTC)
    for name in ZONES_AROUND_THE_WORLD:
        local = now.astimezone(ZoneInfo(name))
        minutes = local.hour * 60 + local.minute
        if hours.start * 60 + margin_minutes <= minutes <= (hours.stop * 60) - margin_minutes:
            return name
    raise AssertionError(f"no zone with local hour in {hours}")


def account_in_zone(zone: str, *, number: str = PHONE):
    """A debtor whose only candidate zone is ``zone`` (address and phone)."""
    debtor = DebtorFactory(first_name="Robin", last_name="Zone")
    AddressFactory(debtor=debtor, time_zone=zone)
    PhoneFactory(debtor=debtor, number=number, time_zones=[zone])
    EmailFactory(debtor=debtor, address="robin@example.com")
    return AccountFactory(debtor=debtor)


def state_policy_seeded() -> None:
    """The state policy table as migration compliance/0003 seeds it: a test that flushed the database
    (TransactionTestCase, a live server) leaves it empty for the tests after it."""
    from compliance.models import StatePolicy
    from compliance.policy_table import split_policy
    from compliance.rules.state_policy import DEFAULT_POLICY

    for row in split_policy(DEFAULT_POLICY):
        StatePolicy.objects.get_or_create(state=row.pop("state"), city=row.pop("city"),
                                          effective_from=row.pop("effective_from"),
                                          defaults={**row, "notes": "Seeded from the engine defaults."})
