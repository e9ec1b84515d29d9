"""The one door to a debtor: ``contact_check`` (read-only) and ``contact_send`` (records and sends).

Every path that would reach a debtor calls one of these; nothing else imports the channels.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from accounts.audit import audit_record
from accounts.models import Account, Address, Email, Phone
from accounts.models.parties import ContactStatus
from accounts.prepared import rows_where
from compliance import tasks
from compliance.engine import evaluate
from compliance.explanations import explanation
from compliance.models import AttemptStatus, AuditAction, CallOutcome, Channel, ContactAttempt

from .content import message_content
from .inbound import idempotency_key_clean, replayed_attempt, response_target
from .policy import policy_table
from .snapshot import action_for, build_context, present_records


def contact_points(*, account: Account, present: set[str] | None = None) -> dict:
    """The debtor's addresses, phones and emails (every status): what the snapshot and the targets read.

    ``present`` (``snapshot.present_records``) spares the read of emails when the debtor has none.
    """
    debtor_id = account.debtor_id
    return {"addresses": rows_where(Address, "debtor_id", debtor_id),
            "phones": rows_where(Phone, "debtor_id", debtor_id),
            "emails": rows_where(Email, "debtor_id", debtor_id) if present is None or "emails" in present else []}


def contact_targets(*, account: Account, channel: str, points: dict | None = None) -> list[str]:
    """The debtor's usable contact points for a channel (numbers, emails, postal addresses).

    ``points`` (``contact_points``) when the caller has read them already.
    """
    debtor = account.debtor
    usable = (ContactStatus.ACTIVE,)
    if channel in (Channel.CALL, Channel.SMS):
        return [p.number for p in (points["phones"] if points else debtor.phones.all()) if p.status in usable]
    if channel == Channel.EMAIL:
        return [e.address for e in (points["emails"] if points else debtor.emails.all()) if e.status in usable]
    if channel == Channel.LETTER:
        return [str(a) for a in (points["addresses"] if points else debtor.addresses.all()) if a.status in usable]
    return []


def _target(account: Account, channel: str, to: str | None) -> str:
    if channel not in Channel.values:
        raise ValidationError(gettext("Unknown channel %(channel)s; use one of %(allowed)s.")
                              % {"channel": repr(channel), "allowed": ", ".join(Channel.values)})
    targets = contact_targets(account=account, channel=channel)
    if not to:
        if not targets:
            raise ValidationError(gettext("The debtor has no usable contact point for %(channel)s.")
                                  % {"channel": channel})
        return targets[0]
    if channel == Channel.EMAIL:
        match = next((t for t in targets if t.lower() == to.strip().lower()), None)
    else:
        match = next((t for t in targets if t == to.strip()), None)
    if match is None:
        raise ValidationError(gettext("%(to)s is not an active %(channel)s contact point of this debtor.")
                              % {"to": to, "channel": channel})
    return match


def _decide(*, account: Account, channel: str, to: str, now: datetime, content: dict | None = None,
            exclude_attempt_id=None, responding: bool = False) -> tuple[dict, dict]:
    action = action_for(account=account, channel=channel, to=to, content=content, responding=responding)
    context = build_context(account=account, action=action, now=now, exclude_attempt_id=exclude_attempt_id)
    return evaluate(context, policy=policy_table(on=now.date())), context


def contact_check(*, account: Account, channel: str, to: str | None = None, user=None,
                  now: datetime | None = None) -> dict:
    """The engine's decision for contacting the debtor now; writes nothing."""
    to = _target(account, channel, to)
    decision, _ = _decide(account=account, channel=channel, to=to, now=now or timezone.now())
    return {**decision, "channel": channel, "to": to}


def contact_options(*, account: Account, user=None, now: datetime | None = None,
                    channels: tuple[str, ...] | None = None, loaded: bool = False,
                    policy_fingerprint: str | None = None) -> list[dict]:
    """Every channel (or those in ``channels``) and contact point of the debtor with the gate's decision
    for each, now.

    The facts are read once and each proposed action evaluated over them, so a workspace with
    several numbers costs one snapshot, not one per button. ``loaded``: the caller has just read
    ``account`` with its creditor and debtor (the snapshot does not read it again).
    ``policy_fingerprint``: the state policy table's digest, when the caller has just read it
    (``policy.fingerprint_sql``; the worklist pop reads it with the collector's standing).
    """
    now = now or timezone.now()
    if not loaded:
        account = Account.objects.select_related("creditor", "debtor").get(pk=account.pk)
    present = present_records(account=account)
    points = contact_points(account=account, present=present)
    options = [(channel, to) for channel in (channels or Channel.values)
               for to in contact_targets(account=account, channel=channel, points=points)]
    if not options:
        return []
    base = build_context(account=account, action=action_for(account=account, channel=options[0][0],
                                                             to=options[0][1]), now=now, loaded=True,
                         contact_points=points, present=present)
    policy = policy_table(on=now.date(), fingerprint=policy_fingerprint)
    results = []
    for channel, to in options:
        action = {**action_for(account=account, channel=channel, to=to), "debt_ids": base["action"]["debt_ids"]}
        decision = evaluate({**base, "action": action}, policy=policy)
        results.append({**decision, "channel": channel, "to": to})
    return results


