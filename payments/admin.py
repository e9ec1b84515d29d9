from django.contrib import admin

from .models import (
    Installment,
    InterestTerms,
    Payment,
    PaymentAllocation,
    PaymentPlan,
    PaymentSettings,
    Promise,
    Refund,
    Reminder,
    Settlement,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Money records change only through the payments services (ledger entries, transitions)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PaymentSettings)
class PaymentSettingsAdmin(admin.ModelAdmin):
    list_display = ["creditor", "promise_max_days", "promise_min_amount", "plan_max_installments",
                    "plan_min_installment", "plan_grace_days", "plan_default_after_misses", "interest_allowed"]


@admin.register(InterestTerms)
class InterestTermsAdmin(admin.ModelAdmin):
    list_display = ["account", "annual_rate", "method", "accrued_through", "stopped_reason"]
    raw_id_fields = ["account"]


class AllocationInline(admin.TabularInline):
    model = PaymentAllocation
    extra = 0
    can_delete = False
    readonly_fields = ["bucket", "amount", "ledger_entry_id"]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["id", "account", "amount", "method", "received_at", "status", "source"]
    list_filter = ["status", "method", "source"]
    inlines = [AllocationInline]


class InstallmentInline(admin.TabularInline):
    model = Installment
    extra = 0
    can_delete = False


@admin.register(PaymentPlan)
class PaymentPlanAdmin(ReadOnlyAdmin):
    list_display = ["id", "account", "total", "frequency", "installment_count", "status", "missed_count"]
    list_filter = ["status", "frequency"]
    inlines = [InstallmentInline]


@admin.register(Promise)
class PromiseAdmin(ReadOnlyAdmin):
    list_display = ["id", "account", "amount", "due_date", "status", "amount_paid"]
    list_filter = ["status"]


@admin.register(Settlement)
class SettlementAdmin(ReadOnlyAdmin):
    list_display = ["id", "account", "kind", "amount", "discount_pct", "status", "created_by", "decided_by"]
    list_filter = ["status", "kind"]


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ["id", "account_id", "kind", "due_date", "status", "channel", "created_on"]
    list_filter = ["status", "kind"]


@admin.register(Refund)
class RefundAdmin(ReadOnlyAdmin):
    list_display = ["id", "account", "amount", "method", "created_at"]
