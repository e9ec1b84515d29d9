"""Admin views of retention: read-only. Policies and holds change on the retention page, which audits them."""

from django.contrib import admin

from accounts.admin import ReadOnlyAdmin
from compliance.models import LegalHold, PurgedRecord, PurgeRun, RetentionPolicy


@admin.register(RetentionPolicy)
class RetentionPolicyAdmin(ReadOnlyAdmin):
    list_display = ["kind", "retention_days", "action", "is_active", "updated_at"]


@admin.register(LegalHold)
class LegalHoldAdmin(ReadOnlyAdmin):
    list_display = ["account", "kind", "ref", "placed_at", "released_at"]
    list_filter = ["kind"]
    raw_id_fields = ["account"]


@admin.register(PurgeRun)
class PurgeRunAdmin(ReadOnlyAdmin):
    list_display = ["started_at", "finished_at", "dry_run", "counts"]


@admin.register(PurgedRecord)
class PurgedRecordAdmin(ReadOnlyAdmin):
    list_display = ["kind", "object_id", "run"]
    list_filter = ["kind"]
