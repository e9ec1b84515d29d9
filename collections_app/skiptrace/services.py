"""Skip-trace cases: open when the debtor is lost, search source by source, record what each source
gave (the contact point carries its source, which the gate reads), make location calls through the
gate, and put the account back on its queue once located. Every write is audited."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import timezones
from accounts.audit import audit_record
from accounts.models import Account, Address, Email, Phone
from accounts.models.parties import ContactStatus
from accounts.records import english_label
from collections_app.models.skiptrace import (
    ACTIVE_STATUSES,
    CONTACT_SOURCE,
    SKIP_TRANSITIONS,
    SkipLead,
    SkipReason,
    SkipSearch,
    SkipSource,
    SkipStatus,
    SkipTraceCase,
)
from collections_app.worklist.holds import work_item_hold_refresh
from compliance.gate import location_contact_record


def lost_reason(*, account: Account) -> str | None:
    """Why the debtor cannot be reached, or None. Lost: no usable address and no usable phone, i.e.
    every contact point failed (wrong number, disconnected, returned mail) or there never was an address."""
    debtor = account.debtor
    addresses = list(debtor.addresses.all())
    if any(a.status == ContactStatus.ACTIVE for a in addresses):
        return None
    if any(p.status == ContactStatus.ACTIVE for p in debtor.phones.all()):
        return None
    return SkipReason.ADDRESS_UNKNOWN if not addresses else SkipReason.CONTACTS_FAILED


def skip_case_status_change(*, case: SkipTraceCase, to_status: str, fields: dict | None = None) -> SkipTraceCase:
    """The one place a case's status moves (SKIP_TRANSITIONS)."""
    if case.status != to_status and to_status not in SKIP_TRANSITIONS.get(case.status, frozenset()):
        raise ValidationError(_("A skip-trace case cannot move from '%(status)s' to '%(to_status)s'.")
                              % {"status": case.status, "to_status": to_status})
    changes = {"status": to_status, **(fields or {})}
    if not SkipTraceCase.objects.filter(pk=case.pk, status=case.status).update(**changes):
        raise ValidationError(_("The case changed meanwhile; reload and try again."))
    for name, value in changes.items():
        setattr(case, name, value)
    return case


def skip_case_open(*, account: Account, user=None, reason: str = SkipReason.MANUAL, notes: str = "",
                   owner=None, now: datetime | None = None) -> SkipTraceCase:
    """Open a case (or return the account's live one): the account leaves the worklist until located."""
    if reason not in SkipReason.values:
        raise ValidationError({"reason": _("Choose one of %(choices)s.") % {"choices": ', '.join(SkipReason.values)}})
    existing = SkipTraceCase.objects.filter(account_id=account.pk, status__in=ACTIVE_STATUSES).first()
    if existing is not None:
        return existing
    now = now or timezone.now()
    try:
        with transaction.atomic():
            case = SkipTraceCase.objects.create(
                account=account, reason=reason, notes=notes, opened_at=now,
                opened_by=user if getattr(user, "is_authenticated", False) else None,
                owner=owner or (user if getattr(user, "is_authenticated", False) else None))
            audit_record(user=user, action="create", obj=case,
                         summary=f"skip trace opened on account {account.pk}: {english_label(case, 'reason')}")
            work_item_hold_refresh(account_id=account.pk)
    except IntegrityError:  # another request opened it first (skip_case_one_active)
        return SkipTraceCase.objects.get(account_id=account.pk, status__in=ACTIVE_STATUSES)
    return case


def skip_case_open_if_lost(*, account: Account, user=None) -> SkipTraceCase | None:
    """After a contact point fails: open a case when nothing usable is left (open accounts only)."""
    if not account.is_open:
        return None
    reason = lost_reason(account=account)
    return skip_case_open(account=account, user=user, reason=reason) if reason else None


# Cases the nightly sweep opens per night: each opening rescores its account (a few ms), so 1,000 keep the
# step to seconds even on a portfolio that arrives without addresses; the rest follow the next nights.
SWEEP_LIMIT = 1000


def skip_cases_sweep(*, limit: int = SWEEP_LIMIT) -> dict:
    """Open a case for every open account whose debtor is lost and has none (idempotent; nightly).

    One query finds the candidates: open accounts without an active address or phone and without a
    live case. ``limit`` bounds the cases opened per day, whatever their source (the rest are found the
    next night), so a second run on the same day opens nothing more.
    """
    from datetime import datetime, time
    from zoneinfo import ZoneInfo

    from django.conf import settings
    from django.db.models import Exists, OuterRef
    from django.utils import timezone

    zone = ZoneInfo(settings.AGENCY_TIME_ZONE)
    day_start = datetime.combine(timezone.now().astimezone(zone).date(), time.min, tzinfo=zone)
    limit = max(0, limit - SkipTraceCase.objects.filter(opened_at__gte=day_start).count())
    if not limit:
        return {"opened": 0}

    active_address = Address.objects.filter(debtor_id=OuterRef("debtor_id"), status=ContactStatus.ACTIVE)
    active_phone = Phone.objects.filter(debtor_id=OuterRef("debtor_id"), status=ContactStatus.ACTIVE)
    live_case = SkipTraceCase.objects.filter(account_id=OuterRef("pk"), status__in=ACTIVE_STATUSES)
    candidates = (Account.objects.filter(status__in=["new", "active", "promise", "plan"])
                  .filter(~Exists(active_address), ~Exists(active_phone), ~Exists(live_case))
                  .select_related("debtor").order_by("pk")[:limit])
    opened = 0
    for account in candidates:
        reason = lost_reason(account=account)
        if reason:
            skip_case_open(account=account, reason=reason)
            opened += 1
    return {"opened": opened}


