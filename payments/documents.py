"""Payment receipts and plan agreement letters: HTML templates rendered to PDF with WeasyPrint.

Wording lives in the templates (one per language); this module only gathers the facts and renders.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import timezone, translation

from compliance.gate.content import DISCLOSURE
from compliance.notices.wording import format_date, format_money

LANGUAGES = ("en", "es")
DISCLOSURE_ES = ("Esta comunicación proviene de un cobrador de deudas. Es un intento de cobrar una deuda y "
                 "cualquier información obtenida se utilizará para ese fin.")
FREQUENCY_LABELS = {
    "en": {"weekly": "weekly", "biweekly": "every two weeks", "semimonthly": "twice a month", "monthly": "monthly"},
    "es": {"weekly": "semanal", "biweekly": "cada dos semanas", "semimonthly": "dos veces al mes",
           "monthly": "mensual"},
}


def _pdf(html: str) -> bytes:
    from weasyprint import HTML  # loads Pango: only when a document is actually rendered

    return HTML(string=html).write_pdf()


def receipt_html(payment) -> str:
    """The receipt in the debtor's language (Debtor.preferred_language): receipt.html or receipt_es.html."""
    account = payment.account
    language = account.debtor.preferred_language if account.debtor.preferred_language in LANGUAGES else "en"
    received = timezone.localtime(payment.received_at)
    with translation.override(language):  # method, bucket and return-reason labels in the same language
        return render_to_string("payments/documents/receipt_es.html" if language == "es"
                                else "payments/documents/receipt.html", {
            "payment": payment, "account": account, "debtor": account.debtor,
            "collector": getattr(settings, "COLLECTOR_PROFILE", {}) or {},
            "received": received, "received_day": format_date(received.date(), language),
            "amount": format_money(payment.amount),
            "allocations": [(a.get_bucket_display(), format_money(a.amount)) for a in payment.allocations.all()],
            "balance_after": format_money(account.current_balance),
            "disclosure": DISCLOSURE_ES if language == "es" else DISCLOSURE, "disclosure_en": DISCLOSURE,
        })


def receipt_pdf(payment) -> bytes:
    return _pdf(receipt_html(payment))


def plan_agreement_html(plan) -> str:
    language = plan.language if plan.language in LANGUAGES else "en"
    account = plan.account
    return render_to_string(f"payments/documents/plan_agreement_{language}.html", {
        "plan": plan, "account": account, "debtor": account.debtor,
        "collector": getattr(settings, "COLLECTOR_PROFILE", {}) or {},
        "today": format_date(timezone.localdate(), language),
        "total": format_money(plan.total), "down_payment": format_money(plan.down_payment),
        "frequency": FREQUENCY_LABELS[language][plan.frequency],
        "rows": [(i.seq, format_date(i.due_date, language), format_money(i.amount)) for i in plan.installments.all()],
        "disclosure": DISCLOSURE if language == "en" else DISCLOSURE_ES,
    })


def plan_agreement_store(plan) -> str:
    """Render and store the agreement; returns the storage name."""
    pdf = _pdf(plan_agreement_html(plan))
    digest = hashlib.sha256(pdf).hexdigest()[:12]
    return default_storage.save(f"plans/{plan.account_id}/plan-agreement-{plan.pk}-{plan.language}-{digest}.pdf",
                                ContentFile(pdf))
