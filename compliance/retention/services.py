"""``purge_run``: the retention purge. Set-based per record kind, holds respected, a certificate in the audit log.

Personal data is anonymised, never the money: ledger entries (amounts, dates, references), balances and
account numbers stay, so ``verify_balances`` still proves every balance. Files (import files, error
reports, generated letters) are deleted from storage after the database commit. A rerun finds nothing
more: each kind's selection excludes what is already purged.
"""

from __future__ import annotations

from datetime import datetime

from django.core.files.storage import default_storage
from django.db import connection, models, transaction
from django.utils import timezone

from accounts.audit import audit_record
from accounts.models import Account, Address, Debtor, Email, ImportBatch, Phone
from compliance.models import (
    ContactAttempt,
    Dispute,
    MedicalDetail,
    PurgedRecord,
    PurgeRun,
    RecordKind,
    RelatedPerson,
    RetentionPolicy,
    TcpaConsent,
    ValidationNotice,
)
from compliance.services.holds import active_hold_account_ids

from . import selectors

CHUNK = 5000  # ids per statement: bounded memory and statement size at millions of rows
CERTIFICATE_IDS = 1000  # ids named per kind in the run's certificate (the count is always complete)
PURGED_NAME = "(purged)"


def _chunks(ids: list[int]):
    for i in range(0, len(ids), CHUNK):
        yield ids[i:i + CHUNK]


def _redact_attempts(ids: list[int]) -> int:
    if connection.vendor == "postgresql":
        # The contact log is append-only for the application role; this owner function blanks the personal
        # content of attempts older than the policy (compliance migration 0010).
        n = 0
        with connection.cursor() as cur:
            for chunk in _chunks(ids):
                cur.execute("SELECT compliance_retention_redact_attempts(%s::bigint[])", [chunk])
                n += cur.fetchone()[0]
        return n
    n = 0
    for attempt in ContactAttempt.objects.filter(pk__in=ids).only("pk", "decision"):
        decision = {"decision": (attempt.decision or {}).get("decision"),
                    "reasons": (attempt.decision or {}).get("reasons") or [], "redacted": True}
        n += models.QuerySet.update(ContactAttempt.objects.filter(pk=attempt.pk), to="", notes="", content={},
                                    context={}, send_decision=None, error="", decision=decision,
                                    third_party_name="", third_party_id="")
    return n


def _anonymise_debtors(ids: list[int], run: PurgeRun) -> int:
    n = 0
    consented = TcpaConsent.objects.values("phone_id")
    for chunk in _chunks(ids):
        n += Debtor.objects.filter(pk__in=chunk).update(first_name="", last_name=PURGED_NAME, business_name="",
                                                        date_of_birth=None, ssn_last4="", stated_time_zone="")
        Address.objects.filter(debtor_id__in=chunk).delete()
        Email.objects.filter(debtor_id__in=chunk).delete()
        Phone.objects.filter(debtor_id__in=chunk).exclude(pk__in=consented).delete()
        # A phone that a TCPA consent record points at stays as a row (the consent is evidence) without its number.
        Phone.objects.filter(debtor_id__in=chunk).update(number="", tcpa_consent_source="", status="do_not_use")
        RelatedPerson.objects.filter(debtor_id__in=chunk).update(name=PURGED_NAME, phone="", email="")
        accounts = Account.objects.filter(debtor_id__in=chunk).values("pk")
        # Protected health information of medical accounts (45 CFR 164.514: keep only the generic name).
        MedicalDetail.objects.filter(account_id__in=accounts).update(
            provider_name=PURGED_NAME, diagnosis_codes=[], procedure_codes=[], service_description="",
            insurance_carrier="", insurance_claim_number="")
        ValidationNotice.objects.filter(account_id__in=accounts).update(addressee=PURGED_NAME)
        Dispute.objects.filter(account_id__in=accounts).update(description="")
        PurgedRecord.objects.bulk_create([PurgedRecord(kind=RecordKind.PERSONAL_DATA, object_id=i, run=run)
                                          for i in chunk], ignore_conflicts=True)
    return n


