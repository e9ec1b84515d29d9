"""HTML views of the accounts app, by topic."""

from .accounts import account_autocomplete, account_list
from .imports import (
    import_columns,
    import_dry_run,
    import_error_report,
    import_list,
    import_mapping_export,
    import_mapping_upload,
    import_progress,
    import_review,
    import_start,
    import_status,
    import_upload,
)

__all__ = [
    "account_autocomplete",
    "account_list", "import_columns", "import_dry_run", "import_error_report", "import_list",
    "import_mapping_export", "import_mapping_upload", "import_progress",
    "import_review", "import_start", "import_status", "import_upload",
]  # fmt: skip
