"""TCPA consent per phone number and its revocation (47 USC 227(b); 47 CFR 64.1200(a)(10))."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class TcpaConsent(models.Model):
    class Source(models.TextChoices):
        APPLICATION = "application", "Credit application"
        CREDITOR_RECORD = "creditor_record", "Creditor record"
        CONSUMER_STATEMENT = "consumer_statement", "Consumer statement to us"

    class Scope(models.TextChoices):
        CALLS = "calls", "Autodialed calls"
        TEXTS = "texts", "Texts"
        PRERECORDED = "prerecorded", "Prerecorded / artificial voice"
        ALL = "all", "Calls, texts and prerecorded"

    phone = models.ForeignKey("accounts.Phone", on_delete=models.PROTECT, related_name="+")
    source = models.CharField(max_length=20, choices=Source.choices)
    scope = models.CharField(max_length=12, choices=Scope.choices, default=Scope.ALL)
    given_at = models.DateTimeField()
    evidence = models.TextField(blank=True, help_text="Where the proof is: document id, recording, form")
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
