from django.contrib import admin

from accounts.admin import ReadOnlyAdmin
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
from compliance.services.audit import audit_record, client_meta


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


class RestrictionAdmin(admin.ModelAdmin):
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
class TcpaConsentAdmin(admin.ModelAdmin):
    list_display = ["phone", "source", "scope", "given_at", "revoked_at"]
    raw_id_fields = ["phone", "created_by"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DirectPriorConsent)
class DirectPriorConsentAdmin(admin.ModelAdmin):
    """Revoked, never deleted: calls placed under a consent stay excluded from 7-in-7."""

    list_display = ["debtor", "account", "scope", "given_at", "consented_at", "revoked_at", "created_by"]
    list_filter = ["scope"]
    list_select_related = ["debtor", "account", "created_by"]
    raw_id_fields = ["debtor", "account", "created_by", "revoked_by"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Dispute)
class DisputeAdmin(admin.ModelAdmin):
    """Status moves only through the compliance screens (dispute_status_change)."""

    list_display = ["account", "method", "received_at", "status", "verification_sent_at", "resolved_at"]
    list_filter = ["status", "method"]
    raw_id_fields = ["account", "created_by"]
    readonly_fields = ["status", "verification_sent_at", "resolved_at"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OriginalCreditorRequest)
class OriginalCreditorRequestAdmin(admin.ModelAdmin):
    list_display = ["account", "received_at", "provided_at"]
    raw_id_fields = ["account", "created_by"]


@admin.register(StatePolicy)
class StatePolicyAdmin(admin.ModelAdmin):
    list_display = ["state", "city", "call_cap", "call_cap_days", "allowed_start", "allowed_end", "effective_from"]
    list_filter = ["state"]
    raw_id_fields = ["updated_by"]


@admin.register(ValidationNotice)
class ValidationNoticeAdmin(admin.ModelAdmin):
    list_display = ["account", "sent_on", "method", "addressee", "stated_end_date", "language"]
    raw_id_fields = ["account", "created_by"]

    def has_delete_permission(self, request, obj=None):
        return False


class AuditedAdminMixin:
    """Reads and changes of personal data made in the Django admin go to the audit log too
    (who, what, when, from where), like those made through the screens and services."""

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            audit_record(user=request.user, action="view", object_type=self.model._meta.label,
                         object_id=object_id, summary=f"admin: opened {self.model._meta.verbose_name}",
                         meta=client_meta(request))
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        changed = ", ".join(form.changed_data) if change else ""
        audit_record(user=request.user, action="update" if change else "create", obj=obj,
                     summary=f"admin: {'changed ' + changed if change else 'added'} {obj}", meta=client_meta(request))

    def save_formset(self, request, form, formset, change):
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            audit_record(user=request.user, action="create", obj=obj, summary=f"admin: added {obj}",
                         meta=client_meta(request))
        for obj, fields in formset.changed_objects:
            audit_record(user=request.user, action="update", obj=obj,
                         summary=f"admin: changed {', '.join(fields)} of {obj}", meta=client_meta(request))
        for obj in formset.deleted_objects:
            audit_record(user=request.user, action="delete", object_type=obj._meta.label, object_id=obj.pk,
                         summary=f"admin: deleted {obj}", meta=client_meta(request))

    def delete_model(self, request, obj):
        audit_record(user=request.user, action="delete", obj=obj, summary=f"admin: deleted {obj}",
                     meta=client_meta(request))
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            audit_record(user=request.user, action="delete", obj=obj, summary=f"admin: deleted {obj}",
                         meta=client_meta(request))
        super().delete_queryset(request, queryset)


# Every admin over records that hold personal data gets the audit mixin (accounts' admins are
# registered first, as accounts precedes compliance in INSTALLED_APPS; read-only logs need none).
PERSONAL_DATA_MODELS = (Debtor, Phone, Email, Address, Account, TcpaConsent, DirectPriorConsent, Dispute,
                        OriginalCreditorRequest, ValidationNotice, *RESTRICTION_MODELS.values())
for _model in PERSONAL_DATA_MODELS:
    _admin_class = type(admin.site._registry[_model])
    if issubclass(_admin_class, (ReadOnlyAdmin, AuditedAdminMixin)):
        continue
    admin.site.unregister(_model)
    admin.site.register(_model, type(f"Audited{_admin_class.__name__}", (AuditedAdminMixin, _admin_class), {}))
