"""Restrictions the gate must honour: cease, attorney, bankruptcy, deceased, SCRA, DNC,
inconvenient times and places, medium opt-outs."""

from django.db import models
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .base import Restriction
from .people import RelatedPerson

WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


class ReceiptMethod(models.TextChoices):
    WRITTEN_MAIL = "written_mail", _("Letter (mail)")
    WRITTEN_FAX = "written_fax", _("Fax")
    WRITTEN_EMAIL = "written_email", _("Email")
    WRITTEN_PORTAL = "written_portal", _("Web portal")
    ORAL = "oral", _("Oral (phone / in person)")
    SMS_REPLY = "sms_reply", _("Text reply")


class CeaseRequest(Restriction):
    """15 USC 1692c(c); 12 CFR 1006.6(c): a written refusal to pay or request to stop."""

    class Kind(models.TextChoices):
        CEASE = "cease_communication", _("Cease communication")
        REFUSE = "refuse_to_pay", _("Refuses to pay")

    kind = models.CharField(max_length=24, choices=Kind.choices, default=Kind.CEASE)
    received_at = models.DateTimeField()
    method = models.CharField(max_length=16, choices=ReceiptMethod.choices, default=ReceiptMethod.WRITTEN_MAIL)
    statement = models.TextField(blank=True)

    def __str__(self):
        return f"{self.get_kind_display()} received {self.received_at:%Y-%m-%d}"

    def describe(self) -> str:
        """What the screens show, in the reader's language (``str()`` stays English for records)."""
        return gettext("%(kind)s received %(day)s") % {"kind": self.get_kind_display(),
                                                       "day": f"{self.received_at:%Y-%m-%d}"}


class AttorneyRepresentation(Restriction):
    """15 USC 1692c(a)(2); 12 CFR 1006.6(b)(2): represented consumers are contacted via counsel."""

    name = models.CharField(max_length=200)
    firm = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=20, blank=True)
    email = models.EmailField(blank=True)
    address = models.CharField(max_length=300, blank=True)
    known_since = models.DateTimeField()
    consented_to_direct_contact_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"Attorney {self.name}" + (f" ({self.firm})" if self.firm else "")

    def describe(self) -> str:
        if self.firm:
            return gettext("Attorney %(name)s (%(firm)s)") % {"name": self.name, "firm": self.firm}
        return gettext("Attorney %(name)s") % {"name": self.name}


