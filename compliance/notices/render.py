"""Validation notice to HTML (Django templates) and PDF (WeasyPrint, US Letter).

The templates print the sentences built and checked by `content.py`; nothing here decides what
the notice says, only how it looks.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.template.loader import render_to_string

from . import wording

_MONEY_FIELDS = ("amount_on_itemization_date", "interest_since_itemization_date", "fees_since_itemization_date",
                 "payments_and_credits_since_itemization_date", "current_amount")
_DATE_FIELDS = ("sent_on", "itemization_date", "validation_period_end")


def notice_template_name(language: str) -> str:
    if language not in wording.LANGUAGES:
        raise ValueError(f"Unsupported notice language {language!r}; use one of {wording.LANGUAGES}.")
    return f"compliance/notices/validation_notice_{language}.html"


def _display(content: Mapping) -> dict[str, str]:
    """Amounts and dates as printed on the notice, in the notice's language."""
    language = content["language"]
    shown = {}
    for key in _MONEY_FIELDS:
        value = content.get(key)
        shown[key] = wording.format_money(value) if isinstance(value, Decimal) else ""
    for key in _DATE_FIELDS:
        value = content.get(key)
        shown[key] = wording.format_date(value, language) if isinstance(value, date) else ""
    return shown


def render_notice_html(content: Mapping, *, style_nonce: str = "") -> str:
    """A standalone HTML document laid out like Model Form B-1. ``style_nonce``: the page's CSP nonce,
    for a preview shown in an ``<iframe srcdoc>`` (which inherits the page's Content-Security-Policy)."""
    return render_to_string(notice_template_name(content["language"]),
                            {"notice": content, "display": _display(content), "style_nonce": style_nonce})


def render_notice_pdf(*contents: Mapping) -> bytes:
    """PDF bytes of one notice, or of several in order in one document (a translation with its English
    original, 12 CFR 1006.34(e)). WeasyPrint is imported here: it loads Pango, which most requests never need.
    """
    from weasyprint import HTML

    if not contents:
        raise ValueError("render_notice_pdf needs at least one notice.")
    documents = [HTML(string=render_notice_html(c), base_url=str(settings.BASE_DIR)).render() for c in contents]
    first = documents[0]
    return first.copy([page for document in documents for page in document.pages]).write_pdf()
