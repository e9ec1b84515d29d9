from django.contrib import admin

from .audit import audit_record, client_meta
from .models import Account, Address, ColumnMappingMemory, Creditor, Debtor, Email, ImportBatch, LedgerEntry, Phone


class ReadOnlyAdmin(admin.ModelAdmin):
    """Append-only records and histories: visible, never added, changed or deleted from the admin."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

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


@admin.register(Creditor)
class CreditorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "settlement_authority_pct", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["code", "name"]


class PhoneInline(admin.TabularInline):
    model = Phone
    extra = 0


class EmailInline(admin.TabularInline):
    model = Email
    extra = 0


class AddressInline(admin.TabularInline):
    model = Address
    extra = 0


@admin.register(Debtor)
class DebtorAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["id", "display_name", "debtor_type", "preferred_language", "created_at"]
    list_filter = ["debtor_type", "preferred_language"]
    search_fields = ["last_name", "first_name", "business_name", "phones__number", "emails__address"]
    inlines = [PhoneInline, EmailInline, AddressInline]


@admin.register(Phone)
class PhoneAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["number", "debtor", "phone_type", "status", "tcpa_consent", "is_workplace"]
    list_filter = ["phone_type", "status", "tcpa_consent"]
    search_fields = ["number"]
    raw_id_fields = ["debtor"]


@admin.register(Email)
class EmailAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["address", "debtor", "status", "is_work_email"]
    search_fields = ["address"]
    raw_id_fields = ["debtor"]


@admin.register(Address)
class AddressAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["line1", "city", "state", "zip", "time_zone", "debtor"]
    list_filter = ["state"]
    search_fields = ["line1", "city", "zip"]
    raw_id_fields = ["debtor"]


@admin.register(Account)
class AccountAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["creditor_account_number", "creditor", "debtor", "debt_type", "status", "current_balance"]
    list_filter = ["status", "debt_type", "creditor"]
    search_fields = ["creditor_account_number", "debtor__last_name", "debtor__business_name"]
    raw_id_fields = ["debtor"]
    list_select_related = ["creditor", "debtor"]
    readonly_fields = ["current_balance", "status"]  # balance follows the ledger; status follows services


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    """Read-only: the ledger is append-only and corrected by reversals through the services."""

    list_display = ["posted_date", "account", "kind", "amount", "reference", "source", "created_at"]
    list_filter = ["kind", "source"]
    search_fields = ["reference", "account__creditor_account_number"]
    list_select_related = ["account"]


@admin.register(ImportBatch)
class ImportBatchAdmin(ReadOnlyAdmin):
    """Read-only history: imports are run through the upload page, the API or import_ledger."""

    list_display = ["id", "created_at", "creditor", "kind", "original_name", "status", "rows_total", "created",
                    "updated", "duplicates", "errors", "uploaded_by"]
    list_filter = ["status", "kind", "creditor"]
    search_fields = ["original_name", "sha256"]
    list_select_related = ["creditor", "uploaded_by"]


@admin.register(ColumnMappingMemory)
class ColumnMappingMemoryAdmin(admin.ModelAdmin):
    list_display = ["creditor", "kind", "updated_at"]
    list_filter = ["kind"]
