"""Debtor-facing texts in the debtor's language (Debtor.preferred_language): the gate's default email, SMS
and letter wording with its disclosures, the letter a print vendor receives, and the payment receipt.
A Spanish reader gets Spanish first and the English notices after; an English reader gets no Spanish."""

import subprocess

import pytest
from django.utils import timezone

from compliance.gate.content import DISCLOSURE, DISCLOSURE_ES, SMS_OPT_OUT, SMS_OPT_OUT_ES, message_content
from tests.factories import AccountFactory, DebtorFactory

pytestmark = pytest.mark.django_db


def _account(language):
    return AccountFactory(debtor=DebtorFactory(first_name="Ana", last_name="Ruiz", preferred_language=language))


@pytest.mark.parametrize("language", ["en", "es"])
def test_gate_default_email_sms_and_letter_follow_the_debtors_language(language):
    account = _account(language)
    email = message_content(channel="email", account=account, content=None)
    sms = message_content(channel="sms", account=account, content=None)
    letter = message_content(channel="letter", account=account, content=None)
    assert DISCLOSURE in email["body"] and SMS_OPT_OUT in sms["body"]  # the English notices always
    if language == "es":
        assert email["subject"].startswith("Su cuenta") and "Comuníquese con nosotros" in email["body"]
        assert email["body"].index(DISCLOSURE_ES) < email["body"].index(DISCLOSURE)
        assert "responda con la palabra STOP" in email["body"]
        assert "llámenos" in sms["body"] and SMS_OPT_OUT_ES in sms["body"]
        assert letter["language"] == "es" and DISCLOSURE_ES in letter["disclosure"]
        assert letter["body"].startswith("Comuníquese")
    else:
        assert email["subject"].startswith("Your account") and DISCLOSURE_ES not in email["body"]
        assert SMS_OPT_OUT_ES not in sms["body"] and "please call us" in sms["body"]
        assert letter["language"] == "en" and letter["disclosure"] == DISCLOSURE


def test_a_spanish_reminder_keeps_one_spanish_opt_out():
    from payments.reminder_text import reminder_content

    account = _account("es")
    given = reminder_content(kind="promise_due", channel="email", language="es", amount=100,
                             due_date=timezone.localdate(), account_number=account.creditor_account_number)
    body = message_content(channel="email", account=account, content=given)["body"]
    assert body.count("responda con la palabra STOP") == 1 and DISCLOSURE_ES in body and DISCLOSURE in body


def _pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_the_printed_letter_is_in_spanish_for_a_spanish_reader(tmp_path, users, settings):
    """Through the gate, as any letter goes: sent, rendered to PDF under MEDIA_ROOT, read back as text."""
    from compliance.gate import contact_send
    from compliance.gate.delivery import deliver
    from compliance.models import AttemptStatus
    from tests.gate.support import at, atlanta_account

    settings.MEDIA_ROOT = str(tmp_path / "media")
    account = atlanta_account()
    account.debtor.preferred_language = "es"
    account.debtor.save(update_fields=["preferred_language"])
    attempt = contact_send(account=account, channel="letter", to=None, user=users["collector"],
                           idempotency_key="letter-es", now=at(2025, 6, 10))
    assert attempt.status == AttemptStatus.QUEUED, attempt.decision
    assert deliver(attempt_id=attempt.pk, now=at(2025, 6, 10, 23)).status == AttemptStatus.SENT
    pdf = tmp_path / "media" / "letters" / f"contact-attempt-{attempt.pk}.pdf"
    text = _pdf_text(pdf.read_bytes(), tmp_path)
    assert "Estimado/a Pat Doe" in text and "Atentamente" in text and "cobrador de deudas" in text
    assert "Dear " not in text and " de 20" in text  # the date as "10 de junio de 2025"


def test_the_payment_receipt_is_in_the_debtors_language(tmp_path):
    from payments.documents import receipt_html
    from payments.services import payment_post

    for language, words, absent in (("es", ["Recibo de pago", "Cheque", "Cómo se aplicó el pago"], "Payment receipt"),
                                    ("en", ["Payment receipt", "Check", "How the payment was applied"], "Recibo")):
        account = _account(language)
        payment, _ = payment_post(account=account, amount="10.00", method="check", received_at=timezone.now(),
                                  idempotency_key=f"receipt-{language}", source="posting")
        html = receipt_html(payment)
        assert all(w in html for w in words), (language, html)
        assert absent not in html
