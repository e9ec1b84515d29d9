from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from accounts import timezones
from accounts.selectors import debtor_zones
from tests.factories import AddressFactory, DebtorFactory, PhoneFactory


@pytest.mark.parametrize("zip_code, zone", [
    ("30303", "America/New_York"), ("60601", "America/Chicago"), ("80202", "America/Denver"),
    ("85004", "America/Phoenix"), ("90012", "America/Los_Angeles"), ("99501", "America/Anchorage"),
    ("96813", "Pacific/Honolulu"), ("30303-1234", "America/New_York"),
])
def test_zip_maps_to_its_iana_zone(zip_code, zone):
    assert timezones.zone_for_zip(zip_code) == zone


@pytest.mark.parametrize("bad", ["", "0000", "ABCDE", "00000"])
def test_unknown_zip_has_no_zone(bad):
    assert timezones.zone_for_zip(bad) is None


def test_arizona_keeps_standard_time_in_summer():
    zone = ZoneInfo(timezones.zone_for_zip("85004"))
    july, january = datetime(2025, 7, 1, 15, tzinfo=UTC), datetime(2025, 1, 1, 15, tzinfo=UTC)
    assert july.astimezone(zone).hour == january.astimezone(zone).hour == 8


def test_phone_area_code_zone():
    assert timezones.zones_for_phone("+14045550101") == ("America/New_York",)
    assert timezones.zones_for_phone("+18085550101") == ("Pacific/Honolulu",)


def test_toll_free_number_has_no_zone():
    assert timezones.zones_for_phone("+18005551212") == ()


def test_normalize_phone_accepts_us_formats():
    assert timezones.normalize_phone("(404) 555-0101") == "+14045550101"
    assert timezones.normalize_phone("not a phone") is None


@pytest.mark.django_db
def test_debtor_with_pacific_cell_and_eastern_address_has_both_zones():
    debtor = DebtorFactory()
    AddressFactory(debtor=debtor)  # Atlanta, America/New_York
    PhoneFactory(debtor=debtor, number="+12135550101", time_zones=list(timezones.zones_for_phone("+12135550101")))
    assert debtor_zones(debtor=debtor) == ["America/New_York", "America/Los_Angeles"]


@pytest.mark.django_db
def test_stated_location_replaces_every_other_zone():
    debtor = DebtorFactory(stated_time_zone="America/Chicago")
    AddressFactory(debtor=debtor)
    assert debtor_zones(debtor=debtor) == ["America/Chicago"]