def _searching(case: SkipTraceCase) -> None:
    if case.status == SkipStatus.OPEN:
        skip_case_status_change(case=case, to_status=SkipStatus.SEARCHING)


def _live(case: SkipTraceCase) -> SkipTraceCase:
    case = SkipTraceCase.objects.select_for_update().select_related("account__debtor").get(pk=case.pk)
    if case.status not in (*ACTIVE_STATUSES, SkipStatus.NOT_FOUND, SkipStatus.LOCATED):
        raise ValidationError(_("The case is %(status)s.") % {"status": case.get_status_display().lower()})
    return case


def skip_search_record(*, case: SkipTraceCase, source: str, user, result: str = SkipSearch.Result.NO_HIT,
                       detail: str = "", vendor_batch=None, now: datetime | None = None) -> SkipSearch:
    """A source was tried (creditor file, loan documents, bureau header, vendor, public records)."""
    if source not in SkipSource.values:
        raise ValidationError({"source": _("Choose one of %(choices)s.") % {"choices": ', '.join(SkipSource.values)}})
    if result not in SkipSearch.Result.values:
        raise ValidationError({"result": _("Choose one of %(choices)s.")
                                         % {"choices": ', '.join(SkipSearch.Result.values)}})
    with transaction.atomic():
        case = _live(case)
        if case.status == SkipStatus.NOT_FOUND:
            skip_case_status_change(case=case, to_status=SkipStatus.SEARCHING)
        _searching(case)
        search = SkipSearch.objects.create(case=case, source=source, result=result, detail=detail[:500],
                                           vendor_batch=vendor_batch, at=now or timezone.now(),
                                           user=user if getattr(user, "is_authenticated", False) else None)
        audit_record(user=user, action="update", obj=case,
                     summary=f"skip trace #{case.pk}: searched {english_label(search, 'source')} -> "
                             f"{english_label(search, 'result')}" + (f" ({detail[:200]})" if detail else ""))
    return search


def skip_lead_add(*, case: SkipTraceCase, source: str, kind: str, user, value: str = "", line1: str = "",
                  city: str = "", state: str = "", zip_code: str = "", phone_type: str = Phone.Type.CELL,
                  search: SkipSearch | None = None, now: datetime | None = None) -> SkipLead:
    """Add the contact point a source gave, marked with that source (the gate reads ``number_source``)."""
    if source not in SkipSource.values:
        raise ValidationError({"source": _("Choose one of %(choices)s.") % {"choices": ', '.join(SkipSource.values)}})
    now = now or timezone.now()
    with transaction.atomic():
        case = _live(case)
        debtor = case.account.debtor
        contact_source = CONTACT_SOURCE[source]
        if kind == SkipLead.Kind.PHONE:
            number = timezones.normalize_phone(value)
            if not number:
                raise ValidationError({"value": _("%(value)s is not a valid phone number.") % {"value": repr(value)}})
            if debtor.phones.filter(number=number).exists():
                raise ValidationError({"value": _("%(number)s is already on file (a failed number is not reused).")
                                                % {"number": number}})
            point = Phone.objects.create(debtor=debtor, number=number, phone_type=phone_type, source=contact_source,
                                         time_zones=list(timezones.zones_for_phone(number)))
            shown = number
        elif kind == SkipLead.Kind.ADDRESS:
            problems = {k: "Required." for k, v in (("line1", line1), ("city", city), ("state", state),
                                                    ("zip_code", zip_code)) if not (v or "").strip()}
            if state and len(state.strip()) != 2:
                problems["state"] = _("Two-letter state code.")
            if problems:
                raise ValidationError(problems)
            debtor.addresses.filter(is_primary=True).exclude(status=ContactStatus.ACTIVE).update(is_primary=False)
            has_primary = debtor.addresses.filter(is_primary=True, status=ContactStatus.ACTIVE).exists()
            point = Address.objects.create(debtor=debtor, line1=line1.strip()[:200], city=city.strip()[:100],
                                           state=state.strip().upper(), zip=zip_code.strip()[:10],
                                           is_primary=not has_primary, source=contact_source,
                                           time_zone=timezones.zone_for_zip(zip_code) or "")
            shown = str(point)
        elif kind == SkipLead.Kind.EMAIL:
            from django.core.validators import validate_email

            try:
                validate_email((value or "").strip())
            except ValidationError:
                raise ValidationError({"value": _("%(value)s is not a valid email address.")
                                                % {"value": repr(value)}}) from None
            if debtor.emails.filter(address__iexact=value.strip()).exists():
                raise ValidationError({"value": _("%(value)s is already on file.") % {"value": value.strip()}})
            point = Email.objects.create(debtor=debtor, address=value.strip(), source=contact_source)
            shown = point.address
        else:
            raise ValidationError({"kind": _("Choose phone, address or email.")})
        if case.status == SkipStatus.NOT_FOUND:
            skip_case_status_change(case=case, to_status=SkipStatus.SEARCHING)
        _searching(case)
        if search is not None and search.result != SkipSearch.Result.HIT:
            SkipSearch.objects.filter(pk=search.pk).update(result=SkipSearch.Result.HIT)
        lead = SkipLead.objects.create(case=case, search=search, source=source, kind=kind, contact_id=point.pk,
                                       value=shown[:300], at=now,
                                       user=user if getattr(user, "is_authenticated", False) else None)
        audit_record(user=user, action="create", obj=lead,
                     summary=f"skip trace #{case.pk}: new {kind} {shown} from {english_label(lead, 'source')}")
    return lead


