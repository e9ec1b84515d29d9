"""Dispositions: what came of working an account. Each one is a row, ends the caller's lease, sets
when the account comes back, and rescores it at once.

Call results are logged through the compliance gate (``contact_send``), so the contact log, the
7-in-7 count and the gate's next decision all see them; wrong-number and disconnected results also
mark the number, which the gate then no longer offers.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cache

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Account, Phone
from accounts.models.parties import ContactStatus
from accounts.prepared import execute
from collections_app.models import (
    AbilityToPay,
    Callback,
    CounselingAgency,
    Disposition,
    DispositionCode,
    WorkItem,
)
from compliance.gate import contact_send
from compliance.models import CallOutcome, Channel, ContactAttempt, DirectPriorConsent
from compliance.services import direct_consent_record, dispute_record
from payments.models import PaymentMethod
from payments.services.promises import promise_create

from .leasing import lease_release
from .rescoring import rescore_account

C = DispositionCode
# disposition -> the call outcome logged through the gate (None: no call is logged)
CALL_OUTCOME = {
    C.NO_ANSWER: CallOutcome.NO_ANSWER, C.BUSY: CallOutcome.BUSY, C.VOICEMAIL: CallOutcome.VOICEMAIL_LCM,
    C.RIGHT_PARTY: CallOutcome.CONVERSATION, C.THIRD_PARTY: CallOutcome.OTHER_PERSON,
    C.WRONG_NUMBER: CallOutcome.OTHER_PERSON, C.DISCONNECTED: CallOutcome.NOT_IN_SERVICE,
    C.PROMISE: CallOutcome.CONVERSATION, C.REFUSED: CallOutcome.CONVERSATION, C.DISPUTE: CallOutcome.CONVERSATION,
    C.CALLBACK: CallOutcome.CONVERSATION, C.REFER: CallOutcome.CONVERSATION, C.WORKSHEET: CallOutcome.CONVERSATION,
}
# call outcome (API) -> disposition, for attempts logged through POST /api/accounts/{id}/contacts/
OUTCOME_DISPOSITION = {
    CallOutcome.NO_ANSWER: C.NO_ANSWER, CallOutcome.BUSY: C.BUSY, CallOutcome.VOICEMAIL_LCM: C.VOICEMAIL,
    CallOutcome.VOICEMAIL_NO_MESSAGE: C.NO_ANSWER, CallOutcome.CONVERSATION: C.RIGHT_PARTY,
    CallOutcome.OTHER_PERSON: C.THIRD_PARTY, CallOutcome.NOT_IN_SERVICE: C.DISCONNECTED,
}
# when the account may come back to a queue after each result (the gate still decides the moment)
RETRY_AFTER = {
    C.NO_ANSWER: timedelta(hours=4), C.BUSY: timedelta(hours=1), C.VOICEMAIL: timedelta(days=2),
    C.RIGHT_PARTY: timedelta(days=3), C.THIRD_PARTY: timedelta(days=1), C.WRONG_NUMBER: timedelta(hours=1),
    C.DISCONNECTED: timedelta(hours=1), C.PROMISE: timedelta(days=7), C.REFUSED: timedelta(days=7),
    C.REFER: timedelta(days=14), C.WORKSHEET: timedelta(days=3), C.CONTACT: timedelta(hours=4),
    C.SKIPPED: timedelta(0),
}
# the keyboard shortcut of each action (shown on its button; static/js/worklist.js reads data-key)
SHORTCUTS = {
    C.NO_ANSWER: "1", C.BUSY: "2", C.VOICEMAIL: "3", C.RIGHT_PARTY: "4", C.THIRD_PARTY: "5",
    C.WRONG_NUMBER: "6", C.DISCONNECTED: "7", C.REFUSED: "8", C.PROMISE: "p", C.DISPUTE: "d",
    C.CALLBACK: "c", C.ESCALATE: "e", C.REFER: "r", C.WORKSHEET: "w",
}
SIMPLE = [C.NO_ANSWER, C.BUSY, C.VOICEMAIL, C.RIGHT_PARTY, C.THIRD_PARTY, C.WRONG_NUMBER, C.DISCONNECTED,
          C.REFUSED]


def _money(value, field: str) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except ArithmeticError:
        raise ValidationError(_("%(field)s: %(value)s is not an amount.")
                              % {"field": field, "value": repr(value)}) from None
    if amount < 0:
        raise ValidationError(_("%(field)s: must not be negative.") % {"field": field})
    return amount


def _validate(code: str, data: dict, now: datetime) -> dict:
    """Check the extra fields a disposition needs; every problem is reported at once."""
    problems, clean = [], {}
    if code not in C.values or code in (C.CONTACT, C.SKIPPED):
        raise ValidationError(_("Unknown disposition %(code)s.") % {"code": repr(code)})
    if code == C.CALLBACK:
        due = data.get("callback_at")
        if not isinstance(due, datetime):
            problems.append(_("callback_at: give the date and time the debtor asked for."))
        elif due <= now:
            problems.append(_("callback_at: must be in the future."))
        else:
            clean["callback_at"] = due
        clean["callback_zone"] = data.get("callback_zone") or ""
    if code == C.ESCALATE:
        if data.get("escalation") not in Disposition.Escalation.values:
            problems.append(_("escalation: choose one of %(allowed)s.")
                            % {"allowed": ", ".join(Disposition.Escalation.values)})
        clean["escalation"] = data.get("escalation")
    if code == C.REFER:
        agency = CounselingAgency.objects.filter(pk=data.get("agency_id"), is_active=True).first()
        if agency is None:
            problems.append(_("agency: choose a counseling agency from the directory."))
        else:
            clean["agency_id"], clean["agency"] = agency.pk, agency.name
    if code == C.PROMISE:
        try:
            clean["amount"] = str(_money(data.get("amount"), "amount"))
            if Decimal(clean["amount"]) <= 0:
                problems.append(_("amount: must be more than zero."))
        except ValidationError as exc:
            problems.extend(exc.messages)
        due = data.get("promise_date")
        if not due:
            problems.append(_("promise_date: give the date the debtor promised to pay."))
        else:
            clean["promise_date"] = due
        clean["method"] = data.get("method") or PaymentMethod.ACH
    if code == C.WORKSHEET:
        for field in ("monthly_income", "monthly_expenses"):
            try:
                clean[field] = _money(data.get(field), field)
            except ValidationError as exc:
                problems.extend(exc.messages)
        clean["household_size"] = int(data.get("household_size") or 1)
        clean["hardship"] = data.get("hardship") or ""
    if problems:
        raise ValidationError(problems)
    return clean


def _phone_for(account: Account, to: str | None) -> str | None:
    if to:
        return to
    phone = account.debtor.phones.filter(status=ContactStatus.ACTIVE).order_by("pk").first()
    return phone.number if phone else None


def disposition_record(*, account: Account, user, code: str, to: str | None = None, notes: str = "",
                       data: dict | None = None, attempt: ContactAttempt | None = None,
                       now: datetime | None = None) -> Disposition:
    """Record a disposition for ``account`` by ``user`` (who may hold its lease, which this ends).

    ``attempt``: a contact already logged through the gate (the API's path); otherwise a call
    disposition logs the call through the gate here. Raises ValidationError naming every bad field.
    """
    now = now or timezone.now()
    data = data or {}
    if attempt is None:
        clean = _validate(code, data, now)
    else:
        clean = {}
    with transaction.atomic():
        if attempt is None and code in CALL_OUTCOME:
            number = _phone_for(account, to)
            if number is None:
                raise ValidationError(_("The debtor has no usable phone number to log this call against."))
            attempt = contact_send(account=account, channel=Channel.CALL, to=number, user=user,
                                   outcome=CALL_OUTCOME[code], notes=notes,
                                   idempotency_key=f"disposition-{uuid.uuid4().hex}", now=now)
        if code in (C.WRONG_NUMBER, C.DISCONNECTED) and attempt is not None:
            Phone.objects.filter(debtor_id=account.debtor_id, number=attempt.to).update(
                status=ContactStatus.WRONG if code == C.WRONG_NUMBER else ContactStatus.DISCONNECTED)
        extra = {k: (v.isoformat() if isinstance(v, datetime | date) else str(v) if isinstance(v, Decimal) else v)
                 for k, v in clean.items()}
        if attempt is not None:
            extra["gate"] = attempt.decision.get("decision")
        disposition = Disposition.objects.create(account=account, user=user, code=code, at=now, notes=notes,
                                                 data=extra, contact_attempt=attempt)
        wait_until, reason = _after(disposition, clean, account=account, user=user, attempt=attempt, now=now)
        WorkItem.objects.get_or_create(account=account)
        released = lease_release(user=user, account_id=account.pk, wait_until=wait_until, reason=reason)
        if not released and wait_until is not None:
            WorkItem.objects.filter(pk=account.pk).update(ready=False, next_contact_at=wait_until,
                                                          wait_reason=reason[:300])
        _callbacks_done(account=account, user=user, now=now, keep_new=code == C.CALLBACK)
        rescore_account(account_id=account.pk, now=now)
        if code in (C.WRONG_NUMBER, C.DISCONNECTED):
            # the last working number just failed: the debtor is lost, skip tracing starts
            from collections_app.skiptrace.services import skip_case_open_if_lost

            skip_case_open_if_lost(account=account, user=user)
    return disposition


def _after(disposition: Disposition, clean: dict, *, account, user, attempt, now) -> tuple[datetime | None, str]:
    """The disposition's own effects, and (when the account comes back, why)."""
    code = disposition.code
    if attempt is not None and attempt.decision.get("decision") == "block":
        next_at = attempt.decision.get("next_allowed_at")
        return (datetime.fromisoformat(next_at) if next_at else now + timedelta(days=1),
                "gate: " + ", ".join(attempt.decision.get("reasons", [])))
    if code == C.CALLBACK:
        # The debtor asked for this call: their direct prior consent, so the gate's 7-in-7 count and
        # the 7 days after a conversation do not stop it, nor the time they chose (12 CFR
        # 1006.14(b)(3)(i), 1006.6(b)(1)).
        statement = f"Asked to be called back at {clean['callback_at'].isoformat()}"
        for scope, fields in ((DirectPriorConsent.Scope.CALLS, {}),
                              (DirectPriorConsent.Scope.TIME, {"consented_at": clean["callback_at"]})):
            direct_consent_record(debtor=account.debtor, account=account, scope=scope, given_at=now,
                                  given_via=DirectPriorConsent.GivenVia.OUTBOUND_CALL, fields=fields,
                                  statement=statement, user=user)
        Callback.objects.create(account=account, collector=user, due_at=clean["callback_at"],
                                debtor_zone=clean.get("callback_zone", ""), notes=disposition.notes[:300])
        WorkItem.objects.filter(pk=account.pk).exclude(owner_reason="assigned").update(
            owner=user, owner_reason="callback")
        return clean["callback_at"], "callback"
    if code == C.ESCALATE:
        _escalate(account=account, user=user, kind=clean["escalation"], notes=disposition.notes, now=now)
        WorkItem.objects.filter(pk=account.pk).update(hold_reason=f"escalated: {clean['escalation']}")
        return None, ""
    if code == C.DISPUTE:
        dispute_record(account=account, method="oral", received_at=now, user=user,
                       description=disposition.notes or "Raised on a call")
        return None, ""
    if code == C.WORKSHEET:
        AbilityToPay.objects.create(account=account, user=user, monthly_income=clean["monthly_income"],
                                    monthly_expenses=clean["monthly_expenses"],
                                    household_size=clean["household_size"], hardship=clean["hardship"],
                                    notes=disposition.notes)
    if code == C.PROMISE:
        promise = promise_create(account=account, amount=Decimal(clean["amount"]), due_date=clean["promise_date"],
                                 method=clean["method"], user=user)
        disposition.data = {**disposition.data, "promise_id": promise.pk, "promise_status": promise.status}
        disposition.save(update_fields=["data"])
        day_after = datetime.combine(clean["promise_date"] + timedelta(days=1), datetime.min.time())
        return timezone.make_aware(day_after), "promise to pay"
    delay = RETRY_AFTER.get(code)
    if delay:
        return now + delay, disposition.get_code_display().lower()
    return None, ""


def _callbacks_done(*, account, user, now, keep_new: bool):
    """A disposition on an account completes the caller's callbacks that were due on it."""
    done = Callback.objects.filter(account=account, collector=user, done_at__isnull=True, due_at__lte=now)
    if done.update(done_at=now) and not keep_new:
        WorkItem.objects.filter(pk=account.pk, owner=user, owner_reason="callback").update(owner=None, owner_reason="")


def disposition_for_attempt(*, attempt: ContactAttempt, user) -> Disposition | None:
    """The API's contact attempt counts as the disposition of the account it was about."""
    if attempt.direction != "outbound":
        return None
    code = OUTCOME_DISPOSITION.get(attempt.outcome, C.CONTACT)
    account = Account.objects.select_related("debtor").get(pk=attempt.account_id)
    return disposition_record(account=account, user=user, code=code, notes=attempt.notes, attempt=attempt,
                              now=attempt.requested_at)


# A skipped account rests this long before any collector (its skipper included) gets it again.
SKIP_WAIT = timedelta(minutes=15)


def skip(*, user, reason: str, now: datetime | None = None) -> Disposition:
    """Give back the account the caller holds, with a reason; it comes back after SKIP_WAIT."""
    from .leasing import held_account_id

    now = now or timezone.now()
    if not reason.strip():
        raise ValidationError(_("reason: say why the account is skipped."))
    if connection.vendor == "postgresql":
        return _skip_pg(user=user, reason=reason, now=now)
    account_id = held_account_id(user=user, now=now)
    if account_id is None:
        raise ValidationError(_("You hold no account to skip."))
    with transaction.atomic():
        disposition = Disposition.objects.create(account_id=account_id, user=user, code=C.SKIPPED, at=now,
                                                 notes=reason[:2000])
        lease_release(user=user, account_id=account_id, wait_until=now + SKIP_WAIT,
                      reason=f"skipped: {reason.strip()}")
    return disposition


@cache
def _skip_sql() -> str:
    item, disposition = WorkItem._meta.db_table, Disposition._meta.db_table
    return f"""
      WITH released AS (
        UPDATE {item} SET leased_by_id = NULL, leased_at = NULL, lease_expires_at = NULL, ready = false,
                          next_contact_at = %s, wait_reason = %s
        WHERE account_id = (SELECT account_id FROM {item} WHERE leased_by_id = %s AND lease_expires_at > %s
                            ORDER BY leased_at LIMIT 1 FOR UPDATE)
          AND leased_by_id = %s
        RETURNING account_id)
      INSERT INTO {disposition} (account_id, user_id, code, at, notes, data, contact_attempt_id)
      SELECT account_id, %s, %s, %s, %s, '{{}}'::jsonb, NULL FROM released
      RETURNING id, account_id"""


def _skip_pg(*, user, reason: str, now: datetime) -> Disposition:
    """``skip`` in one statement (a collector's most frequent action after a pop): the lease ends and the
    disposition is written together or not at all, with no transaction round trips around them."""
    with connection.cursor() as cursor:
        execute(cursor, _skip_sql(), [now + SKIP_WAIT, f"skipped: {reason.strip()}"[:300], user.pk, now, user.pk,
                                      user.pk, C.SKIPPED, now, reason[:2000]])
        row = cursor.fetchone()
    if row is None:
        raise ValidationError(_("You hold no account to skip."))
    return Disposition(pk=row[0], account_id=row[1], user=user, code=C.SKIPPED, at=now, notes=reason[:2000])


ESCALATION_DAYS = 2  # [POL] a call's escalation is due with its owner within two days


def _escalate(*, account: Account, user, kind: str, notes: str, now: datetime) -> None:
    """The record behind an "escalate" disposition, so it has an owner, a due date and a trail:
    management and fraud become escalations (fraud also records the claim, which stops collection
    and credit reporting); a complaint is logged for compliance with its deadline; a legal referral
    goes to management first (a referral names an attorney, which the call does not give)."""
    from collections_app.escalations.services import escalation_create
    from collections_app.models.escalations import EscalationKind
    from compliance.services.complaints import complaint_record

    reason = (notes or "").strip() or "Escalated from a call"
    if kind == Disposition.Escalation.COMPLAINT:
        complaint_record(account=account, source="debtor", description=reason, user=user, received_at=now)
        return
    team = getattr(user, "team", None)
    owner = team.supervisor if team is not None and team.supervisor_id else user
    if kind == Disposition.Escalation.LEGAL:
        reason = f"Legal referral requested on a call: {reason}"
    escalation_create(account=account, kind=EscalationKind.FRAUD if kind == Disposition.Escalation.FRAUD
                      else EscalationKind.MANAGEMENT, reason=reason, owner=owner,
                      due_on=timezone.localdate() + timedelta(days=ESCALATION_DAYS), user=user)
