"""Letters: HTML rendered to PDF with WeasyPrint and stored under MEDIA_ROOT for the print vendor."""

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import timezone

from .base import PermanentDeliveryError, TransientDeliveryError


def letter_path(attempt_id: int) -> str:
    return f"letters/contact-attempt-{attempt_id}.pdf"


class LetterChannel:
    name = "letter"

    def render(self, attempt) -> bytes:
        from weasyprint import HTML  # heavy import: only when a letter is actually rendered

        from compliance.gate.content import debtor_language
        from compliance.notices.wording import format_date

        language = (attempt.content or {}).get("language") or debtor_language(attempt.account)
        today = timezone.localdate()
        html = render_to_string("compliance/letters/collection_letter.html", {
            "attempt": attempt, "account": attempt.account, "debtor": attempt.account.debtor,
            "collector": getattr(settings, "COLLECTOR_PROFILE", {}), "content": attempt.content,
            "today": today, "today_text": format_date(today, language), "language": language,
        })
        return HTML(string=html).write_pdf()

    def send(self, attempt) -> str:
        stored = attempt.content.get("pdf")
        if stored:  # rendered and stored before the gate was asked (validation notices)
            if not default_storage.exists(stored):
                raise PermanentDeliveryError(f"The letter's PDF {stored} is missing.")
            return stored
        pdf = self.render(attempt)
        path = letter_path(attempt.pk)
        try:
            if default_storage.exists(path):  # a retried task replaces its own file, never doubles it
                default_storage.delete(path)
            return default_storage.save(path, ContentFile(pdf))
        except OSError as exc:
            raise TransientDeliveryError(str(exc)) from exc
