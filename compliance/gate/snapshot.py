"""Build the engine's context ``{"id", "facts", "action"}`` for one account from stored records.

The facts come from four builders in ``compliance.gate.facts`` (consumer, debt, events,
restrictions), each testable on its own; this module assembles them. One query per related
table, whatever the history size: the contact log is read for a bounded window.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import connection

from accounts.models import Account, Email, Phone
from accounts.prepared import execute
from compliance.models import ContactAttempt, Dispute, OriginalCreditorRequest, TcpaConsent, ValidationNotice

from .facts import consumer_facts, debt_facts, event_facts, restriction_facts
from .facts.common import consumer_id, debt_id
from .facts.events import event_rows
from .facts.restrictions import RESTRICTION_TABLES, restriction_rows

__all__ = ["action_for", "assemble_context", "build_context", "consumer_id", "debt_id", "present_records"]

# What ``present_records`` asks about: name -> (table, the column that names the account or the debtor).
_BY_ACCOUNT = {"notices": ValidationNotice, "attempts": ContactAttempt, "disputes": Dispute,
               "original_creditor_requests": OriginalCreditorRequest}
_BY_DEBTOR = {"emails": Email}


def present_records(*, account: Account) -> set[str]:
    """Which of the tables the facts read hold a row for this account or its debtor: one indexed query.

    Most accounts have no dispute, notice, request, consent record or restriction; the snapshot then
    skips those reads (their facts come from the same empty lists), so one account's context costs a
    handful of queries instead of twenty. Names: the keys of ``_BY_ACCOUNT`` and ``_BY_DEBTOR``,
    "consents" (TCPA consents on the debtor's phones) and "restrictions" (any table
    ``restriction_facts`` reads).
    """
    parts, params, names = [], [], []
    for name, model in _BY_ACCOUNT.items():
        parts.append(f"EXISTS (SELECT 1 FROM {model._meta.db_table} WHERE account_id = %s)")
        params.append(account.pk)
        names.append(name)
    for name, model in _BY_DEBTOR.items():
        parts.append(f"EXISTS (SELECT 1 FROM {model._meta.db_table} WHERE debtor_id = %s)")
        params.append(account.debtor_id)
        names.append(name)
    parts.append(f"EXISTS (SELECT 1 FROM {TcpaConsent._meta.db_table} c JOIN {Phone._meta.db_table} p "
                 f"ON p.id = c.phone_id WHERE p.debtor_id = %s)")
    params.append(account.debtor_id)
    names.append("consents")
    parts.append("(" + " OR ".join(f"EXISTS (SELECT 1 FROM {m._meta.db_table} WHERE debtor_id = %s)"
                                   for m in RESTRICTION_TABLES) + ")")
    params.extend([account.debtor_id] * len(RESTRICTION_TABLES))
    names.append("restrictions")
    with connection.cursor() as cursor:
        execute(cursor, "SELECT " + ", ".join(f"CASE WHEN {p} THEN 1 ELSE 0 END" for p in parts), params)
        row = cursor.fetchone()
    return {name for name, flag in zip(names, row, strict=True) if flag}


def build_context(*, account: Account, action: dict, now: datetime, exclude_attempt_id: int | None = None,
                  loaded: bool = False, contact_points: dict | None = None, present: set[str] | None = None
                  ) -> dict:
    """The facts the gate knows about ``account``'s debtor at ``now``, and the proposed ``action``.

    The account is read again with its creditor and debtor unless ``loaded`` says the caller has just
    read it so. ``contact_points`` (``{"addresses", "phones", "emails"}``: the debtor's rows) lets a
    caller that read them already pass them. Tables with no row for this account or debtor
    (``present_records``, or ``present`` when the caller has just probed) are not read at all.
    """
    if not loaded:
        account = Account.objects.select_related("creditor", "debtor").get(pk=account.pk)
    if present is None:
        present = present_records(account=account)
    debtor = account.debtor
    points = contact_points or {"addresses": list(debtor.addresses.all()), "phones": list(debtor.phones.all()),
                                "emails": list(debtor.emails.all()) if "emails" in present else []}
    return assemble_context(
        account=account, action=action, now=now,
        consumer=consumer_facts(debtor=debtor, contact_points=points,
                                consents=None if "consents" in present else []),
        debt=debt_facts(account=account),
        events=event_facts(account=account, now=now, rows=event_rows(
            account=account, now=now, exclude_attempt_id=exclude_attempt_id, present=present)),
        restrictions=restriction_facts(account=account, now=now, rows=restriction_rows(
            account=account, now=now, any_record="restrictions" in present)))


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
