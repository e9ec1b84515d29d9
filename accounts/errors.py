"""One line of text from a ValidationError, for a page's message: "field: problem; field: problem"."""

from django.core.exceptions import ValidationError


def validation_text(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
    return "; ".join(exc.messages)
