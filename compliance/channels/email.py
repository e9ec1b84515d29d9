"""Email through Django's email backend (SMTP from the environment, or files under var/outbox/email)."""

import smtplib

from django.conf import settings
from django.core.mail import EmailMessage

from .base import PermanentDeliveryError, TransientDeliveryError

TRANSIENT = (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, ConnectionError, TimeoutError)


class EmailChannel:
    name = "email"

    def send(self, attempt) -> str:
        message = EmailMessage(subject=attempt.content.get("subject", ""), body=attempt.content.get("body", ""),
                               from_email=settings.DEFAULT_FROM_EMAIL, to=[attempt.to],
                               headers={"X-Contact-Attempt": str(attempt.pk)})
        try:
            message.send(fail_silently=False)
        except TRANSIENT as exc:
            raise TransientDeliveryError(str(exc)) from exc
        except smtplib.SMTPRecipientsRefused as exc:
            raise PermanentDeliveryError(f"Recipient refused: {exc}") from exc
        except smtplib.SMTPResponseException as exc:
            if 400 <= exc.smtp_code < 500:  # 4xx: try again later (RFC 5321 section 4.2.1)
                raise TransientDeliveryError(str(exc)) from exc
            raise PermanentDeliveryError(str(exc)) from exc
        return f"email:{attempt.pk}"
