"""Build the engine's context ``{"id", "facts", "action"}`` for one account from stored records.

One query per related table, whatever the history size: the contact log is read for a bounded
window (CONTACT_HISTORY_DAYS) and the first communication by one aggregate.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Min, Q

from accounts import timezones
from accounts.models import Account, DebtType, Phone
from accounts.models.parties import ContactStatus
from compliance.models import (
    AttorneyRepresentation,
    Bankruptcy,
    CeaseRequest,
    ContactAttempt,
    DeceasedRecord,
    DirectPriorConsent,
    Dispute,
    DisputeStatus,
    DoNotCallNumber,
    InconvenientPlace,
    InconvenientTime,
    MediumOptOut,
    OriginalCreditorRequest,
    ServicememberRecord,
    TcpaConsent,
    ValidationNotice,
)
from compliance.models.logs import HAPPENED

# The longest look-back any contact rule needs is 30 days (TCPA 3-per-30 prerecorded calls,
# 47 CFR 64.1200(a)(3)(ii)); 90 days leaves room for state windows without reading years of log.
CONTACT_HISTORY_DAYS = 90
LINE_TYPES = {Phone.Type.CELL: "cell", Phone.Type.HOME: "landline_residential", Phone.Type.WORK: "landline_business",
              Phone.Type.VOIP: "voip", Phone.Type.OTHER: "unknown"}
COMMUNICATION_OUTCOMES = {"conversation", "sent", "delivered"}


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def consumer_id(debtor) -> str:
    return f"CON-{debtor.pk}"


def debt_id(account) -> str:
    return str(account.pk)


def _scoped(model, *, account, now):
    return (model.objects.active(now).filter(debtor_id=account.debtor_id)
            .filter(Q(account__isnull=True) | Q(account_id=account.pk)).order_by("created_at"))


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
            "tcpa_prior_express_consent": bool(active) or (phone.tcpa_consent and not phone.tcpa_revoked_at),
            "tcpa_consent_source": active[0].source if active else (phone.tcpa_consent_source or None),
            "tcpa_consent_revoked_at": None if active else _iso(max(revoked) if revoked else None),
        })
        extra.extend(zones[1:])
    return facts, extra


def _emails(emails) -> list[dict]:
    return [{
        "address": e.address,
        "is_work_email": e.is_work_email,
        "status": e.status,
        "acquired_via": "consumer_emailed_collector" if e.consumer_emailed_from_at else "creditor",
        "consumer_emailed_collector_from_this_address_at": _iso(e.consumer_emailed_from_at),
        "consumer_consented_to_electronic_comms_at": _iso(e.consent_at),
    } for e in emails]


def _outcome(attempt) -> str:
    if attempt.outcome or attempt.channel == "call":
        return attempt.outcome
    return "received" if attempt.direction == "inbound" else "sent"


def _history(attempts, debtor) -> list[dict]:
    return [{
        "at": a.requested_at.isoformat(),
        "channel": a.channel,
        "direction": a.direction,
        "recipient": "consumer",
        "recipient_person_id": consumer_id(debtor),
        "to_or_from": a.to,
        "debt_ids": a.debt_ids,
        "outcome": _outcome(a),
        "dialer": "manual_live_agent" if a.channel == "call" and a.direction == "outbound" else None,
        # the one same-medium reply to a consumer-initiated contact (state counts skip it)
        "responding_to_consumer_initiated_contact": a.responds_to_id is not None,
    } for a in attempts]


def _direct_consents(consents) -> list[dict]:
    """DirectPriorConsent rows in the shape compliance.rules.consent reads.

    All are "given directly by the consumer to the debt collector"; revoked ones stay in, with
    ``revoked_at``, because calls placed before the revocation remain excluded from 7-in-7.
    """
    return [{
        "id": f"DPC-{c.pk}",
        "type": c.scope,
        "given_at": _iso(c.given_at),
        "given_directly_by": "consumer",
        "to": "debt_collector",
        "channel": c.given_via,
        "debt_ids": [str(c.account_id)] if c.account_id else None,
        "revoked_at": _iso(c.revoked_at),
        "consented_at_local": _iso(c.consented_at),
        "start_local": c.window_start.strftime("%H:%M") if c.window_start else None,
        "end_local": c.window_end.strftime("%H:%M") if c.window_end else None,
        "timezone": c.time_zone or None,
        "days_of_week": c.days or None,
        "until": _iso(c.until),
        "statement": c.statement,
    } for c in consents]


def _initial_communication(account, notice) -> dict | None:
    """The earlier of the first validation notice and the first communication in the log."""
    # a conversation in either direction conveys information; a message the consumer sent us does not
    first = (ContactAttempt.objects.filter(account_id=account.pk, status__in=HAPPENED)
             .filter(Q(outcome__in=COMMUNICATION_OUTCOMES) | (~Q(channel="call") & Q(direction="outbound")))
             .aggregate(at=Min("requested_at"))["at"])
    if notice is not None and (first is None or notice.sent_on <= first.date()):
        return {"at": notice.sent_on.isoformat(), "channel": "call" if notice.method == "oral" else "letter",
                "validation_info_provided_orally": notice.method == "oral"}
    if first:
        return {"at": first.isoformat(), "channel": "call", "validation_info_provided_orally": False}
    return None


def build_context(*, account: Account, action: dict, now: datetime, exclude_attempt_id: int | None = None) -> dict:
    """The facts the gate knows about ``account``'s debtor at ``now``, and the proposed ``action``."""
    account = Account.objects.select_related("creditor", "debtor").get(pk=account.pk)
    debtor = account.debtor
    me = consumer_id(debtor)
    addresses = [a for a in debtor.addresses.all() if a.status != ContactStatus.WRONG]
    phones = [p for p in debtor.phones.all() if p.status != ContactStatus.WRONG]
    emails = [e for e in debtor.emails.all() if e.status != ContactStatus.WRONG]
    primary = next((a for a in addresses if a.is_primary), addresses[0] if addresses else None)
    address_zones = [a.time_zone or timezones.zone_for_zip(a.zip) for a in addresses]
    home_zone = (primary.time_zone or timezones.zone_for_zip(primary.zip)) if primary else None
    consents = list(TcpaConsent.objects.filter(phone__debtor_id=debtor.pk).order_by("-given_at"))
    phone_facts, extra_zones = _phones(phones, consents)
    if not home_zone:
        home_zone = next((p["area_code_timezone"] for p in phone_facts if p["area_code_timezone"]), None)
    extra_zones += [z for z in address_zones if z and z != home_zone]
    # The engine reads one address zone and one zone per phone: further candidate zones go in as
    # zone-only entries so that every zone the debtor may be in is checked (comment 6(b)(1)(i)-1).
    phone_facts += [{"number": None, "area_code_timezone": z, "line_type": "zone_only"}
                    for z in dict.fromkeys(extra_zones)]

    cease = list(_scoped(CeaseRequest, account=account, now=now))
    attorneys = list(_scoped(AttorneyRepresentation, account=account, now=now))
    bankruptcies = list(_scoped(Bankruptcy, account=account, now=now))
    deceased = list(_scoped(DeceasedRecord, account=account, now=now))
    servicemembers = list(_scoped(ServicememberRecord, account=account, now=now))
    dnc = list(_scoped(DoNotCallNumber, account=account, now=now))
    times = list(_scoped(InconvenientTime, account=account, now=now))
    places = list(_scoped(InconvenientPlace, account=account, now=now))
    opt_outs = list(_scoped(MediumOptOut, account=account, now=now))
    disputes = list(Dispute.objects.filter(account_id=account.pk))
    oc_requests = list(OriginalCreditorRequest.objects.filter(account_id=account.pk))
    notice = ValidationNotice.objects.filter(account_id=account.pk).order_by("-sent_on", "-id").first()
    attempts = (ContactAttempt.objects.filter(account_id=account.pk, status__in=HAPPENED,
                                              requested_at__gte=now - timedelta(days=CONTACT_HISTORY_DAYS),
                                              requested_at__lte=now)
                .exclude(pk=exclude_attempt_id).order_by("requested_at", "id"))
    direct_consents = (DirectPriorConsent.objects.for_account(account).filter(given_at__lte=now)
                       .filter(Q(revoked_at__isnull=True)
                               | Q(revoked_at__gt=now - timedelta(days=CONTACT_HISTORY_DAYS)))
                       .order_by("given_at", "id"))
    profile = getattr(settings, "COLLECTOR_PROFILE", {}) or {}
    death = deceased[-1] if deceased else None
    member = servicemembers[-1] if servicemembers else None
    lawyer = attorneys[-1] if attorneys else None
    bk = bankruptcies[-1] if bankruptcies else None

    consumer = {
        "id": me,
        "name": debtor.display_name,
        "state": primary.state if primary else "",
        "city": primary.city if primary else "",
        "zip": primary.zip if primary else "",
        "address_timezone": home_zone,
        "current_location_timezone_stated_by_consumer": debtor.stated_time_zone or None,
        "location_known": bool(primary),
        "deceased": death is not None,
        "date_of_death": _iso(death.date_of_death) if death else None,
        "phones": phone_facts,
        "emails": _emails(emails),
        "inconvenient_times": [{"days_of_week": t.days, "start_local": t.start.strftime("%H:%M"),
                                "end_local": t.end.strftime("%H:%M"), "timezone": t.time_zone,
                                "stated_at": _iso(t.stated_at), "method": t.method, "statement": t.statement}
                               for t in times],
        "inconvenient_places": [{"place": p.place, "stated_at": _iso(p.stated_at), "method": p.method,
                                 "statement": p.statement} for p in places],
        "workplace_contact_prohibited": False,
        "medium_opt_outs": [{"medium": o.medium, "address": o.address or None, "requested_at": _iso(o.requested_at),
                             "method": o.method, "statement": o.statement} for o in opt_outs]
        + [{"medium": "call", "address": d.number, "requested_at": _iso(d.requested_at), "method": d.method,
            "statement": d.statement or "Do not call this number"} for d in dnc],
        "direct_prior_consents": _direct_consents(direct_consents),
        "attorney": {"name": lawyer.name, "firm": lawyer.firm, "address": lawyer.address, "phone": lawyer.phone,
                     "email": lawyer.email, "known_since": _iso(lawyer.known_since), "debt_ids": lawyer.debt_ids(),
                     "consented_to_direct_contact_at": _iso(lawyer.consented_to_direct_contact_at),
                     "collector_letter_to_attorney_sent_at": None} if lawyer else None,
        "servicemember": {"status": member.status, "branch": member.branch,
                          "active_duty_start": _iso(member.active_duty_start),
                          "active_duty_end": _iso(member.active_duty_end),
                          "scra_written_notice_received_on": _iso(member.notice_received_on),
                          "copy_of_orders_received": member.orders_received} if member else None,
        "related_persons": [{"id": f"PR-{death.pk}", "name": death.personal_representative_name,
                             "relationship": "personal_representative", "is_personal_representative": True,
                             "verified": death.personal_representative_verified}]
        if death and death.personal_representative_name else [],
    }
    debt = {
        "id": debt_id(account),
        "type": account.debt_type,
        "current_creditor": account.creditor.name,
        "original_creditor": account.original_creditor or account.creditor.name,
        "balance": float(account.current_balance),
        "original_balance": float(account.itemization_balance) if account.itemization_balance is not None else None,
        "medical": account.debt_type == DebtType.MEDICAL,
        "consumer_debt": account.is_consumer_debt,
        "date_of_first_delinquency": _iso(account.date_of_first_delinquency),
        "statute_of_limitations_expires_on": None,
        "paid_in_full_on": None,
        "obligors": [me],
    }
    facts = {
        "now": now.isoformat(),
        "collector": {"type": "third_party_debt_collector", "name": profile.get("name", ""),
                      "accepts_disputes_and_notices_by_email": bool(profile.get("accepts_electronic_disputes"))},
        "consumer": consumer,
        "debts": [debt],
        "initial_communication": _initial_communication(account, notice),
        "validation_notice": {"provided_at": notice.sent_on.isoformat(), "method": notice.method,
                              "addressed_to": notice.addressee,
                              "stated_validation_period_end": _iso(notice.stated_end_date)} if notice else None,
        "disputes": [{"id": f"DSP-{d.pk}", "received_at": _iso(d.received_at), "method": d.method,
                      "postmarked_on": _iso(d.postmarked_on), "scope": d.scope, "debt_ids": [debt_id(account)],
                      "verification_or_judgment_sent_at": _iso(d.verification_sent_at),
                      # resolved without verification (withdrawn, account corrected): no longer pending
                      "withdrawn_at": _iso(d.resolved_at) if d.status == DisputeStatus.RESOLVED
                      and not d.verification_sent_at else None} for d in disputes],
        "original_creditor_requests": [{"received_at": _iso(r.received_at), "method": r.method,
                                        "provided_at": _iso(r.provided_at), "debt_ids": [debt_id(account)]}
                                       for r in oc_requests],
        "cease_notice": [{"received_at": _iso(c.received_at), "method": c.method, "type": c.kind,
                          "debt_ids": c.debt_ids()} for c in cease] or None,
        "bankruptcy": {"debtor_ids": [me], "chapter": bk.chapter, "petition_filed_on": _iso(bk.filed_on),
                       "case_number": bk.case_number, "court": bk.court, "status": bk.status,
                       "notice_received_at": _iso(bk.notice_received_at), "discharged_on": _iso(bk.discharged_on),
                       "dismissed_on": _iso(bk.dismissed_on), "debt_ids": bk.debt_ids()} if bk else None,
        "contact_history": _history(list(attempts), debtor),
        "credit_reporting": {"previously_furnished": False, "last_furnished": None, "undeliverable_notices": []},
    }
    return {"id": f"account-{account.pk}", "facts": facts, "action": {**action, "debt_ids": [debt_id(account)]}}


