"""Build the engine's context ``{"id", "facts", "action"}`` for one account from stored records.

The facts come from four builders in ``compliance.gate.facts`` (consumer, debt, events,
restrictions), each testable on its own; this module assembles them. One query per related
table, whatever the history size: the contact log is read for a bounded window.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings

from accounts.models import Account

from .facts import consumer_facts, debt_facts, event_facts, restriction_facts
from .facts.common import consumer_id, debt_id

__all__ = ["action_for", "assemble_context", "build_context", "consumer_id", "debt_id"]


def build_context(*, account: Account, action: dict, now: datetime, exclude_attempt_id: int | None = None) -> dict:
    """The facts the gate knows about ``account``'s debtor at ``now``, and the proposed ``action``."""
    account = Account.objects.select_related("creditor", "debtor").get(pk=account.pk)
    return assemble_context(
        account=account, action=action, now=now, consumer=consumer_facts(debtor=account.debtor),
        debt=debt_facts(account=account),
        events=event_facts(account=account, now=now, exclude_attempt_id=exclude_attempt_id),
        restrictions=restriction_facts(account=account, now=now))


def assemble_context(*, account: Account, action: dict, now: datetime, consumer: dict, debt: dict, events: dict,
                     restrictions: dict) -> dict:
    """``{"id", "facts", "action"}`` from the four builders' output: the one shape, one account or a batch."""
    profile = getattr(settings, "COLLECTOR_PROFILE", {}) or {}
    facts = {
        "now": now.isoformat(),
        "collector": {"type": "third_party_debt_collector", "name": profile.get("name", ""),
                      "accepts_disputes_and_notices_by_email": bool(profile.get("accepts_electronic_disputes"))},
        "consumer": {**consumer, **restrictions["consumer"]},
        "debts": [debt],
        **events,
        **restrictions["facts"],
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
