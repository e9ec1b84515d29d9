"""Text written into records (audit summaries, ledger memos) is English whatever the user's language:
a record is read later by anyone, and one language keeps it searchable."""

from django.utils import translation


def english_label(obj, field: str) -> str:
    """``obj.get_<field>_display()`` in English (choice labels are translated for screens)."""
    with translation.override("en"):
        return str(getattr(obj, f"get_{field}_display")())
