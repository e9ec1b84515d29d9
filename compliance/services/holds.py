"""Legal holds: place, release, and the set of accounts under any hold (explicit or derived)."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_record
from accounts.models import Account
from compliance.models.disputes import Dispute, DisputeStatus
from compliance.models.holds import HoldKind, LegalHold
from compliance.models.restrictions import Bankruptcy

OPEN_DISPUTE_STATUSES = (DisputeStatus.OPEN, DisputeStatus.VERIFICATION_SENT)


def place_hold(account, kind: str, reason: str, *, ref: str = "", user=None, meta: dict | None = None) -> LegalHold:
    """Put ``account`` under a legal hold of ``kind`` (dispute, suit, complaint, bankruptcy, fraud, other)."""
    if kind not in HoldKind.values:
        raise ValidationError(_("Unknown hold kind %(kind)s.") % {"kind": repr(kind)})
    if not (reason or "").strip():
        raise ValidationError(_("Say why the account is held."))
    with transaction.atomic():
        hold = LegalHold.objects.create(account=account, kind=kind, reason=reason.strip(), ref=(ref or "")[:120],
                                        placed_by=user if getattr(user, "is_authenticated", False) else None,
                                        placed_at=timezone.now())
        audit_record(user=user, action="create", obj=hold, meta=meta,
                     summary=f"legal hold ({kind}) on account {account.pk}: {reason.strip()}"
                             + (f" [ref {ref}]" if ref else ""))
    return hold


def release_hold(hold: LegalHold, *, user=None, meta: dict | None = None) -> LegalHold:
    """Release a hold; it stays on file with who released it and when."""
    with transaction.atomic():
        hold = LegalHold.objects.select_for_update().get(pk=hold.pk)
        if hold.released_at is not None:
            raise ValidationError(_("This hold has already been released."))
        hold.released_at = timezone.now()
        hold.released_by = user if getattr(user, "is_authenticated", False) else None
        hold.save(update_fields=["released_at", "released_by"])
        audit_record(user=user, action="update", obj=hold, meta=meta,
                     summary=f"released legal hold ({hold.kind}) on account {hold.account_id}")
    return hold


def active_hold_account_ids(account_ids: Iterable[int] | None = None) -> set[int]:
    """Ids of accounts under any hold now: an unreleased LegalHold, an open dispute (open or verification
    sent), or an active bankruptcy restriction (on the account, or on its debtor with no account given).

    ``account_ids`` limits the answer to those accounts (None: every account). Three set-based queries.
    """
    ids = None if account_ids is None else list(account_ids)
    if ids is not None and not ids:
        return set()

    def _limit(qs, field="account_id"):
        return qs if ids is None else qs.filter(**{f"{field}__in": ids})

    held: set[int] = set(_limit(LegalHold.objects.active()).values_list("account_id", flat=True))
    held |= set(_limit(Dispute.objects.filter(status__in=OPEN_DISPUTE_STATUSES)).values_list("account_id", flat=True))
    bankruptcies = Bankruptcy.objects.active()
    held |= set(_limit(bankruptcies.filter(account__isnull=False)).values_list("account_id", flat=True))
    debtor_level = bankruptcies.filter(account__isnull=True).values("debtor_id")
    accounts = Account.objects.filter(debtor_id__in=debtor_level)
    if ids is not None:
        accounts = accounts.filter(pk__in=ids)
    held |= set(accounts.values_list("pk", flat=True))
    return held


def account_holds(account) -> list[dict]:
    """Every reason ``account`` is held now, explicit or derived, for a page or an API."""
    out = [{"kind": h.kind, "reason": h.reason, "ref": h.ref, "id": h.pk, "source": "legal_hold"}
           for h in LegalHold.objects.active().filter(account=account)]
    out += [{"kind": HoldKind.DISPUTE, "reason": f"open dispute #{d.pk}", "ref": str(d.pk), "id": None,
             "source": "dispute"}
            for d in Dispute.objects.filter(account=account, status__in=OPEN_DISPUTE_STATUSES)]
    out += [{"kind": HoldKind.BANKRUPTCY, "reason": str(b), "ref": b.case_number, "id": None, "source": "bankruptcy"}
            for b in Bankruptcy.objects.active().filter(Q(account=account) | Q(account__isnull=True,
                                                                                 debtor_id=account.debtor_id))]
    return out
