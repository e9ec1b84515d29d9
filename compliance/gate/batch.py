"""Contexts for many accounts at once: the same facts as ``build_context``, in a fixed number of queries.

``build_context`` reads one account's facts with about twenty queries; a monthly furnishing run over a
million accounts cannot afford that per account. ``build_contexts`` reads the same rows for a chunk of
accounts with one query per table (``QUERIES_PER_CHUNK``, whatever the chunk size), groups them by account
or debtor in memory, and hands each account's rows to the very builders the one-account path uses
(``compliance.gate.facts``), so both paths produce the same context and the pure engine the same decision
(tests/gate/test_batch_contexts.py compares them over a varied portfolio).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import connections
from django.db.models import Min

from accounts.models import Account, Address, DebtType, Email, Phone
from compliance.models import (
    ContactAttempt,
    Dispute,
    MedicalDetail,
    OriginalCreditorRequest,
    TcpaConsent,
    ValidationNotice,
)
from compliance.models.logs import HAPPENED

from .facts import consumer_facts, debt_facts, event_facts, restriction_facts
from .facts.debt import MEDICAL_FIELDS
from .facts.events import (
    ATTEMPT_FIELDS,
    CONTACT_HISTORY_DAYS,
    UNDELIVERABLE_STATUSES,
    first_communication_filter,
)
from .facts.restrictions import SCOPED, direct_consents_query
from .snapshot import assemble_context

__all__ = ["CHUNK_SIZE", "QUERIES_PER_CHUNK", "build_contexts"]

#: Accounts per chunk: large enough that the per-chunk queries cost little per account, small enough that
#: a chunk's rows (and its IN lists) stay a few megabytes.
CHUNK_SIZE = 2000
#: accounts, addresses, phones, emails, TCPA consents, medical details, validation notices, first
#: communication, contact history, returned messages, disputes, original-creditor requests, each restriction
#: kind (``SCOPED``) and direct prior consents.
QUERIES_PER_CHUNK = 12 + len(SCOPED) + 1


def among(queryset, field: str, ids: list[int]):
    """``queryset`` narrowed to rows whose integer ``field`` is one of ``ids``.

    On PostgreSQL one array parameter (``= ANY(%s)``): Django's ``__in`` prepares, normalises and binds
    each of a chunk's thousands of ids one by one, which cost more than the query itself.
    """
    if connections[queryset.db].vendor != "postgresql":
        return queryset.filter(**{f"{field}__in": ids})
    meta = queryset.model._meta
    return queryset.extra(where=[f'"{meta.db_table}"."{meta.get_field(field).column}" = ANY(%s)'],
                          params=[[int(i) for i in ids]])


def _grouped(rows, key: str) -> dict[int, list]:
    out: dict[int, list] = defaultdict(list)
    for row in rows:
        out[getattr(row, key)].append(row)
    return out


def _event_rows(ids: list[int], now: datetime) -> dict[str, dict]:
    window = now - timedelta(days=CONTACT_HISTORY_DAYS)
    attempts = among(ContactAttempt.objects.only(*ATTEMPT_FIELDS), "account_id", ids)
    notices: dict[int, ValidationNotice] = {}
    for notice in among(ValidationNotice.objects.order_by("account_id", "-sent_on", "-id"), "account_id", ids):
        notices.setdefault(notice.account_id, notice)
    first = dict(among(ContactAttempt.objects.all(), "account_id", ids).filter(first_communication_filter())
                 .order_by().values("account_id").annotate(at=Min("requested_at")).values_list("account_id", "at"))
    return {
        "notice": notices,
        "first_communication_at": first,
        "attempts": _grouped(attempts.filter(status__in=HAPPENED, requested_at__gte=window, requested_at__lte=now)
                             .order_by("account_id", "requested_at", "id"), "account_id"),
        "returned": _grouped(attempts.filter(status__in=UNDELIVERABLE_STATUSES, requested_at__gte=window,
                                             requested_at__lte=now).order_by("account_id", "-requested_at", "-id"),
                             "account_id"),
        "disputes": _grouped(among(Dispute.objects.order_by("account_id", "-received_at", "-id"), "account_id", ids),
                             "account_id"),
        "original_creditor_requests": _grouped(among(OriginalCreditorRequest.objects.order_by(
            "account_id", "-received_at", "-id"), "account_id", ids), "account_id"),
    }


def _restriction_rows(debtor_ids: list[int], now: datetime) -> dict[str, dict]:
    rows = {key: _grouped(among(model.objects.active(now).order_by("debtor_id", "created_at", "id"), "debtor_id",
                                debtor_ids), "debtor_id")
            for key, model in SCOPED.items()}
    rows["direct_prior_consents"] = _grouped(among(direct_consents_query(now=now), "debtor_id", debtor_ids),
                                             "debtor_id")
    return rows


def _covering(rows: list, account: Account) -> list:
    """The debtor's rows that cover ``account``: those on every account and those on this one."""
    return [r for r in rows if r.account_id is None or r.account_id == account.pk]


