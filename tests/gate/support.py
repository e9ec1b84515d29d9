"""Shared set-up for gate tests: a debtor in Atlanta (America/New_York) with one account."""

from datetime import date, datetime
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
