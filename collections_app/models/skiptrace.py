"""Skip tracing as a case: a debtor we cannot reach is searched for, source by source, until located.

While a case is open the account is off the worklist (``WorkItem.hold_reason``); when it is located
the hold clears and the account returns to its queue. Every step is a row (sources tried, contact
points found) and an audit event.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class SkipStatus(models.TextChoices):
    OPEN = "open", _("Open")
    SEARCHING = "searching", _("Searching")
    LOCATED = "located", _("Located")
    NOT_FOUND = "not_found", _("Not found")
    CLOSED = "closed", _("Closed")


# Checked only in collections_app.skiptrace.services.skip_case_status_change.
SKIP_TRANSITIONS: dict[str, frozenset[str]] = {
    SkipStatus.OPEN: frozenset({SkipStatus.SEARCHING, SkipStatus.LOCATED, SkipStatus.NOT_FOUND, SkipStatus.CLOSED}),
    SkipStatus.SEARCHING: frozenset({SkipStatus.LOCATED, SkipStatus.NOT_FOUND, SkipStatus.CLOSED}),
    SkipStatus.LOCATED: frozenset({SkipStatus.CLOSED, SkipStatus.SEARCHING}),  # the new address bounced too
    SkipStatus.NOT_FOUND: frozenset({SkipStatus.SEARCHING, SkipStatus.CLOSED}),
    SkipStatus.CLOSED: frozenset(),
}
ACTIVE_STATUSES = (SkipStatus.OPEN, SkipStatus.SEARCHING)


class SkipReason(models.TextChoices):
    CONTACTS_FAILED = "contacts_failed", _("Every contact point failed")
    ADDRESS_UNKNOWN = "address_unknown", _("No address on file")
    MANUAL = "manual", _("Opened by a collector")


class SkipSource(models.TextChoices):
    CREDITOR_FILE = "creditor_file", _("Creditor file")
    LOAN_DOCUMENTS = "loan_documents", _("Loan documents")
    CREDIT_BUREAU = "credit_bureau_header", _("Credit-bureau header")
    VENDOR_BATCH = "vendor_batch", _("Vendor batch file")
    PUBLIC_RECORDS = "public_records", _("Public records")
    LOCATION_CALL = "location_call", _("Location call (third party)")


# the contact point's own source (accounts.ContactSource) for each skip source: the gate reads it
CONTACT_SOURCE = {
    SkipSource.CREDITOR_FILE: "creditor", SkipSource.LOAN_DOCUMENTS: "loan_documents",
    SkipSource.CREDIT_BUREAU: "credit_bureau_header", SkipSource.VENDOR_BATCH: "skip_trace_vendor",
    SkipSource.PUBLIC_RECORDS: "public_records", SkipSource.LOCATION_CALL: "third_party",
}


class SkipTraceCase(models.Model):
    account = models.ForeignKey("accounts.Account", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=12, choices=SkipStatus.choices, default=SkipStatus.OPEN)
    reason = models.CharField(max_length=16, choices=SkipReason.choices)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    opened_at = models.DateTimeField()
    located_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            # one live case per account: the automatic opener may run twice
            models.UniqueConstraint(fields=["account"], name="skip_case_one_active",
                                    condition=Q(status__in=["open", "searching"])),
        ]
        indexes = [models.Index(fields=["status", "opened_at"])]

    def __str__(self):
        with translation.override("en"):  # audit summaries quote it: records stay in one language
            return f"skip trace #{self.pk} ({self.get_status_display()}) on account {self.account_id}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES


class SkipSearch(models.Model):
    """One source tried on a case, and what it gave."""

    class Result(models.TextChoices):
        PENDING = "pending", _("Requested, waiting")
        HIT = "hit", _("Found contact information")
        NO_HIT = "no_hit", _("Nothing new")

    case = models.ForeignKey(SkipTraceCase, on_delete=models.PROTECT, related_name="searches")
    source = models.CharField(max_length=24, choices=SkipSource.choices)
    result = models.CharField(max_length=8, choices=Result.choices, default=Result.PENDING)
    detail = models.CharField(max_length=500, blank=True)
    vendor_batch = models.ForeignKey("collections_app.SkipVendorBatch", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="searches")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.get_source_display()}: {self.get_result_display()}"


class SkipLead(models.Model):
    """A contact point a source gave us (added to the debtor with that source)."""

    class Kind(models.TextChoices):
        PHONE = "phone", _("Phone")
        ADDRESS = "address", _("Address")
        EMAIL = "email", _("Email")

    case = models.ForeignKey(SkipTraceCase, on_delete=models.PROTECT, related_name="leads")
    search = models.ForeignKey(SkipSearch, null=True, blank=True, on_delete=models.PROTECT, related_name="leads")
    source = models.CharField(max_length=24, choices=SkipSource.choices)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    contact_id = models.BigIntegerField()
    value = models.CharField(max_length=300)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.kind} {self.value} from {self.source}"


class SkipVendorBatch(models.Model):
    """A batch file sent to a skip-trace vendor, and the file it sent back."""

    class Status(models.TextChoices):
        SENT = "sent", _("Sent to the vendor")
        RETURNED = "returned", _("Results loaded")

    status = models.CharField(max_length=8, choices=Status.choices, default=Status.SENT)
    cases = models.PositiveIntegerField(default=0)
    out_sha256 = models.CharField(max_length=64)
    in_sha256 = models.CharField(max_length=64, blank=True)
    in_rows = models.PositiveIntegerField(default=0)
    in_hits = models.PositiveIntegerField(default=0)
    in_errors = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    returned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"vendor batch #{self.pk} ({self.cases} cases, {self.get_status_display()})"
