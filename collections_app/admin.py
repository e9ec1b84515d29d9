from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

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
