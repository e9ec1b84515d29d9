from django.contrib import admin

from accounts.admin import AuditedAdminMixin, ReadOnlyAdmin
from accounts.models import Account, Address, Debtor, Email, Phone
from compliance.models import (
    RESTRICTION_MODELS,
    AuditEvent,
    ContactAttempt,
    DirectPriorConsent,
    Dispute,
    OriginalCreditorRequest,
    StatePolicy,
    TcpaConsent,
    ValidationNotice,
)


@admin.register(ContactAttempt)
class ContactAttemptAdmin(ReadOnlyAdmin):
    list_display = ["requested_at", "account", "channel", "to", "direction", "outcome", "status", "user",
                    "responds_to"]
    list_filter = ["status", "channel", "direction"]
    search_fields = ["to", "idempotency_key", "account__creditor_account_number"]
    list_select_related = ["account", "user"]
    date_hierarchy = "requested_at"


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "user", "action", "object_type", "object_id", "summary", "ip_address"]
    list_filter = ["action", "object_type"]
    search_fields = ["summary", "object_id", "user__username"]
    list_select_related = ["user"]
    date_hierarchy = "at"


class RestrictionAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Restrictions are ended, never deleted (the record of what the gate knew stays)."""

    list_display = ["__str__", "debtor", "account", "created_at", "ended_at"]
    list_select_related = ["debtor", "account"]
    raw_id_fields = ["debtor", "account", "created_by", "ended_by"]
    readonly_fields = ["created_at"]

    def has_delete_permission(self, request, obj=None):
        return False


for _model in RESTRICTION_MODELS.values():
    admin.site.register(_model, RestrictionAdmin)


@admin.register(TcpaConsent)
class TcpaConsentAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["phone", "source", "scope", "given_at", "revoked_at"]
    raw_id_fields = ["phone", "created_by"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DirectPriorConsent)
class DirectPriorConsentAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Revoked, never deleted: calls placed under a consent stay excluded from 7-in-7."""

    list_display = ["debtor", "account", "scope", "given_at", "consented_at", "revoked_at", "created_by"]
    list_filter = ["scope"]
    list_select_related = ["debtor", "account", "created_by"]
    raw_id_fields = ["debtor", "account", "created_by", "revoked_by"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Dispute)
class DisputeAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Status moves only through the compliance screens (dispute_status_change)."""

    list_display = ["account", "method", "received_at", "status", "verification_sent_at", "resolved_at"]
    list_filter = ["status", "method"]
    raw_id_fields = ["account", "created_by"]
    readonly_fields = ["status", "verification_sent_at", "resolved_at"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OriginalCreditorRequest)
class OriginalCreditorRequestAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["account", "received_at", "provided_at"]
    raw_id_fields = ["account", "created_by"]


@admin.register(StatePolicy)
class StatePolicyAdmin(admin.ModelAdmin):
    list_display = ["state", "city", "call_cap", "call_cap_days", "allowed_start", "allowed_end", "effective_from"]
    list_filter = ["state"]
    raw_id_fields = ["updated_by"]


@admin.register(ValidationNotice)
class ValidationNoticeAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["account", "sent_on", "method", "addressee", "stated_end_date", "language"]
    raw_id_fields = ["account", "created_by"]

    def has_delete_permission(self, request, obj=None):
        return False


# Every admin over records that hold personal data is audited (accounts' own admins use the same
# mixin in accounts/admin.py; read-only logs need none). tests/foundation/test_admin_audit.py checks it.
PERSONAL_DATA_MODELS = (Debtor, Phone, Email, Address, Account, TcpaConsent, DirectPriorConsent, Dispute,
                        OriginalCreditorRequest, ValidationNotice, *RESTRICTION_MODELS.values())

# Credit reporting and retention (issue 13) register their own read-only admins.
from compliance.bureau import admin as _bureau_admin  # noqa: E402, F401
from compliance.retention import admin as _retention_admin  # noqa: E402, F401