class Bankruptcy(Restriction):
    """11 USC 362 (automatic stay), 524 (discharge), 1301 (co-debtor stay)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DISCHARGED = "discharged", _("Discharged")
        DISMISSED = "dismissed", _("Dismissed")
        CLOSED = "closed", _("Closed")

    chapter = models.PositiveSmallIntegerField(choices=[(7, "7"), (11, "11"), (12, "12"), (13, "13")])
    case_number = models.CharField(max_length=40)
    court = models.CharField(max_length=120, blank=True)
    filed_on = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    notice_received_at = models.DateTimeField(null=True, blank=True)
    discharged_on = models.DateField(null=True, blank=True)
    dismissed_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "bankruptcies"

    def __str__(self):
        return f"Chapter {self.chapter} case {self.case_number} ({self.status})"

    def describe(self) -> str:
        return gettext("Chapter %(chapter)s case %(case)s (%(status)s)") % {
            "chapter": self.chapter, "case": self.case_number, "status": str(self.get_status_display()).lower()}


class DeceasedRecord(Restriction):
    """12 CFR 1006.6(a)(4): after death, communicate only with a personal representative."""

    date_of_death = models.DateField()
    personal_representative_name = models.CharField(max_length=200, blank=True)
    personal_representative_relationship = models.CharField(max_length=60, blank=True)
    personal_representative_phone = models.CharField(max_length=20, blank=True)
    personal_representative_address = models.CharField(max_length=300, blank=True)
    personal_representative_verified = models.BooleanField(default=False)

    def __str__(self):
        return f"Deceased {self.date_of_death}"

    def describe(self) -> str:
        return gettext("Deceased %(day)s") % {"day": self.date_of_death}


class ServicememberRecord(Restriction):
    """SCRA, 50 USC 3937 (6% cap) and 3931 (default judgments)."""

    status = models.CharField(max_length=20, default="active_duty")
    branch = models.CharField(max_length=60, blank=True)
    active_duty_start = models.DateField()
    active_duty_end = models.DateField(null=True, blank=True)
    notice_received_on = models.DateField(null=True, blank=True)
    orders_received = models.BooleanField(default=False)

    def __str__(self):
        return f"Servicemember from {self.active_duty_start}"

    def describe(self) -> str:
        return gettext("Servicemember from %(day)s") % {"day": self.active_duty_start}


class DoNotCallNumber(Restriction):
    """A number the debtor asked us never to call (a medium opt-out for that number)."""

    number = models.CharField(max_length=16, help_text=_("E.164"))
    requested_at = models.DateTimeField()
    method = models.CharField(max_length=16, choices=ReceiptMethod.choices, default=ReceiptMethod.ORAL)
    statement = models.TextField(blank=True)

    class Meta:
        verbose_name = "do-not-call number"

    def __str__(self):
        return f"Do not call {self.number}"

    def describe(self) -> str:
        return gettext("Do not call %(number)s") % {"number": self.number}


class InconvenientTime(Restriction):
    """12 CFR 1006.6(b)(1): a time the consumer said is inconvenient ("never before noon")."""

    days = models.JSONField(default=list, help_text='Weekdays, e.g. ["Mon", "Tue"]; empty: every day')
    start = models.TimeField()
    end = models.TimeField()
    time_zone = models.CharField(max_length=64)
    stated_at = models.DateTimeField()
    method = models.CharField(max_length=16, choices=ReceiptMethod.choices, default=ReceiptMethod.ORAL)
    statement = models.TextField(blank=True)

    def __str__(self):
        days = ",".join(self.days) or "every day"
        return f"Inconvenient {days} {self.start:%H:%M}-{self.end:%H:%M} {self.time_zone}"

    def describe(self) -> str:
        days = ", ".join(str(WEEKDAYS_ABBR[WEEKDAYS.index(d)]) if d in WEEKDAYS else d for d in self.days) \
            or gettext("every day")
        return gettext("Inconvenient: %(days)s %(start)s-%(end)s %(zone)s") % {
            "days": days, "start": f"{self.start:%H:%M}", "end": f"{self.end:%H:%M}", "zone": self.time_zone}


class InconvenientPlace(Restriction):
    """12 CFR 1006.6(b)(1)(ii): e.g. "don't call me at work"."""

    place = models.CharField(max_length=40, default="workplace")
    stated_at = models.DateTimeField()
    method = models.CharField(max_length=16, choices=ReceiptMethod.choices, default=ReceiptMethod.ORAL)
    statement = models.TextField(blank=True)

    def __str__(self):
        return f"Inconvenient place: {self.place}"

    def describe(self) -> str:
        return gettext("Inconvenient place: %(place)s") % {"place": self.place}


class MediumOptOut(Restriction):
    """12 CFR 1006.14(h): the consumer asked that a medium (or one address/number) not be used."""

    class Medium(models.TextChoices):
        CALL = "call", _("Phone calls")
        SMS = "sms", _("Text messages")
        EMAIL = "email", _("Email")
        LETTER = "letter", _("Letters")
        ELECTRONIC = "all_electronic", _("All electronic media")

    medium = models.CharField(max_length=16, choices=Medium.choices)
    address = models.CharField(max_length=254, blank=True, help_text=_("Optional: one number or email only"))
    requested_at = models.DateTimeField()
    method = models.CharField(max_length=16, choices=ReceiptMethod.choices, default=ReceiptMethod.ORAL)
    statement = models.TextField(blank=True)

    def __str__(self):
        return f"Opt-out {self.medium}" + (f" {self.address}" if self.address else "")

    def describe(self) -> str:
        medium = str(self.get_medium_display()).lower()
        if self.address:
            return gettext("Opt-out: %(medium)s at %(address)s") % {"medium": medium, "address": self.address}
        return gettext("Opt-out: %(medium)s") % {"medium": medium}


class FraudClaim(Restriction):
    """A claim that the debt is the result of fraud or identity theft: collection and credit reporting stop.

    [POL] Every channel, credit reporting included, is held while the claim is open. Statutory
    anchors: FCRA 605B (15 USC 1681c-2) blocks reporting information resulting from identity theft
    once an identity-theft report is received, and 623(a)(6) (1681s-2(a)(6)) bars furnishing it;
    12 CFR 1006.30(b) forbids selling or placing a debt subject to an identity-theft report.
    The claim ends (``ended_at``) when investigated: confirmed fraud closes the account (DF),
    an unfounded claim lets collection resume.
    """

    class Kind(models.TextChoices):
        FRAUD = "fraud", _("Fraud (account not opened or used by the debtor)")
        IDENTITY_THEFT = "identity_theft", _("Identity theft")

    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.IDENTITY_THEFT)
    received_at = models.DateTimeField()
    method = models.CharField(max_length=16, choices=ReceiptMethod.choices, default=ReceiptMethod.ORAL)
    # An identity-theft report (FTC IdentityTheft.gov report or police report), 15 USC 1681a(q)(4)
    identity_theft_report = models.BooleanField(default=False)
    statement = models.TextField(blank=True)

    def __str__(self):
        return f"{self.get_kind_display()} claim received {self.received_at:%Y-%m-%d}"

    def describe(self) -> str:
        return gettext("%(kind)s claim received %(day)s") % {"kind": str(self.get_kind_display()).lower(),
                                                             "day": f"{self.received_at:%Y-%m-%d}"}


RESTRICTION_MODELS = {
    "cease": CeaseRequest,
    "attorney": AttorneyRepresentation,
    "bankruptcy": Bankruptcy,
    "deceased": DeceasedRecord,
    "servicemember": ServicememberRecord,
    "dnc": DoNotCallNumber,
    "inconvenient_time": InconvenientTime,
    "inconvenient_place": InconvenientPlace,
    "medium_opt_out": MediumOptOut,
    "fraud_claim": FraudClaim,
    "related_person": RelatedPerson,
}
