"""Creditors (our clients) and debtors with their contact points."""

from django.db import models
from django.utils.translation import gettext_lazy as _


def default_allocation_order():
    # Payments retire fees, then interest, then principal unless the client's contract says otherwise.
    return ["fees", "interest", "principal"]


class Creditor(models.Model):
    class Kind(models.TextChoices):
        BANK = "bank", _("Bank / card issuer")
        LENDER = "lender", _("Consumer or auto lender")
        HEALTHCARE = "healthcare", _("Healthcare provider")
        UTILITY = "utility", _("Utility")
        BUSINESS = "business", _("Business (B2B receivables)")
        DEBT_BUYER = "debt_buyer", _("Debt buyer")

    code = models.SlugField(max_length=32, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.BANK)
    allocation_order = models.JSONField(default=default_allocation_order)
    # Largest discount (percent of balance) a collector may offer without supervisor approval.
    settlement_authority_pct = models.DecimalField(max_digits=5, decimal_places=2, default=20)
    is_active = models.BooleanField(default=True)
    # ISO 4217: the currency of every amount in this creditor's files (imports refuse any other).
    currency = models.CharField(max_length=3, default="USD", db_default="USD")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.code})"


class Debtor(models.Model):
    class Type(models.TextChoices):
        CONSUMER = "consumer", _("Consumer")
        BUSINESS = "business", _("Business")

    class Language(models.TextChoices):
        EN = "en", _("English")
        ES = "es", _("Spanish")

    debtor_type = models.CharField(max_length=10, choices=Type.choices, default=Type.CONSUMER)
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True, db_index=True)
    business_name = models.CharField(max_length=200, blank=True)
    date_of_birth = models.DateField(null=True, blank=True)
    ssn_last4 = models.CharField(max_length=4, blank=True)
    preferred_language = models.CharField(max_length=2, choices=Language.choices, default=Language.EN)
    # The location the debtor told us they are in now; it replaces every other candidate zone.
    stated_time_zone = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["last_name", "first_name"])]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.debtor_type == self.Type.BUSINESS and self.business_name:
            return self.business_name
        return f"{self.first_name} {self.last_name}".strip() or self.business_name


class ContactStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    WRONG = "wrong", _("Wrong party / wrong number")
    DISCONNECTED = "disconnected", _("Disconnected / bounced")
    DO_NOT_USE = "do_not_use", _("Do not use")
    RETURNED = "returned", _("Returned mail / not at this address")


class ContactSource(models.TextChoices):
    """Where a contact point came from. The gate reads it as ``phones[].number_source`` (COMPLIANCE.md
    §3): TCPA consent only passes with a number the consumer gave (FCC 2008 ACA ruling), so a number
    found by skip tracing must say so."""

    UNKNOWN = "", _("Not recorded")
    CONSUMER = "consumer", _("The consumer")
    CREDITOR = "creditor", _("Creditor file")
    LOAN_DOCUMENTS = "loan_documents", _("Loan documents")
    CREDIT_BUREAU = "credit_bureau_header", _("Credit-bureau header")
    SKIP_TRACE_VENDOR = "skip_trace_vendor", _("Skip-trace vendor")
    PUBLIC_RECORDS = "public_records", _("Public records")
    THIRD_PARTY = "third_party", _("Third party (location call)")


class Address(models.Model):
    debtor = models.ForeignKey(Debtor, on_delete=models.CASCADE, related_name="addresses")
    line1 = models.CharField(max_length=200)
    line2 = models.CharField(max_length=200, blank=True)
    city = models.CharField(max_length=100)
    state = models.CharField(max_length=2)
    zip = models.CharField(max_length=10)
    is_primary = models.BooleanField(default=True)
    status = models.CharField(max_length=16, choices=ContactStatus.choices, default=ContactStatus.ACTIVE)
    time_zone = models.CharField(max_length=64, blank=True, help_text="IANA zone derived from the ZIP")
    # db_default: bulk loaders write contact points by COPY without naming this column.
    source = models.CharField(max_length=24, choices=ContactSource.choices, blank=True, default="", db_default="")

    class Meta:
        verbose_name_plural = "addresses"

    def __str__(self):
        return f"{self.line1}, {self.city}, {self.state} {self.zip}"


class Phone(models.Model):
    class Type(models.TextChoices):
        CELL = "cell", _("Cell")
        HOME = "home", _("Home (landline)")
        WORK = "work", _("Work")
        VOIP = "voip", _("VoIP")
        OTHER = "other", _("Other")

    debtor = models.ForeignKey(Debtor, on_delete=models.CASCADE, related_name="phones")
    number = models.CharField(max_length=16, db_index=True, help_text="E.164, e.g. +14045550101")
    phone_type = models.CharField(max_length=8, choices=Type.choices, default=Type.CELL)
    status = models.CharField(max_length=16, choices=ContactStatus.choices, default=ContactStatus.ACTIVE)
    is_workplace = models.BooleanField(default=False)
    # TCPA prior express consent for autodialed / prerecorded calls and texts (47 USC 227(b)).
    tcpa_consent = models.BooleanField(default=False)
    tcpa_consent_source = models.CharField(max_length=64, blank=True)
    tcpa_consent_at = models.DateTimeField(null=True, blank=True)
    tcpa_revoked_at = models.DateTimeField(null=True, blank=True)
    time_zones = models.JSONField(default=list, blank=True, help_text="IANA zones of the area code")
    # db_default: bulk loaders write contact points by COPY without naming this column.
    source = models.CharField(max_length=24, choices=ContactSource.choices, blank=True, default="", db_default="")

    def __str__(self):
        return self.number


class Email(models.Model):
    debtor = models.ForeignKey(Debtor, on_delete=models.CASCADE, related_name="emails")
    address = models.EmailField()
    status = models.CharField(max_length=16, choices=ContactStatus.choices, default=ContactStatus.ACTIVE)
    is_work_email = models.BooleanField(default=False)
    consent_at = models.DateTimeField(null=True, blank=True)
    consumer_emailed_from_at = models.DateTimeField(null=True, blank=True)
    # db_default: bulk loaders write contact points by COPY without naming this column.
    source = models.CharField(max_length=24, choices=ContactSource.choices, blank=True, default="", db_default="")

    def __str__(self):
        return self.address
