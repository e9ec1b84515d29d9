"""The medical side of a medical account: protected health information, kept apart.

HIPAA minimum necessary (45 CFR 164.502(b), 164.514(d)): collectors see only what collection
needs (a generic provider name, the date of service, the insurance status). The diagnosis and
procedure codes and the real provider name are shown only to users with the
``compliance.view_full_medical_record`` permission (or the compliance and admin roles), and
every such view is written to the audit log.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class InsuranceStatus(models.TextChoices):
    NONE = "none", _("No insurance claim")
    PENDING = "pending", _("Claim pending with insurer")
    APPEALED = "appealed", _("Denial under appeal")
    PAID = "paid", _("Insurer paid its share")
    DENIED = "denied", _("Claim denied (final)")


PENDING_STATUSES = {InsuranceStatus.PENDING, InsuranceStatus.APPEALED}


class MedicalDetail(models.Model):
    account = models.OneToOneField("accounts.Account", on_delete=models.PROTECT, related_name="medical_detail")
    provider_name = models.CharField(max_length=200, help_text="Real provider name (protected health information)")
    generic_provider_name = models.CharField(max_length=200, default="Medical services",
                                             help_text="What letters, voicemails and collectors see")
    date_of_service = models.DateField(null=True, blank=True)
    diagnosis_codes = models.JSONField(default=list, blank=True, help_text="ICD-10 codes (PHI)")
    procedure_codes = models.JSONField(default=list, blank=True, help_text="CPT/HCPCS codes (PHI)")
    service_description = models.TextField(blank=True, help_text="Clinical description (PHI)")
    insurance_status = models.CharField(max_length=12, choices=InsuranceStatus.choices, default=InsuranceStatus.NONE)
    insurance_carrier = models.CharField(max_length=120, blank=True)
    insurance_claim_number = models.CharField(max_length=60, blank=True)
    insurance_filed_on = models.DateField(null=True, blank=True)
    insurance_resolved_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "medical detail"
        permissions = [("view_full_medical_record",
                        "Can view the full medical record (diagnosis, procedures, provider)")]

    def __str__(self):
        return f"Medical detail of account {self.account_id}"

    @property
    def insurance_pending(self) -> bool:
        return self.insurance_status in PENDING_STATUSES and self.insurance_resolved_on is None
