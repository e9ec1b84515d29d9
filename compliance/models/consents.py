"""Consents: TCPA consent per phone number and its revocation (47 USC 227(b); 47 CFR 64.1200(a)(10)),
and the consumer's direct prior consent to us (12 CFR 1006.6(b)(4), 1006.14(b)(3)(i))."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TcpaConsent(models.Model):
    class Source(models.TextChoices):
        APPLICATION = "application", _("Credit application")
        CREDITOR_RECORD = "creditor_record", _("Creditor record")
        CONSUMER_STATEMENT = "consumer_statement", _("Consumer statement to us")

    class Scope(models.TextChoices):
        CALLS = "calls", _("Autodialed calls")
        TEXTS = "texts", _("Texts")
        PRERECORDED = "prerecorded", _("Prerecorded / artificial voice")
        ALL = "all", _("Calls, texts and prerecorded")

    phone = models.ForeignKey("accounts.Phone", on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=20, choices=Source.choices)
    scope = models.CharField(max_length=12, choices=Scope.choices, default=Scope.ALL)
    given_at = models.DateTimeField()
    evidence = models.TextField(blank=True, help_text=_("Where the proof is: document id, recording, form"))
    evidence_file = models.FileField(upload_to="consent-evidence/%Y/%m/", blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revocation_channel = models.CharField(max_length=20, blank=True)
    revocation_words = models.CharField(max_length=300, blank=True, help_text='e.g. "STOP"')
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-given_at"]
        verbose_name = "TCPA consent"

    def __str__(self):
        return f"TCPA consent {self.get_scope_display()} ({self.get_source_display()})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None or self.revoked_at > timezone.now()


class DirectPriorConsentQuerySet(models.QuerySet):
    def for_account(self, account):
        """Consents of the account's debtor that cover this account (or all of the debtor's accounts)."""
        return self.filter(debtor_id=account.debtor_id).filter(
            models.Q(account__isnull=True) | models.Q(account_id=account.pk))


class DirectPriorConsent(models.Model):
    """Consent the consumer gave directly to us (not to the creditor) for contact the rules would limit.

    12 CFR 1006.14(b)(3)(i): calls placed with the person's prior consent given directly to the
    collector, within 7 days of it, do not count toward 7-in-7 (comment 14(b)(3)(i)-1, -2: the
    consent ends once the consented conversation happens or on revocation). 12 CFR 1006.6(b)(4)
    and 15 USC 1692c(a): direct prior consent makes an otherwise inconvenient time or place
    (e.g. work) lawful. Never deleted: a withdrawn consent is revoked and stays on file.
    """

    class Scope(models.TextChoices):
        CALLS = "call_frequency", _("Further calls within 7 days (7-in-7 exclusion)")
        TIME = "time_of_day", _("A call at a stated time or time window")
        WORKPLACE = "workplace", _("Contact at work")

    class GivenVia(models.TextChoices):
        INBOUND_CALL = "inbound_call", _("Call from the consumer")
        OUTBOUND_CALL = "outbound_call", _("Our call to the consumer")
        SMS = "sms", _("Text")
        EMAIL = "email", _("Email")
        LETTER = "letter", _("Letter")
        IN_PERSON = "in_person", _("In person")

    debtor = models.ForeignKey("accounts.Debtor", on_delete=models.PROTECT, related_name="+")
    account = models.ForeignKey("accounts.Account", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", help_text=_("Empty: covers every account of the debtor"))
    scope = models.CharField(max_length=16, choices=Scope.choices)
    given_at = models.DateTimeField(help_text=_("When the consumer gave the consent (day 1 of the 7 days)"))
    given_via = models.CharField(max_length=16, choices=GivenVia.choices, default=GivenVia.INBOUND_CALL)
    given_by = models.ForeignKey("compliance.RelatedPerson", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", help_text=_("Empty: the consumer. Else a spouse, parent of a minor, "
                                 "guardian or the estate's representative (1006.6(a))"))
    consented_at = models.DateTimeField(null=True, blank=True,
                                        help_text=_("The time the consumer asked to be called (time scope)"))
    window_start = models.TimeField(null=True, blank=True, help_text=_("Or a local window: from ..."))
    window_end = models.TimeField(null=True, blank=True, help_text=_("... until (exclusive)"))
    time_zone = models.CharField(max_length=64, blank=True, help_text=_("Zone of the window; empty: the debtor's"))
    days = models.JSONField(default=list, blank=True, help_text='Weekdays of the window, e.g. ["Mon"]; empty: any')
    until = models.DateField(null=True, blank=True, help_text=_("Last day the window applies; empty: until revoked"))
    statement = models.TextField(blank=True, help_text=_("The consumer's words"))
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    revocation_notes = models.CharField(max_length=300, blank=True)

    objects = DirectPriorConsentQuerySet.as_manager()

    class Meta:
        ordering = ["-given_at", "-id"]
        verbose_name = "direct prior consent"
        indexes = [models.Index(fields=["debtor", "given_at"])]

    def __str__(self):
        return f"Direct consent: {self.get_scope_display()} (given {self.given_at:%Y-%m-%d})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None or self.revoked_at > timezone.now()

    def clean(self):
        problems = {}
        if self.scope == self.Scope.TIME:
            has_window = self.window_start is not None and self.window_end is not None
            if self.consented_at is None and not has_window:
                problems["consented_at"] = "Give the time the consumer asked to be called, or a time window."
            if (self.window_start is None) != (self.window_end is None):
                problems["window_end"] = "A window needs both a start and an end."
            if self.consented_at and self.given_at and self.consented_at < self.given_at:
                problems["consented_at"] = "The consented time is before the consent was given."
        if self.given_at and self.given_at > timezone.now():
            problems["given_at"] = "A consent cannot be given in the future."
        if problems:
            raise ValidationError(problems)
