"""A lockbox file's page reads in the user's language: the batch's message and each problem's reason are
rendered from their English (kept as stored) through payments.texts."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import translation

from payments.batch import payment_batch_run
from payments.models import PaymentBatch
from payments.texts import CATALOGUE, batch_text
from tests.factories import CreditorFactory

from .support import funded_account

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)


def refused_batch():
    creditor = CreditorFactory(code="LOCK")
    funded_account(principal="100.00", creditor=creditor, creditor_account_number="L-1")
    batch = PaymentBatch(creditor=creditor, original_name="box.csv")
    batch.file.save("box.csv", ContentFile(b"creditor_account_number,amount,method,received_at,reference\r\n"
                                           b"L-1,abc,wire,2026-01-05,LB-2\r\nL-9,-5,cash,2026-02-30,\r\n"))
    return payment_batch_run(batch_id=batch.pk)


def test_the_batch_page_reads_in_spanish_and_the_record_stays_english(client_for, users):
    batch = refused_batch()
    assert batch.message == "Nothing was posted: 6 problems in the file."
    reasons = [e["reason"] for e in batch.errors]
    for reason in reasons:  # every reason the lockbox check wrote has its template
        key = CATALOGUE.key(reason)
        assert key is not None and CATALOGUE.render(key, english=True) == reason, reason
    users["accounting"].language = "es"
    users["accounting"].save(update_fields=["language"])
    html = client_for("accounting").get(reverse("payments:batch", args=[batch.pk])).content.decode()
    assert "No se registró nada: 6 problemas en el archivo." in html
    assert "método desconocido &#x27;wire&#x27;" in html and "no hay cuenta &#x27;L-9&#x27; para LOCK" in html
    assert "Problemas en el archivo" in html and "Nothing was posted" not in html


def test_an_unknown_reason_shows_as_stored():
    with translation.override("es"):
        assert batch_text("Something new went wrong.") == "Something new went wrong."
        assert batch_text("must be positive") == "debe ser positivo"
