"""``restriction_facts``: what limits contact with the debtor (COMPLIANCE.md §3, §2 B, E, F, L-N)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import connection
from django.db.models import Q

from accounts.models import Account
from compliance.models import (
    AttorneyRepresentation,
    Bankruptcy,
    CeaseRequest,
    DeceasedRecord,
    DirectPriorConsent,
    DoNotCallNumber,
    FraudClaim,
    InconvenientPlace,
    InconvenientTime,
    MediumOptOut,
    RelatedPerson,
    ServicememberRecord,
)

from .common import consumer_id, iso, scoped
from .events import CONTACT_HISTORY_DAYS


def _direct_consents(consents) -> list[dict]:
    """DirectPriorConsent rows in the shape compliance.rules.consent reads.

    Given directly to the debt collector, by the consumer or by a related person 1006.6(a) treats
    as the consumer (``given_directly_by`` = that person's engine id). Revoked ones stay in, with
    ``revoked_at``, because calls placed before the revocation remain excluded from 7-in-7.
    """
    return [{
        "id": f"DPC-{c.pk}",
        "type": c.scope,
        "given_at": iso(c.given_at),
        "given_directly_by": f"REL-{c.given_by_id}" if c.given_by_id else "consumer",
        "to": "debt_collector",
        "channel": c.given_via,
        "debt_ids": [str(c.account_id)] if c.account_id else None,
        "revoked_at": iso(c.revoked_at),
        "consented_at_local": iso(c.consented_at),
        "start_local": c.window_start.strftime("%H:%M") if c.window_start else None,
        "end_local": c.window_end.strftime("%H:%M") if c.window_end else None,
        "timezone": c.time_zone or None,
        "days_of_week": c.days or None,
        "until": iso(c.until),
        "statement": c.statement,
    } for c in consents]


def _related(people, death) -> list[dict]:
    out = [{"id": p.engine_id, "name": p.name, "relationship": p.relationship, "phone": p.phone or None,
            "email": p.email or None, "is_personal_representative": p.is_personal_representative,
            "pr_evidence": p.pr_evidence or None, "verified": p.verified} for p in people]
    if death and death.personal_representative_name:
        out.append({"id": f"PR-{death.pk}", "name": death.personal_representative_name,
                    "relationship": "personal_representative", "is_personal_representative": True,
                    "verified": death.personal_representative_verified})
    return out


# Every table restriction_facts reads; each of its queries filters on the debtor.
RESTRICTION_TABLES = (CeaseRequest, AttorneyRepresentation, Bankruptcy, DeceasedRecord, ServicememberRecord,
                      DoNotCallNumber, MediumOptOut, DirectPriorConsent, InconvenientTime, InconvenientPlace,
                      RelatedPerson, FraudClaim)


def _has_any_record(debtor_id: int) -> bool:
    """Does any table restriction_facts reads hold a row of this debtor? One indexed query.

    Most debtors have none, and then every query below would come back empty: ``restriction_facts``
    answers from the empty lists at once (the same dict, one query instead of eleven).
    """
    sql = " OR ".join(f"EXISTS (SELECT 1 FROM {m._meta.db_table} WHERE debtor_id = %s)" for m in RESTRICTION_TABLES)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT CASE WHEN {sql} THEN 1 ELSE 0 END", [debtor_id] * len(RESTRICTION_TABLES))
        return bool(cursor.fetchone()[0])


# The restriction kinds the facts read: key -> model. Each is read "in force at now, this debtor, this account
# or all of the debtor's accounts", oldest first (``common.scoped``).
SCOPED = {"cease": CeaseRequest, "attorney": AttorneyRepresentation, "bankruptcy": Bankruptcy,
          "deceased": DeceasedRecord, "servicemember": ServicememberRecord, "dnc": DoNotCallNumber,
          "opt_outs": MediumOptOut, "inconvenient_times": InconvenientTime,
          "inconvenient_places": InconvenientPlace, "related_persons": RelatedPerson, "fraud": FraudClaim}


def direct_consents_query(*, now: datetime):
    """Direct prior consents given by ``now``, unrevoked or revoked within the history window (filter by debtor)."""
    return (DirectPriorConsent.objects.filter(given_at__lte=now)
            .filter(Q(revoked_at__isnull=True) | Q(revoked_at__gt=now - timedelta(days=CONTACT_HISTORY_DAYS)))
            .order_by("given_at", "id"))


def restriction_rows(*, account: Account, now: datetime, any_record: bool | None = None) -> dict:
    """The stored rows ``restriction_facts`` reads for one account (a batch reads the same for many at once).

    ``any_record``: whether any of those tables holds a row of the debtor, when the caller knows.
    """
    if not (_has_any_record(account.debtor_id) if any_record is None else any_record):
        return {**{key: [] for key in SCOPED}, "direct_prior_consents": []}
    rows = {key: list(scoped(model, account=account, now=now)) for key, model in SCOPED.items()}
    rows["direct_prior_consents"] = [c for c in direct_consents_query(now=now).filter(debtor_id=account.debtor_id)
                                     if c.account_id in (None, account.pk)]
    return rows


def restriction_facts(*, account: Account, now: datetime, rows: dict | None = None) -> dict:
    """``{"consumer": {...}, "facts": {...}}``: the parts of the context that restrict contact.

    ``rows`` are what ``restriction_rows`` reads (a batch passes the rows it read for many accounts).
    """
    if rows is None:
        rows = restriction_rows(account=account, now=now)

    def last(key):
        return rows[key][-1] if rows[key] else None

    return _facts(account=account, cease=rows["cease"], lawyer=last("attorney"), bk=last("bankruptcy"),
                  death=last("deceased"), member=last("servicemember"), dnc=rows["dnc"], opt_outs=rows["opt_outs"],
                  consents=rows["direct_prior_consents"], times=rows["inconvenient_times"],
                  places=rows["inconvenient_places"], people=rows["related_persons"], fraud=rows["fraud"])


def _facts(*, account: Account, cease, lawyer, bk, death, member, dnc, opt_outs, consents, times, places,
           people, fraud) -> dict:
    me = consumer_id(account.debtor)
    consumer = {
        "deceased": death is not None,
        "date_of_death": iso(death.date_of_death) if death else None,
        "inconvenient_times": [{"days_of_week": t.days, "start_local": t.start.strftime("%H:%M"),
                                "end_local": t.end.strftime("%H:%M"), "timezone": t.time_zone,
                                "stated_at": iso(t.stated_at), "method": t.method, "statement": t.statement}
                               for t in times],
        "inconvenient_places": [{"place": p.place, "stated_at": iso(p.stated_at), "method": p.method,
                                 "statement": p.statement}
                                for p in places],
        "workplace_contact_prohibited": False,
        "medium_opt_outs": [{"medium": o.medium, "address": o.address or None, "requested_at": iso(o.requested_at),
                             "method": o.method, "statement": o.statement} for o in opt_outs]
        + [{"medium": "call", "address": d.number, "requested_at": iso(d.requested_at), "method": d.method,
            "statement": d.statement or "Do not call this number"} for d in dnc],
        "direct_prior_consents": _direct_consents(consents),
        "attorney": {"name": lawyer.name, "firm": lawyer.firm, "address": lawyer.address, "phone": lawyer.phone,
                     "email": lawyer.email, "known_since": iso(lawyer.known_since), "debt_ids": lawyer.debt_ids(),
                     "consented_to_direct_contact_at": iso(lawyer.consented_to_direct_contact_at),
                     "collector_letter_to_attorney_sent_at": None} if lawyer else None,
        "servicemember": {"status": member.status, "branch": member.branch,
                          "active_duty_start": iso(member.active_duty_start),
                          "active_duty_end": iso(member.active_duty_end),
                          "scra_written_notice_received_on": iso(member.notice_received_on),
                          "copy_of_orders_received": member.orders_received} if member else None,
        "related_persons": _related(people, death),
    }
    facts = {
        "cease_notice": [{"received_at": iso(c.received_at), "method": c.method, "type": c.kind,
                          "debt_ids": c.debt_ids()} for c in cease] or None,
        "bankruptcy": {"debtor_ids": [me], "chapter": bk.chapter, "petition_filed_on": iso(bk.filed_on),
                       "case_number": bk.case_number, "court": bk.court, "status": bk.status,
                       "notice_received_at": iso(bk.notice_received_at), "discharged_on": iso(bk.discharged_on),
                       "dismissed_on": iso(bk.dismissed_on), "debt_ids": bk.debt_ids()} if bk else None,
        # open fraud / identity-theft claims: FRAUD-01 holds every channel, credit reporting included
        "fraud_claims": [{"id": f"FRD-{c.pk}", "kind": c.kind, "received_at": iso(c.received_at),
                          "identity_theft_report": c.identity_theft_report, "debt_ids": c.debt_ids()}
                         for c in fraud] or None,
    }
    return {"consumer": consumer, "facts": facts}
