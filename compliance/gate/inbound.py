"""Contacts the consumer makes with us: logged in the contact log, never gated.

Nothing is sent, so the engine is not asked. The row (direction "inbound", status "received")
becomes part of the engine's contact history: an inbound conversation starts the 7-day no-call
period (12 CFR 1006.14(b)(2)(i)(B); comment 14(b)(4)-1.ii) while inbound calls never count toward
7-in-7. It is also what an outbound reply may answer once (``responds_to``), which the engine
reads as ``responding_to_consumer_initiated_contact`` (12 CFR 1006.6(b)(4), comment 6(b)(1)-2;
12 CFR 1006.14(h)(2)).
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from accounts.models import Account
from compliance.models import INBOUND_CALL_OUTCOMES, AttemptStatus, Channel, ContactAttempt, Direction
from compliance.models.logs import HAPPENED

from .snapshot import action_for, debt_id

# [POL] Comment 6(b)(1)-2 lets the collector respond once "at that time" to a consumer-initiated
# contact; a reply more than a day later is no longer that response and must pass the gate alone.
RESPONSE_WINDOW = timedelta(hours=24)
NOT_GATED = {"decision": "not_gated", "reasons": [], "violations": [], "next_allowed_at": None,
             "why": "Inbound: the consumer contacted us and nothing was sent, so the gate was not asked."}


def idempotency_key_clean(key: str | None) -> str:
    key = (key or "").strip() or uuid.uuid4().hex
    if len(key) > 100:
        raise ValidationError(gettext("The idempotency key is longer than 100 characters."))
    return key


def replayed_attempt(*, key: str, account: Account, channel: str, direction: str) -> ContactAttempt | None:
    """The attempt already logged under ``key``, or None; a key reused for another contact is refused."""
    existing = ContactAttempt.objects.filter(idempotency_key=key).first()
    if existing is None:
        return None
    if existing.account_id != account.pk or existing.channel != channel or existing.direction != direction:
        raise ValidationError(gettext("This idempotency key was already used for a different contact."))
    existing.replayed = True
    return existing


def contact_inbound_record(*, account: Account, channel: str, from_: str = "", user, outcome: str | None = None,
                           notes: str = "", idempotency_key: str | None = None,
                           now: datetime | None = None) -> ContactAttempt:
    """Log a call, text, email or letter the consumer initiated, with how it went (calls)."""
    if channel not in Channel.values:
        raise ValidationError(gettext("Unknown channel %(channel)s; use one of %(allowed)s.")
                              % {"channel": repr(channel), "allowed": ", ".join(Channel.values)})
    outcome = outcome or ""
    if channel == Channel.CALL:
        outcome = outcome or "conversation"
        if outcome not in INBOUND_CALL_OUTCOMES:
            raise ValidationError(gettext("An inbound call is a conversation or a missed call (no_answer), not "
                                          "%(outcome)s.") % {"outcome": repr(outcome)})
    elif outcome:
        raise ValidationError(gettext("Only calls have an outcome."))
    key = idempotency_key_clean(idempotency_key)
    now = now or timezone.now()
    with transaction.atomic():
        # the same lock as contact_send: an outbound call decided meanwhile sees this conversation
        Account.objects.select_for_update().only("pk").get(pk=account.pk)
        existing = replayed_attempt(key=key, account=account, channel=channel, direction=Direction.INBOUND)
        if existing is not None:
            return existing
        action = action_for(account=account, channel=channel, to=(from_ or "").strip()[:254] or None,
                            direction=Direction.INBOUND)
        attempt = ContactAttempt.objects.create(
            account=account, debtor_id=account.debtor_id, channel=channel, to=(from_ or "").strip()[:254],
            direction=Direction.INBOUND, outcome=outcome, notes=notes, debt_ids=[debt_id(account)], user=user,
            idempotency_key=key, requested_at=now, status=AttemptStatus.RECEIVED,
            decision={**NOT_GATED, "id": f"account-{account.pk}"},
            context={"id": f"account-{account.pk}", "action": {**action, "debt_ids": [debt_id(account)]}})
    attempt.replayed = False
    return attempt


def response_target(*, account: Account, channel: str, responds_to, now: datetime) -> ContactAttempt:
    """The inbound contact an outbound attempt answers, if it may: same account, same medium,
    recent, and not answered yet (one response per consumer-initiated contact)."""
    pk = getattr(responds_to, "pk", responds_to)
    inbound = ContactAttempt.objects.filter(pk=pk, account_id=account.pk, direction=Direction.INBOUND).first()
    if inbound is None:
        raise ValidationError(gettext("The contact answered must be an inbound contact on this account."))
    if inbound.channel != channel:
        raise ValidationError(gettext("The one response to a consumer-initiated %(inbound)s must use the same "
                                      "medium, not %(channel)s.") % {"inbound": inbound.channel, "channel": channel})
    if not inbound.requested_at <= now <= inbound.requested_at + RESPONSE_WINDOW:
        raise ValidationError(gettext("The consumer's contact is too old to answer as its response; use the gate "
                                      "as usual."))
    if ContactAttempt.objects.filter(responds_to=inbound, status__in=HAPPENED).exists():
        raise ValidationError(gettext("This consumer-initiated contact has already been answered once."))
    return inbound


def answerable_inbound(*, history, now: datetime) -> set[int]:
    """Ids of inbound contacts in ``history`` that may still get their one response (same rules as
    ``response_target``), so the workspace can offer a "Reply once" button on exactly those."""
    answered = {a.responds_to_id for a in history if a.responds_to_id and a.status in HAPPENED}
    return {a.pk for a in history
            if a.direction == Direction.INBOUND and a.pk not in answered
            and a.requested_at <= now <= a.requested_at + RESPONSE_WINDOW}
