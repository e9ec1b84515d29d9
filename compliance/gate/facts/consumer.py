"""``consumer_facts``: the debtor, their zones and contact points (COMPLIANCE.md §3 "Consumer")."""

from __future__ import annotations

from accounts import timezones
from accounts.models import Debtor, Phone
from accounts.models.parties import ContactStatus
from compliance.models import TcpaConsent

from .common import consumer_id, iso

LINE_TYPES = {Phone.Type.CELL: "cell", Phone.Type.HOME: "landline_residential", Phone.Type.WORK: "landline_business",
              Phone.Type.VOIP: "voip", Phone.Type.OTHER: "unknown"}

__all__ = ["consumer_facts", "consumer_id", "tcpa_consents"]


def _phones(phones, consents) -> tuple[list[dict], list[str]]:
    """Phone facts, plus the zones a phone covers beyond its first (multi-zone area codes)."""
    by_phone: dict[int, list[TcpaConsent]] = {}
    for consent in consents:
        by_phone.setdefault(consent.phone_id, []).append(consent)
    facts, extra = [], []
    for phone in phones:
        zones = [z for z in phone.time_zones or timezones.zones_for_phone(phone.number) if timezones.is_valid_zone(z)]
        records = by_phone.get(phone.pk, [])
        active = [c for c in records if c.revoked_at is None]
        revoked = [c.revoked_at for c in records if c.revoked_at] or ([phone.tcpa_revoked_at] if phone.tcpa_revoked_at
                                                                      else [])
        facts.append({
            "number": phone.number,
            "area_code": phone.number[2:5] if phone.number.startswith("+1") else "",
            "area_code_timezone": zones[0] if zones else None,
            "line_type": LINE_TYPES.get(phone.phone_type, "unknown"),
            "is_workplace": phone.is_workplace or phone.phone_type == Phone.Type.WORK,
            "status": phone.status,
            # where the number came from (consumer, creditor, skip_trace_vendor, ...): TCPA-01 reads it
            "number_source": phone.source or None,
            "tcpa_prior_express_consent": bool(active) or (phone.tcpa_consent and not phone.tcpa_revoked_at),
            "tcpa_consent_source": active[0].source if active else (phone.tcpa_consent_source or None),
            "tcpa_consent_revoked_at": None if active else iso(max(revoked) if revoked else None),
        })
        extra.extend(zones[1:])
    return facts, extra


def _emails(emails) -> list[dict]:
    return [{
        "address": e.address,
        "is_work_email": e.is_work_email,
        "status": e.status,
        "acquired_via": "consumer_emailed_collector" if e.consumer_emailed_from_at else "creditor",
        "consumer_emailed_collector_from_this_address_at": iso(e.consumer_emailed_from_at),
        "consumer_consented_to_electronic_comms_at": iso(e.consent_at),
    } for e in emails]


def tcpa_consents(*, debtor_ids) -> list[TcpaConsent]:
    """TCPA consents on the phones of ``debtor_ids``, newest first (ties: highest id first)."""
    return list(TcpaConsent.objects.filter(phone__debtor_id__in=debtor_ids).order_by("-given_at", "-id"))


def _usable(rows) -> list:
    # in id order, so the "first" address or phone never depends on the order the database returned them
    return sorted((r for r in rows if r.status != ContactStatus.WRONG), key=lambda r: r.pk)


def consumer_facts(*, debtor: Debtor, consents: list[TcpaConsent] | None = None, contact_points: dict | None = None
                   ) -> dict:
    """Identity, kind (person or company), location, zones, phones and emails of ``debtor``.

    Every zone the debtor may be in is checked (comment 6(b)(1)(i)-1): further address zones
    and the second zones of multi-zone area codes go in as zone-only phone entries. ``consents``
    (the debtor's TCPA consents, as ``tcpa_consents`` reads them) and ``contact_points``
    (``{"addresses", "phones", "emails"}``, the debtor's rows) let a batch pass rows it read for many
    debtors at once; by default they are read here.
    """
    points = contact_points or {"addresses": debtor.addresses.all(), "phones": debtor.phones.all(),
                                "emails": debtor.emails.all()}
    addresses = _usable(points["addresses"])
    phones = _usable(points["phones"])
    emails = _usable(points["emails"])
    primary = next((a for a in addresses if a.is_primary), addresses[0] if addresses else None)
    address_zones = [a.time_zone or timezones.zone_for_zip(a.zip) for a in addresses]
    home_zone = (primary.time_zone or timezones.zone_for_zip(primary.zip)) if primary else None
    if consents is None:
        consents = tcpa_consents(debtor_ids=[debtor.pk])
    phone_facts, extra_zones = _phones(phones, consents)
    if not home_zone:
        home_zone = next((p["area_code_timezone"] for p in phone_facts if p["area_code_timezone"]), None)
    extra_zones += [z for z in address_zones if z and z != home_zone]
    phone_facts += [{"number": None, "area_code_timezone": z, "line_type": "zone_only"}
                    for z in dict.fromkeys(extra_zones)]
    return {
        "id": consumer_id(debtor),
        "kind": "company" if debtor.debtor_type == Debtor.Type.BUSINESS else "person",
        "name": debtor.display_name,
        "date_of_birth": iso(debtor.date_of_birth),
        "state": primary.state if primary else "",
        "city": primary.city if primary else "",
        "zip": primary.zip if primary else "",
        "address_timezone": home_zone,
        "current_location_timezone_stated_by_consumer": debtor.stated_time_zone or None,
        # 15 USC 1692b: location calls are only for a consumer whose place of abode is unknown; an
        # address whose mail came back (or that is wrong) does not locate the consumer.
        "location_known": any(a.status == ContactStatus.ACTIVE for a in addresses),
        "phones": phone_facts,
        "emails": _emails(emails),
    }
