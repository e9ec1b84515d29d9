from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from accounts.audit import audit_record, client_meta

from .models import AgingBucket, CounselingAgency, Queue, ScoringWeights, Team, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "email", "first_name", "last_name", "team", "is_active", "is_staff"]
    list_filter = ["groups", "is_active", "is_staff", "team"]
    fieldsets = BaseUserAdmin.fieldsets + (("Collections", {"fields": ("time_zone", "team")}),)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "supervisor"]


@admin.register(CounselingAgency)
class CounselingAgencyAdmin(admin.ModelAdmin):
    """The debt-counselor directory collectors refer debtors to: kept here by admins."""

    list_display = ["name", "phone", "states", "languages", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "states"]


@admin.register(AgingBucket)
class AgingBucketAdmin(admin.ModelAdmin):
    list_display = ["code", "label", "min_days", "max_days"]


@admin.register(Queue)
class QueueAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "order", "is_active"]
    filter_horizontal = ["creditors", "teams", "collectors"]


@admin.register(ScoringWeights)
class ScoringWeightsAdmin(admin.ModelAdmin):
    """Read-only: weights change by new versions from the supervisors' weights page."""

    list_display = ["version", "note", "created_by", "created_at"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Unlocking a login (django-axes) is deleting its access attempt here; the audit log records who did it.
class AuditedAccessAttemptAdmin(AccessAttemptAdmin):
    def delete_model(self, request, obj):
        _audit_unlock(request, [obj])
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        _audit_unlock(request, list(queryset))
        super().delete_queryset(request, queryset)


def _audit_unlock(request, attempts):
    for attempt in attempts:
        audit_record(user=request.user, action="unlock", object_type="auth.login", object_id=attempt.username or "",
                     summary=f"admin: unlocked login of {attempt.username!r} from {attempt.ip_address}",
                     meta=client_meta(request))


if admin.site.is_registered(AccessAttempt):
    admin.site.unregister(AccessAttempt)
admin.site.register(AccessAttempt, AuditedAccessAttemptAdmin)