def _clear_files(qs, field: str) -> tuple[int, list[str]]:
    names = [n for n in qs.values_list(field, flat=True) if n]
    n = models.QuerySet.update(qs.model.objects.filter(pk__in=list(qs.values_list("pk", flat=True))), **{field: ""})
    return n, names


def policies_ensure_defaults() -> int:
    """A record kind with no policy row gets the rule book's default (compliance/retention/defaults.py,
    also seeded by migration 0010); an edited or deactivated policy is never touched. Returns how many
    were created."""
    from .defaults import DEFAULT_POLICIES

    created = 0
    for row in DEFAULT_POLICIES:
        created += RetentionPolicy.objects.get_or_create(kind=row["kind"], defaults=row)[1]
    return created


def purge_plan(*, now: datetime | None = None, list_limit: int = selectors.LIST_LIMIT) -> dict:
    """What a purge would do now, per kind: policy, cutoff, count, held back, the first records. No writes."""
    now = now or timezone.now()
    held = active_hold_account_ids()
    plan = {}
    policies_ensure_defaults()
    for kind, policy in selectors.policies().items():
        qs = selectors.due(kind, policy=policy, now=now, held=held)
        unheld = selectors.due(kind, policy=policy, now=now, held=set()).count() if held else None
        count = qs.count()
        plan[kind] = {"policy_days": policy.retention_days, "basis": policy.basis, "action": policy.action,
                      "cutoff": selectors.cutoff_for(policy, now).isoformat(), "count": count,
                      "held_back": (unheld - count) if held else 0,
                      "first": [selectors.describe(kind, o) for o in qs[:list_limit]]}
    return plan


def purge_run(*, dry_run: bool = False, user=None, now: datetime | None = None, meta: dict | None = None) -> dict:
    """Purge every record kind that is due, or (``dry_run``) only say what would go.

    Returns ``{"dry_run", "counts": {kind: n}, "plan": {...}, "run": id or None}``. A real run writes a
    ``PurgeRun`` and an audit event (the purge certificate: what, how many, which policy, held back).
    """
    now = now or timezone.now()
    plan = purge_plan(now=now)
    counts = {kind: p["count"] for kind, p in plan.items()}
    if dry_run:
        return {"dry_run": True, "counts": counts, "plan": plan, "run": None}
    held = active_hold_account_ids()
    files: list[str] = []
    certificate = {}
    with transaction.atomic():
        run = PurgeRun.objects.create(dry_run=False, started_at=now,
                                      user=user if getattr(user, "is_authenticated", False) else None)
        policies_ensure_defaults()
        policies = selectors.policies()
        for kind, policy in policies.items():
            qs = selectors.due(kind, policy=policy, now=now, held=held)
            ids = list(qs.values_list("pk", flat=True))
            if kind == RecordKind.CONTACT_ATTEMPTS:
                n = _redact_attempts(ids)
            elif kind == RecordKind.PERSONAL_DATA:
                n = _anonymise_debtors(ids, run)
            elif kind == RecordKind.IMPORT_FILES:
                n, names = _clear_files(ImportBatch.objects.filter(pk__in=ids), "file")
                files += names
            elif kind == RecordKind.ERROR_REPORTS:
                n, names = _clear_files(ImportBatch.objects.filter(pk__in=ids), "error_report")
                files += names
            else:
                n, names = _clear_files(ValidationNotice.objects.filter(pk__in=ids), "pdf")
                files += names
            counts[kind] = n
            certificate[kind] = {**{k: v for k, v in plan[kind].items() if k != "first"}, "count": n,
                                 "ids": ids[:CERTIFICATE_IDS]}
        run.counts, run.certificate, run.finished_at = counts, certificate, timezone.now()
        run.save(update_fields=["counts", "certificate", "finished_at"])
        audit_record(user=user, action="delete", obj=run, meta=meta,
                     summary="purge certificate: " + "; ".join(
                         f"{kind} {c['count']} (policy {c['policy_days']} days, before {c['cutoff'][:10]}, "
                         f"{c['held_back']} held)" for kind, c in certificate.items()))
        transaction.on_commit(lambda: [default_storage.delete(name) for name in files])
    return {"dry_run": False, "counts": counts, "plan": plan, "run": run.pk}
