"""What each retention policy would purge now: one queryset per record kind, holds already excluded.

Set-based: each kind is one SQL statement over the accounts' last collection activity (the latest of the
placement, the account's last change, its last ledger posting and its last contact attempt).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.db.models import DateTimeField, Exists, Max, OuterRef, Q, Subquery
from django.db.models.functions import Cast, Coalesce, Greatest
from django.utils.translation import gettext as _

from accounts.models import Account, AccountStatus, Debtor, ImportBatch, LedgerEntry
from compliance.models import ContactAttempt, PurgedRecord, RecordKind, RetentionPolicy, ValidationNotice

CLOSED_STATUSES = (AccountStatus.PAID, AccountStatus.SETTLED, AccountStatus.CLOSED, AccountStatus.RECALLED)
FINISHED_IMPORTS = ("invalid", "imported", "already_imported", "failed", "validated")
LIST_LIMIT = 20  # rows a dry run lists per kind before its counts


def policies() -> dict[str, RetentionPolicy]:
    return {p.kind: p for p in RetentionPolicy.objects.filter(is_active=True)}


def cutoff_for(policy: RetentionPolicy, now: datetime) -> datetime:
    return now - timedelta(days=policy.retention_days)


def accounts_with_last_activity():
    ledger = (LedgerEntry.objects.filter(account_id=OuterRef("pk")).order_by().values("account_id")
              .annotate(m=Max("posted_date")).values("m"))
    contact = (ContactAttempt.objects.filter(account_id=OuterRef("pk")).order_by().values("account_id")
               .annotate(m=Max("requested_at")).values("m"))
    return Account.objects.annotate(last_activity=Greatest(
        "placed_at", "updated_at",
        Coalesce(Cast(Subquery(ledger), DateTimeField()), "placed_at"),
        Coalesce(Subquery(contact), "placed_at")))


def _first_posting_day_at_or_after(cutoff: datetime):
    """The first posting date whose midnight (UTC, as the last-activity comparison casts it) is not
    before ``cutoff``: a ledger date counts as activity since the cutoff from this day on."""
    moment = cutoff.astimezone(UTC)
    day = moment.date()
    return day if moment.time() == datetime.min.time() else day + timedelta(days=1)


def _active_since(cutoff: datetime, account_ref: str = "pk") -> Q:
    """Collection activity on the account (OuterRef ``account_ref``) since ``cutoff``: each condition an
    index probe per candidate, never a scan of every account's history (the same test as
    ``accounts_with_last_activity().filter(last_activity__gte=cutoff)``)."""
    return (Q(Exists(LedgerEntry.objects.filter(account_id=OuterRef(account_ref),
                                                posted_date__gte=_first_posting_day_at_or_after(cutoff))))
            | Q(Exists(ContactAttempt.objects.filter(account_id=OuterRef(account_ref), requested_at__gte=cutoff))))


def inactive_accounts(*, cutoff: datetime, held: set[int]):
    """Accounts with no collection activity since ``cutoff`` and under no hold. The cheap tests (placed
    and changed before the cutoff) narrow the set before the ledger and the contact log are probed."""
    return (Account.objects.filter(placed_at__lt=cutoff, updated_at__lt=cutoff).exclude(pk__in=held)
            .exclude(_active_since(cutoff)))


def due(kind: str, *, policy: RetentionPolicy, now: datetime, held: set[int]):
    """The records of ``kind`` the policy says are due now (not yet purged, not held)."""
    cutoff = cutoff_for(policy, now)
    if kind == RecordKind.CONTACT_ATTEMPTS:
        return (ContactAttempt.objects.filter(account_id__in=inactive_accounts(cutoff=cutoff, held=held).values("pk"))
                .exclude(context={}).order_by("id"))
    if kind == RecordKind.PERSONAL_DATA:
        # Debtors whose every account is closed or paid, untouched since the cutoff and not held: found
        # from their closed, old accounts (few), never by computing every account's last activity.
        finished = Account.objects.filter(debtor_id=OuterRef("pk"), status__in=CLOSED_STATUSES,
                                          placed_at__lt=cutoff, updated_at__lt=cutoff)
        keeps = Account.objects.filter(debtor_id=OuterRef("pk")).filter(
            ~Q(status__in=CLOSED_STATUSES) | Q(placed_at__gte=cutoff) | Q(updated_at__gte=cutoff) | Q(pk__in=held)
            | _active_since(cutoff))
        purged = PurgedRecord.objects.filter(kind=kind).values("object_id")
        return Debtor.objects.filter(Exists(finished)).exclude(Exists(keeps)).exclude(pk__in=purged).order_by("id")
    if kind in (RecordKind.IMPORT_FILES, RecordKind.ERROR_REPORTS):
        field = "file" if kind == RecordKind.IMPORT_FILES else "error_report"
        touches_held = LedgerEntry.objects.filter(import_batch_id=OuterRef("pk"), account_id__in=held)
        return (ImportBatch.objects.filter(created_at__lt=cutoff, status__in=FINISHED_IMPORTS)
                .exclude(**{field: ""}).exclude(Exists(touches_held)).order_by("id"))
    if kind == RecordKind.GENERATED_LETTERS:
        return (ValidationNotice.objects.filter(account_id__in=inactive_accounts(cutoff=cutoff, held=held)
                                                .values("pk"))
                .exclude(pdf="").order_by("id"))
    raise ValueError(f"unknown record kind {kind!r}")


def describe(kind: str, obj) -> str:
    """One line for a dry run's list: what it is, never the personal data itself."""
    if kind == RecordKind.CONTACT_ATTEMPTS:
        return _("contact attempt #%(number)s (%(channel)s, %(day)s) on account %(account)s") % {
            "number": obj.pk, "channel": obj.get_channel_display(), "day": f"{obj.requested_at:%Y-%m-%d}",
            "account": obj.account_id}
    if kind == RecordKind.PERSONAL_DATA:
        return _("debtor #%(number)s (every account closed or paid)") % {"number": obj.pk}
    if kind == RecordKind.IMPORT_FILES:
        return _("import #%(number)s file %(name)s (%(day)s)") % {
            "number": obj.pk, "name": obj.original_name, "day": f"{obj.created_at:%Y-%m-%d}"}
    if kind == RecordKind.ERROR_REPORTS:
        return _("import #%(number)s error report (%(day)s)") % {"number": obj.pk, "day": f"{obj.created_at:%Y-%m-%d}"}
    return _("validation notice #%(number)s PDF (%(day)s) on account %(account)s") % {
        "number": obj.pk, "day": obj.sent_on, "account": obj.account_id}


def recent_runs(limit: int = 20):
    from compliance.models import PurgeRun

    return PurgeRun.objects.select_related("user")[:limit]
