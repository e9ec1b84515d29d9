"""SMS behind an adapter: ``settings.SMS_BACKEND`` names the backend class.

The default ``FileSmsBackend`` writes each message as JSON under ``settings.SMS_OUTBOX_DIR``.
A real provider goes in a class with the same ``send(*, to, body, reference) -> str`` method
(e.g. ``TwilioSmsBackend`` calling the provider's REST API, raising TransientDeliveryError on
timeouts and 5xx, PermanentDeliveryError on an invalid number), selected with
``SMS_BACKEND=compliance.channels.sms.TwilioSmsBackend`` and its credentials from the environment.
"""

import json
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

from .base import TransientDeliveryError

DEFAULT_BACKEND = "compliance.channels.sms.FileSmsBackend"


class SmsBackend:
    def send(self, *, to: str, body: str, reference: str) -> str:
        raise NotImplementedError


class FileSmsBackend(SmsBackend):
    """One JSON file per message; rewriting the same reference overwrites, so retries never duplicate."""

    def send(self, *, to: str, body: str, reference: str) -> str:
        folder = Path(settings.SMS_OUTBOX_DIR)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"{reference}.json"
            path.write_text(json.dumps({"to": to, "body": body, "reference": reference,
                                        "written_at": timezone.now().isoformat()}))
        except OSError as exc:
            raise TransientDeliveryError(str(exc)) from exc
        return str(path)


def get_backend() -> SmsBackend:
    return import_string(getattr(settings, "SMS_BACKEND", DEFAULT_BACKEND))()


class SmsChannel:
    name = "sms"

    def send(self, attempt) -> str:
        return get_backend().send(to=attempt.to, body=attempt.content.get("body", ""),
                                  reference=f"contact-attempt-{attempt.pk}")
