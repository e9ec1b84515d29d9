"""Validation notices as sent (12 CFR 1006.34). The PDF content is rendered elsewhere."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ValidationNotice(models.Model):
    class Method(models.TextChoices):
        MAIL = "mail", _("Mail")
        EMAIL = "email", _("Email")
        ORAL = "oral", _("Oral (initial communication)")

    account = models.ForeignKey("accounts.Account", on_delete=models.PROTECT, related_name="+")
    sent_on = models.DateField()
    method = models.CharField(max_length=8, choices=Method.choices, default=Method.MAIL)
    addressee = models.CharField(max_length=200)
    stated_end_date = models.DateField(null=True, blank=True, help_text="Validation period end stated on the notice")
    language = models.CharField(max_length=8, default="en")
    pdf = models.FileField(upload_to="validation-notices/%Y/%m/", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_on", "-id"]

    def __str__(self):
        return f"Validation notice {self.sent_on} to {self.addressee}"