def build_contexts(*, accounts: Iterable[Account | int], now: datetime,
                   actions: dict[int, dict] | None = None, action: dict | None = None) -> dict[int, dict]:
    """``{account id: context}`` for up to ``CHUNK_SIZE`` accounts, exactly as ``build_context`` builds each.

    The accounts are read again (as ``build_context`` does), with their debtors and creditors. The proposed
    action is ``actions[account id]``, else ``action``, else empty (the caller sets it).
    """
    ids = list(dict.fromkeys(a if isinstance(a, int) else a.pk for a in accounts))
    if not ids:
        return {}
    fresh = list(among(Account.objects.select_related("creditor", "debtor"), "id", ids))
    debtor_ids = sorted({a.debtor_id for a in fresh})
    # read by hand, not prefetch_related: a related manager per debtor costs more than the rows themselves
    points = {name: _grouped(among(model.objects.order_by("debtor_id", "id"), "debtor_id", debtor_ids), "debtor_id")
              for name, model in (("addresses", Address), ("phones", Phone), ("emails", Email))}
    phone_owner = {p.pk: debtor_pk for debtor_pk, phones in points["phones"].items() for p in phones}
    consents: dict[int, list] = defaultdict(list)
    # the debtors' phones' consents, in ``tcpa_consents`` order
    for consent in among(TcpaConsent.objects.order_by("-given_at", "-id"), "phone_id", list(phone_owner)):
        consents[phone_owner[consent.phone_id]].append(consent)
    medical_ids = [a.pk for a in fresh if a.debt_type == DebtType.MEDICAL]
    medical = ({m.account_id: m for m in among(MedicalDetail.objects.only(*MEDICAL_FIELDS), "account_id",
                                               medical_ids)} if medical_ids else {})
    events = _event_rows(ids, now)
    restrictions = _restriction_rows(debtor_ids, now)
    out: dict[int, dict] = {}
    by_pk = {a.pk: a for a in fresh}
    for account in (by_pk[pk] for pk in ids if pk in by_pk):
        pk, debtor_pk = account.pk, account.debtor_id
        event_rows = {
            "notice": events["notice"].get(pk),
            "first_communication_at": events["first_communication_at"].get(pk),
            **{key: events[key].get(pk, []) for key in ("attempts", "returned", "disputes",
                                                        "original_creditor_requests")},
        }
        restriction_rows = {key: _covering(by_debtor.get(debtor_pk, []), account)
                            for key, by_debtor in restrictions.items()}
        proposed = (actions or {}).get(pk) or action or {}
        out[pk] = assemble_context(
            account=account, action=proposed, now=now,
            consumer=consumer_facts(debtor=account.debtor, consents=consents.get(debtor_pk, []),
                                    contact_points={name: rows.get(debtor_pk, []) for name, rows in points.items()}),
            debt=debt_facts(account=account, medical_detail=medical.get(pk)),
            events=event_facts(account=account, now=now, rows=event_rows),
            restrictions=restriction_facts(account=account, now=now, rows=restriction_rows))
    return out
