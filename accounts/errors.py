"""One line of text from a ValidationError, for a page's message: "field: problem; field: problem"."""

from django.core.exceptions import ValidationError


def validation_text(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
    return "; ".join(exc.messages)


def form_errors_text(form) -> str:
    """A bound form's errors in one line, each named by its field's label (in the user's language)."""
    parts = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = str(field.label) if field is not None and field.label else name.replace("_", " ").capitalize()
        parts.append(f"{label}: {' '.join(errors)}" if name != "__all__" else " ".join(errors))
    return "; ".join(parts)
