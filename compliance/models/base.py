"""Shared pieces of compliance records: the restriction base (and the append-only guard, from accounts)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models.append_only import AppendOnlyModel, AppendOnlyQuerySet  # noqa: F401 (re-exported)


class RestrictionQuerySet(models.QuerySet):
    def active(self, at=None):
        """Restrictions in force at ``at`` (default now): not ended, or ended later."""
        at = at or timezone.now()
        return self.filter(models.Q(ended_at__isnull=True) | models.Q(ended_at__gt=at))


class Restriction(models.Model):
    """A fact that limits contact with a debtor, on every account or on one (``account``).

    Never deleted: a restriction that no longer applies is ended (``ended_at``, by whom, why),
    so the record of what the gate knew and when stays complete (12 CFR 1006.100).
    """

    debtor = models.ForeignKey("accounts.Debtor", on_delete=models.PROTECT, related_name="+")
    account = models.ForeignKey("accounts.Account", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", help_text=_("Empty: applies to every account of the debtor"))
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    end_reason = models.CharField(max_length=200, blank=True)

    objects = RestrictionQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_active(self) -> bool:
        return self.ended_at is None or self.ended_at > timezone.now()

    def debt_ids(self) -> list[str] | None:
        """Engine scope: None means every debt of the debtor."""
        return [str(self.account_id)] if self.account_id else None

    def describe(self) -> str:
        """What the screens show, in the reader's language; each kind words its own (``str()`` stays
        English: hold reasons and audit summaries quote it)."""
        return str(self)
