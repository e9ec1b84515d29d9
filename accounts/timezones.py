"""The IANA time zones a debtor may be in, derived offline from ZIP codes and phone numbers.

Reg F 1006.6(b)(1) and comment 6(b)(1)(i): when the collector's information points to more than
one zone, a contact must be convenient in all of them. These helpers only derive candidates;
the compliance gate decides.
"""

from functools import lru_cache
from zoneinfo import available_timezones

import phonenumbers
import zipcodes
from phonenumbers import timezone as phone_timezone

# A number that maps to more zones than this is non-geographic (toll-free, some VoIP ranges):
# it says nothing about where the debtor is, so the address zone is used instead.
MAX_ZONES_FOR_GEOGRAPHIC_NUMBER = 2


@lru_cache(maxsize=1)
def _valid_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def is_valid_zone(name: str) -> bool:
    return name in _valid_zones()


@lru_cache(maxsize=50_000)
def zone_for_zip(zip_code: str) -> str | None:
    """IANA zone of a US ZIP (5 digits or ZIP+4), or None if unknown."""
    five = (zip_code or "").strip()[:5]
    if len(five) != 5 or not five.isdigit():
        return None
    try:
        matches = zipcodes.matching(five)
    except (ValueError, TypeError):
        return None
    zone = matches[0].get("timezone") if matches else None
    return zone if zone and is_valid_zone(zone) else None


def normalize_phone(raw: str, region: str = "US") -> str | None:
    """E.164 form of a phone number, or None if it is not a valid number."""
    try:
        parsed = phonenumbers.parse(raw or "", region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


@lru_cache(maxsize=50_000)
def zones_for_phone(number: str) -> tuple[str, ...]:
    """IANA zones of a phone number's area code; () for toll-free / non-geographic numbers."""
    try:
        parsed = phonenumbers.parse(number or "", "US")
    except phonenumbers.NumberParseException:
        return ()
    if phonenumbers.number_type(parsed) in (phonenumbers.PhoneNumberType.TOLL_FREE,
                                             phonenumbers.PhoneNumberType.PREMIUM_RATE):
        return ()
    zones = tuple(z for z in phone_timezone.time_zones_for_number(parsed) if is_valid_zone(z))
    if not zones or len(zones) > MAX_ZONES_FOR_GEOGRAPHIC_NUMBER:
        return ()
    return zones


def candidate_zones(*, address_zones, phone_zones, stated_zone: str = "") -> list[str]:
    """Every zone the debtor may be in; a location the debtor stated replaces the rest."""
    if stated_zone and is_valid_zone(stated_zone):
        return [stated_zone]
    seen: dict[str, None] = {}
    for zone in [*address_zones, *(z for zones in phone_zones for z in zones)]:
        if zone and is_valid_zone(zone):
            seen.setdefault(zone)
    return list(seen)