def skip_location_call(*, case: SkipTraceCase, to: str, user, outcome: str, name: str = "",
                       relationship: str = "", earlier_answer_wrong: bool = False,
                       asked_to_be_called_again: bool = False, notes: str = "", idempotency_key: str | None = None,
                       now: datetime | None = None):
    """A location call to a third party, through the gate (1692b: once per third party unless asked).

    Blocked calls are logged (the collector must not dial); returns the contact attempt.
    """
    with transaction.atomic():
        case = _live(case)
        attempt = location_contact_record(
            account=case.account, to=to, user=user, outcome=outcome, name=name, relationship=relationship,
            earlier_answer_wrong=earlier_answer_wrong, asked_to_be_called_again=asked_to_be_called_again,
            notes=notes, idempotency_key=idempotency_key, now=now)
        if getattr(attempt, "replayed", True) is False:
            _searching(case)
            allowed = attempt.decision.get("decision") == "allow"
            SkipSearch.objects.create(
                case=case, source=SkipSource.LOCATION_CALL, at=attempt.requested_at,
                result=SkipSearch.Result.NO_HIT, user=user if getattr(user, "is_authenticated", False) else None,
                detail=(f"{name or attempt.third_party_id} ({relationship or 'third party'}) {attempt.to}: "
                        + (attempt.outcome if allowed else "BLOCKED " + ", ".join(attempt.decision["reasons"])))[:500])
            audit_record(user=user, action="contact", obj=attempt,
                         summary=f"skip trace #{case.pk}: location call to {attempt.third_party_id} "
                                 f"{'allowed' if allowed else 'blocked'}")
    return attempt


def skip_case_locate(*, case: SkipTraceCase, user, notes: str = "", now: datetime | None = None) -> SkipTraceCase:
    """The debtor is found: needs a usable address or phone on file; the account returns to its queue."""
    now = now or timezone.now()
    with transaction.atomic():
        case = _live(case)
        if lost_reason(account=case.account) is not None:
            raise ValidationError(_("Add the address or phone the debtor was found at before marking the case "
                                    "located."))
        skip_case_status_change(case=case, to_status=SkipStatus.LOCATED, fields={
            "located_at": now, "notes": "\n".join(filter(None, [case.notes, notes.strip()]))})
        audit_record(user=user, action="update", obj=case, summary=f"skip trace #{case.pk}: located")
        work_item_hold_refresh(account_id=case.account_id)
    return case


def skip_case_not_found(*, case: SkipTraceCase, user, notes: str = "") -> SkipTraceCase:
    """Every source is exhausted: the account stays off the list until a new source finds the debtor."""
    with transaction.atomic():
        case = _live(case)
        skip_case_status_change(case=case, to_status=SkipStatus.NOT_FOUND, fields={
            "notes": "\n".join(filter(None, [case.notes, notes.strip()]))})
        audit_record(user=user, action="update", obj=case, summary=f"skip trace #{case.pk}: not found")
        work_item_hold_refresh(account_id=case.account_id)
    return case


def skip_case_close(*, case: SkipTraceCase, user, notes: str = "", now: datetime | None = None) -> SkipTraceCase:
    """Close the case (located and working again, or abandoned): its hold on the worklist ends."""
    with transaction.atomic():
        case = SkipTraceCase.objects.select_for_update().get(pk=case.pk)
        skip_case_status_change(case=case, to_status=SkipStatus.CLOSED, fields={
            "closed_at": now or timezone.now(), "notes": "\n".join(filter(None, [case.notes, notes.strip()]))})
        audit_record(user=user, action="update", obj=case, summary=f"skip trace #{case.pk}: closed")
        work_item_hold_refresh(account_id=case.account_id)
    return case
