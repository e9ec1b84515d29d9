"""Location calls: a third party asked where the consumer lives or works (15 USC 1692b; 12 CFR 1006.10).

The same door as every other contact: the engine decides over the same snapshot, and every call,
allowed or blocked, is a row in the contact log, recorded with the third party it reached, so the
gate sees "once per third party" (1692b(3)) on the next try. Our script meets 1692b(1)-(2), (5):
the caller gives their name, says they are confirming or correcting location information, names
the employer only if asked and never mentions the debt.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from accounts import timezones
from accounts.models import Account
from compliance.engine import evaluate
from compliance.models import AttemptStatus, CallOutcome, Channel, ContactAttempt, Purpose, Recipient

from .inbound import idempotency_key_clean, replayed_attempt
from .policy import policy_table
from .snapshot import build_context

# Why another contact with the same third party may be lawful (1692b(3)).
REQUESTED_BY_THIRD_PARTY = "requested_by_third_party"  # recorded on a call where they asked to be called again
EARLIER_ANSWER_WRONG = "earlier_answer_wrong"  # the reason given for this call
FURTHER_CONTACT_REASONS = (REQUESTED_BY_THIRD_PARTY, EARLIER_ANSWER_WRONG)
SCRIPT = {"identifies_caller_by_name": True, "states_confirming_or_correcting_location": True,
          "mentions_debt": False, "names_employer_unless_asked": False}
CONSUMER_SIDE = {"spouse", "parent", "guardian", "executor", "administrator", "personal_representative"}


def third_party_key(number: str, given: str = "") -> str:
    """A third party is known by the id the caller gives or else by their number."""
    given = (given or "").strip()
    return given[:64] if given else f"TP-{number.lstrip('+')}"


def _action(*, to: str, third_party_id: str, name: str, relationship: str, earlier_answer_wrong: bool) -> dict:
    return {"channel": Channel.CALL, "recipient": "third_party", "purpose": Purpose.LOCATION, "to": to,
            "direction": "outbound", "dialer": "manual_live_agent", "third_party_id": third_party_id,
            "third_party": {"id": third_party_id, "name": name, "relationship": relationship or "third_party"},
            "script": dict(SCRIPT),
            "collector_believes_prior_response_erroneous_or_incomplete": earlier_answer_wrong}


def _clean(number: str, relationship: str) -> str:
    to = timezones.normalize_phone(number or "")
    if not to:
        raise ValidationError(gettext("%(value)s is not a valid phone number.") % {"value": repr(number)})
    if (relationship or "").strip().lower() in CONSUMER_SIDE:
        raise ValidationError(gettext("A %(relationship)s counts as the consumer (12 CFR 1006.6(a)): use the "
                                      "ordinary contact buttons, not a location call.")
                              % {"relationship": relationship})
    return to


def location_contact_check(*, account: Account, to: str, third_party_id: str = "", name: str = "",
                           relationship: str = "", earlier_answer_wrong: bool = False,
                           now: datetime | None = None) -> dict:
    """The engine's decision for a location call to this third party now; writes nothing."""
    to = _clean(to, relationship)
    tp = third_party_key(to, third_party_id)
    now = now or timezone.now()
    context = build_context(account=account, now=now, action=_action(
        to=to, third_party_id=tp, name=name, relationship=relationship, earlier_answer_wrong=earlier_answer_wrong))
    return {**evaluate(context, policy=policy_table(on=now.date())), "to": to, "third_party_id": tp}


def location_contact_record(*, account: Account, to: str, user, outcome: str, name: str = "",
                            relationship: str = "", third_party_id: str = "", earlier_answer_wrong: bool = False,
                            asked_to_be_called_again: bool = False, notes: str = "",
                            idempotency_key: str | None = None, now: datetime | None = None) -> ContactAttempt:
    """Log a location call with the gate's decision (blocked calls are logged too: the collector must not dial).

    ``asked_to_be_called_again``: during this call the third party asked for further contact, so a
    later call to them is allowed (1692b(3)). ``earlier_answer_wrong``: the collector reasonably
    believes the earlier answer was wrong or incomplete and that this person now knows better.
    """
    if outcome not in CallOutcome.values:
        raise ValidationError(gettext("Unknown call outcome %(outcome)s.") % {"outcome": repr(outcome)})
    to = _clean(to, relationship)
    tp = third_party_key(to, third_party_id)
    key = idempotency_key_clean(idempotency_key)
    with transaction.atomic():
        # one contact decision per account at a time (as contact_send): two collectors cannot both make "the once"
        Account.objects.select_for_update().only("pk").get(pk=account.pk)
        existing = replayed_attempt(key=key, account=account, channel=Channel.CALL, direction="outbound")
        if existing is not None:
            return existing
        now = now or timezone.now()
        context = build_context(account=account, now=now, action=_action(
            to=to, third_party_id=tp, name=name, relationship=relationship,
            earlier_answer_wrong=earlier_answer_wrong))
        decision = evaluate(context, policy=policy_table(on=now.date()))
        allowed = decision["decision"] == "allow"
        reason = (REQUESTED_BY_THIRD_PARTY if allowed and asked_to_be_called_again
                  else EARLIER_ANSWER_WRONG if earlier_answer_wrong else "")
        attempt = ContactAttempt.objects.create(
            account=account, debtor_id=account.debtor_id, channel=Channel.CALL, to=to,
            outcome=outcome if allowed else "", notes=notes, debt_ids=context["action"]["debt_ids"], user=user,
            idempotency_key=key, requested_at=now, decision=decision, context=context,
            status=AttemptStatus.ALLOWED if allowed else AttemptStatus.BLOCKED,
            recipient=Recipient.THIRD_PARTY, purpose=Purpose.LOCATION, third_party_id=tp,
            third_party_name=(name or "")[:200], further_contact_reason=reason)
    attempt.replayed = False
    return attempt
