"""``event_facts``: what has happened on the account (COMPLIANCE.md §3 "Events")."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Min, Q

from accounts.models import Account
from compliance.models import ContactAttempt, Dispute, DisputeStatus, OriginalCreditorRequest, ValidationNotice
from compliance.models.logs import HAPPENED

from .common import consumer_id, debt_id, iso

# The longest look-back any contact rule needs is 30 days (TCPA 3-per-30 prerecorded calls,
# 47 CFR 64.1200(a)(3)(ii)); 90 days leaves room for state windows without reading years of log.
CONTACT_HISTORY_DAYS = 90
COMMUNICATION_OUTCOMES = {"conversation", "sent", "delivered"}
UNDELIVERABLE_STATUSES = {"failed", "bounced", "undeliverable", "returned"}


def _outcome(attempt) -> str:
    if attempt.outcome or attempt.channel == "call":
        return attempt.outcome
    return "received" if attempt.direction == "inbound" else "sent"


def _history(attempts, debtor) -> list[dict]:
    # 1692b(3): a third party who asked to be called again may be called once more; only their latest
    # location call carries the request, so one request allows one more call, not every later one.
    latest_location = {a.third_party_id: a.pk for a in attempts if a.recipient == "third_party"}
    out = []
    for a in attempts:
        third = a.recipient == "third_party"
        entry = {
            "at": a.requested_at.isoformat(),
            "channel": a.channel,
            "direction": a.direction,
            "recipient": a.recipient if third else "consumer",
            "recipient_person_id": a.third_party_id if third else consumer_id(debtor),
            "to_or_from": a.to,
            "debt_ids": a.debt_ids,
            "outcome": _outcome(a),
            "dialer": "manual_live_agent" if a.channel == "call" and a.direction == "outbound" else None,
            # the one same-medium reply to a consumer-initiated contact (state counts skip it)
            "responding_to_consumer_initiated_contact": a.responds_to_id is not None,
        }
        if third:
            entry.update({"purpose": a.purpose, "third_party_id": a.third_party_id,
                          "third_party_requested_further_contact":
                              a.further_contact_reason == "requested_by_third_party"
                              and latest_location.get(a.third_party_id) == a.pk})
        out.append(entry)
    return out


# what the facts read of a contact attempt (not its stored context, decision or content)
ATTEMPT_FIELDS = ("id", "account_id", "debtor_id", "channel", "to", "direction", "outcome", "debt_ids",
                  "requested_at", "status", "sent_at", "responds_to_id", "recipient", "third_party_id", "purpose",
                  "further_contact_reason")


def first_communication_filter() -> Q:
    """Attempts that conveyed information: a conversation either way, or any outbound message."""
    # a conversation in either direction conveys information; a message the consumer sent us does not
    # a location call reaches a third party and conveys nothing about the debt (1692b(2))
    return Q(status__in=HAPPENED, recipient="consumer") & (Q(outcome__in=COMMUNICATION_OUTCOMES)
                                                           | (~Q(channel="call") & Q(direction="outbound")))


def _initial_communication(first, notice) -> dict | None:
    """The earlier of the first validation notice and the first communication in the log (``first``)."""
    if notice is not None and (first is None or notice.sent_on <= first.date()):
        return {"at": notice.sent_on.isoformat(), "channel": "call" if notice.method == "oral" else "letter",
                "validation_info_provided_orally": notice.method == "oral"}
    if first:
        return {"at": first.isoformat(), "channel": "call", "validation_info_provided_orally": False}
    return None


def _undeliverable(attempts) -> list[dict]:
    """Returned mail and bounced email (1006.30(a)(1)(ii), 1006.42(a)), linked to their communication."""
    return [{"received_at": iso(a.sent_at or a.requested_at),
             "for_communication_at": a.requested_at.isoformat(), "channel": a.channel}
            for a in attempts if a.direction == "outbound" and a.status in UNDELIVERABLE_STATUSES]


def event_rows(*, account: Account, now: datetime, exclude_attempt_id: int | None = None,
               present: set[str] | None = None) -> dict:
    """The stored rows ``event_facts`` reads for one account (a batch reads the same for many at once).

    ``present`` (``snapshot.present_records``) names the tables that hold a row for the account; the
    others are not read.
    """
    if present is not None and not present & {"notices", "attempts", "disputes", "original_creditor_requests"}:
        return {"notice": None, "first_communication_at": None, "attempts": [], "returned": [], "disputes": [],
                "original_creditor_requests": []}
    window = now - timedelta(days=CONTACT_HISTORY_DAYS)
    attempts = ContactAttempt.objects.only(*ATTEMPT_FIELDS).filter(account_id=account.pk)
    if present is not None:
        has_attempts = "attempts" in present
        return {
            "notice": ValidationNotice.objects.filter(account_id=account.pk).order_by("-sent_on", "-id").first()
            if "notices" in present else None,
            "first_communication_at": (ContactAttempt.objects.filter(account_id=account.pk)
                                       .filter(first_communication_filter())
                                       .aggregate(at=Min("requested_at"))["at"]) if has_attempts else None,
            **(_attempt_rows(attempts, window=window, now=now, exclude_attempt_id=exclude_attempt_id)
               if has_attempts else {"attempts": [], "returned": []}),
            "disputes": list(Dispute.objects.filter(account_id=account.pk).order_by("-received_at", "-id"))
            if "disputes" in present else [],
            "original_creditor_requests": list(OriginalCreditorRequest.objects.filter(account_id=account.pk)
                                               .order_by("-received_at", "-id"))
            if "original_creditor_requests" in present else [],
        }
    return {
        "notice": ValidationNotice.objects.filter(account_id=account.pk).order_by("-sent_on", "-id").first(),
        "first_communication_at": (ContactAttempt.objects.filter(account_id=account.pk)
                                   .filter(first_communication_filter())
                                   .aggregate(at=Min("requested_at"))["at"]),
        "attempts": list(attempts.filter(status__in=HAPPENED, requested_at__gte=window, requested_at__lte=now)
                         .exclude(pk=exclude_attempt_id).order_by("requested_at", "id")),
        "returned": list(attempts.filter(status__in=UNDELIVERABLE_STATUSES, requested_at__gte=window,
                                         requested_at__lte=now).order_by("-requested_at", "-id")),
        "disputes": list(Dispute.objects.filter(account_id=account.pk).order_by("-received_at", "-id")),
        "original_creditor_requests": list(OriginalCreditorRequest.objects.filter(account_id=account.pk)
                                           .order_by("-received_at", "-id")),
    }


def _attempt_rows(attempts, *, window: datetime, now: datetime, exclude_attempt_id: int | None) -> dict:
    """The contact history and the undeliverable messages of the window, from one read of the log."""
    rows = list(attempts.filter(status__in=[*HAPPENED, *UNDELIVERABLE_STATUSES], requested_at__gte=window,
                                requested_at__lte=now).order_by("requested_at", "id"))
    return {"attempts": [a for a in rows if a.status in HAPPENED and a.pk != exclude_attempt_id],
            "returned": [a for a in reversed(rows) if a.status in UNDELIVERABLE_STATUSES]}


def event_facts(*, account: Account, now: datetime, exclude_attempt_id: int | None = None,
                rows: dict | None = None) -> dict:
    """Initial communication, validation notice, disputes, requests, contact history, credit reporting.

    ``rows`` are what ``event_rows`` reads (a batch passes the rows it read for many accounts).
    """
    if rows is None:
        rows = event_rows(account=account, now=now, exclude_attempt_id=exclude_attempt_id)
    notice = rows["notice"]
    me = debt_id(account)
    return {
        "initial_communication": _initial_communication(rows["first_communication_at"], notice),
        "validation_notice": {"provided_at": notice.sent_on.isoformat(), "method": notice.method,
                              "addressed_to": notice.addressee,
                              "stated_validation_period_end": iso(notice.stated_end_date)} if notice else None,
        "disputes": [{"id": f"DSP-{d.pk}", "received_at": iso(d.received_at), "method": d.method,
                      "postmarked_on": iso(d.postmarked_on), "scope": d.scope, "debt_ids": [me],
                      "verification_or_judgment_sent_at": iso(d.verification_sent_at),
                      # resolved without verification (withdrawn, account corrected): no longer pending
                      "withdrawn_at": iso(d.resolved_at) if d.status == DisputeStatus.RESOLVED
                      and not d.verification_sent_at else None}
                     for d in rows["disputes"]],
        "original_creditor_requests": [{"received_at": iso(r.received_at), "method": r.method,
                                        "provided_at": iso(r.provided_at), "debt_ids": [me]}
                                       for r in rows["original_creditor_requests"]],
        "contact_history": _history(rows["attempts"], account.debtor),
        "credit_reporting": {"previously_furnished": False, "last_furnished": None,
                             "undeliverable_notices": _undeliverable(rows["returned"])},
    }
