"""Admin views of the furnishing runs: read-only (a run is a record of what was sent)."""

from django.contrib import admin

from accounts.admin import ReadOnlyAdmin
from compliance.models import Metro2Record, Metro2Run


@admin.register(Metro2Run)
class Metro2RunAdmin(ReadOnlyAdmin):
    list_display = ["creditor", "as_of", "records", "blocked", "skipped", "sha256", "created_at"]
    list_filter = ["creditor"]


@admin.register(Metro2Record)
class Metro2RecordAdmin(ReadOnlyAdmin):
    list_display = ["run", "account", "outcome", "account_status", "compliance_condition_code", "reasons"]
    list_filter = ["outcome"]
    raw_id_fields = ["run", "account"]