def contact_send(*, account: Account, channel: str, to: str | None, user, outcome: str | None = None,
                 notes: str = "", idempotency_key: str | None = None, content: dict | None = None,
                 responds_to=None, confirm_warnings: bool | None = None, meta: dict | None = None,
                 now: datetime | None = None) -> ContactAttempt:
    """Record an attempt with the gate's decision; schedule delivery of allowed messages.

    Blocked attempts are recorded too. A repeated ``idempotency_key`` returns the first attempt
    and changes nothing. Calls are placed by the collector: an allowed call is logged with its
    outcome. Email, SMS and letters are queued and sent after commit by ``deliver_contact``.
    ``responds_to`` (an inbound attempt or its id) makes this the one same-medium response to a
    consumer-initiated contact, which the engine may allow where it would otherwise block.
    An allowed action may carry warnings (the CFPB rebuttal signals, HIPAA reminders). A screen
    that shows them passes the user's answer: ``confirm_warnings=False`` records nothing and raises
    a ValidationError listing them; ``True`` stores who confirmed what on the attempt and in the
    audit log. System paths that show no one the warnings (generated letters, a disposition of a
    call already made) leave it ``None``: the attempt is recorded with ``warnings_confirmed: None``.
    """
    to = _target(account, channel, to)
    outcome = outcome or ""
    if channel == Channel.CALL and outcome and outcome not in CallOutcome.values:
        raise ValidationError(gettext("Unknown call outcome %(outcome)s.") % {"outcome": repr(outcome)})
    key = idempotency_key_clean(idempotency_key)
    with transaction.atomic():
        # One attempt per account at a time, so two collectors cannot both place the 7th call.
        Account.objects.select_for_update().only("pk").get(pk=account.pk)
        existing = replayed_attempt(key=key, account=account, channel=channel, direction="outbound")
        if existing is not None:
            return existing
        now = now or timezone.now()
        inbound = response_target(account=account, channel=channel, responds_to=responds_to, now=now) \
            if responds_to else None
        decision, context = _decide(account=account, channel=channel, to=to, now=now, content=content,
                                    responding=inbound is not None)
        warnings = decision.get("warnings") or []
        if decision["decision"] != "allow":
            status = AttemptStatus.BLOCKED
        else:
            if warnings and confirm_warnings is False:
                raise ValidationError(
                    _("Confirm the warnings before this %(channel)s: %(warnings)s"), code="warnings_unconfirmed",
                    params={"channel": Channel(channel).label.lower() if channel in Channel.values else channel,
                            "warnings": " ".join(explanation(w["message"]) for w in warnings)})
            status = AttemptStatus.ALLOWED if channel == Channel.CALL else AttemptStatus.QUEUED
        if warnings and status != AttemptStatus.BLOCKED:
            decision = {**decision, "warnings_confirmed": {
                "by": getattr(user, "pk", None), "at": now.isoformat(),
                "rules": [w["rule"] for w in warnings]} if confirm_warnings else None}
        attempt = ContactAttempt.objects.create(
            account=account, debtor_id=account.debtor_id, channel=channel, to=to, outcome=outcome,
            notes=notes, debt_ids=context["action"]["debt_ids"], user=user, idempotency_key=key,
            requested_at=now, status=status, decision=decision, context=context, responds_to=inbound,
            content=message_content(channel=channel, account=account, content=content)
            if channel != Channel.CALL else {})
        if warnings and status != AttemptStatus.BLOCKED and confirm_warnings:
            audit_record(user=user, action=AuditAction.CONTACT, obj=attempt, meta=meta,
                         summary=f"confirmed warnings before {channel} to {to}: "
                         + "; ".join(f"{w['rule']} {w['reason']}" for w in warnings))
        if status == AttemptStatus.QUEUED:
            transaction.on_commit(lambda: tasks.deliver_contact.delay(attempt.id))
    attempt.replayed = False
    return attempt