def action_for(*, account: Account, channel: str, to: str | None, direction: str = "outbound",
               content: dict | None = None, responding: bool = False) -> dict:
    """The proposed action in the engine's vocabulary; our templates carry the required notices.

    A letter's ``content`` may name its ``letter_type`` (e.g. "validation_notice") and carry the
    notice's engine content under "validation_notice" (see compliance.notices).
    """
    content = content or {}
    profile = getattr(settings, "COLLECTOR_PROFILE", {}) or {}
    action = {"channel": channel, "recipient": "consumer", "to": to, "purpose": "collection",
              "direction": direction}
    if responding:
        # checked by compliance.gate.inbound.response_target: once, same medium, to a recent inbound contact
        action["responding_to_consumer_initiated_contact"] = True
    if channel == "call":
        action["dialer"] = "manual_live_agent"
    elif channel in ("sms", "email"):
        action.update({"platform": "manual", "includes_opt_out_notice": True,
                       "includes_debt_collector_disclosure": True})
    elif channel == "letter":
        action.update({"letter_type": content.get("letter_type") or "collection_demand",
                       "addressed_to": account.debtor.display_name,
                       "envelope": {"exterior_text": [], "return_name": profile.get("name", "")}})
        if isinstance(content.get("validation_notice"), dict):
            action["content"] = content["validation_notice"]
        if content.get("mailed_on"):
            # FED-VN-03 measures the stated end date from the mailing date, not from today.
            action["mailed_on"] = content["mailed_on"]
    return action
