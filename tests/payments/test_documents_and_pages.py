"""Receipts and plan agreements are real PDFs; the agreement goes through the gate; accounting's batch
posting is all-or-nothing and idempotent; the paid accounts CSV is formula-safe."""

import subprocess
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from compliance.models import ContactAttempt
from payments.models import Payment
from payments.services import payment_post, plan_create
from payments.services.letters import plan_agreement_send
from tests.factories import CreditorFactory, DebtorFactory

from .support import funded_account, with_address

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def test_receipt_pdf_shows_amount_and_allocation(client_for, tmp_path):
    account = funded_account(principal="80.00", fees="20.00")
    payment, _ = payment_post(account=account, amount="50.00", method="check", received_at=timezone.now(),
                              idempotency_key="r-1", source="posting", reference="CHK 1001")
    response = client_for("collector").get(reverse("payments:receipt", args=[payment.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = _text(response.content, tmp_path)
    assert f"PAY-{payment.pk}" in text and "$50.00" in text and "Fees" in text and "$30.00" in text
    assert "CHK 1001" in text and "debt collector" in text


def test_spanish_plan_agreement_is_rendered_stored_and_mailed_through_the_gate_once(users, tmp_path,
                                                                                     django_capture_on_commit_callbacks):
    account = with_address(funded_account(principal="300.00"))
    account.debtor.preferred_language = "es"
    account.debtor.save()
    with django_capture_on_commit_callbacks(execute=False):
        plan = plan_create(account=account, total="300.00", down_payment="0", frequency="monthly",
                           start_date=timezone.localdate() + timedelta(days=1), installments=3,
                           user=users["collector"])
    assert plan.language == "es"
    with django_capture_on_commit_callbacks(execute=False):
        attempt = plan_agreement_send(plan_id=plan.pk)
        assert plan_agreement_send(plan_id=plan.pk) is None  # once
    assert attempt.channel == "letter" and attempt.idempotency_key == f"plan-agreement:{plan.pk}"
    assert ContactAttempt.objects.filter(account=account).count() == 1
    with default_storage.open(attempt.content["pdf"], "rb") as fh:
        text = _text(fh.read(), tmp_path)
    assert "Acuerdo de plan de pagos" in text and "$100.00" in text and "cobrador de deudas" in text


def test_batch_file_with_a_bad_row_posts_nothing_then_the_fixed_file_posts_once(client_for,
                                                                                django_capture_on_commit_callbacks,
                                                                                monkeypatch):
    """The page stores the file and queues it for a worker; the worker checks every row, posts with
    progress, and the batch page shows where it is. (The task runs here when the transaction commits.)"""
    from payments import tasks
    from payments.batch import payment_batch_run
    from payments.models import PaymentBatch

    queued = []
    monkeypatch.setattr(tasks.payment_batch_run, "delay", lambda batch_id: queued.append(batch_id))
    creditor = CreditorFactory(code="LOCK")
    a1 = funded_account(principal="100.00", creditor=creditor, creditor_account_number="L-1")
    funded_account(principal="100.00", creditor=creditor, creditor_account_number="L-2")
    client = client_for("accounting")
    bad = (b"creditor_account_number,amount,method,received_at,reference\r\n"
           b"L-1,$40.00,check,2026-01-05,LB-1\r\nL-2,abc,wire,2026-01-05,LB-2\r\nL-9,5,cash,2026-01-05,LB-3\r\n")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("payments:posting"), {"action": "batch", "creditor": "LOCK",
                                                             "file": SimpleUploadedFile("box.csv", bad)})
    batch = PaymentBatch.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("payments:batch", args=[batch.pk])
    assert queued == [batch.pk] and batch.status == "queued"
    page = client.get(reverse("payments:batch", args=[batch.pk])).content.decode()
    assert 'http-equiv="refresh"' in page and "Waiting for a worker" in page
    payment_batch_run(batch_id=batch.pk)  # what the worker runs
    page = client.get(reverse("payments:batch", args=[batch.pk])).content.decode()
    assert "Nothing was posted" in page and "unknown method" in page and "no account" in page
    assert 'http-equiv="refresh"' not in page
    assert Payment.objects.count() == 0
    good = bad.replace(b"abc,wire", b"12.50,ach").replace(b"L-9,5,cash,2026-01-05,LB-3\r\n", b"")
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("payments:posting"), {"action": "batch", "creditor": "LOCK",
                                                                 "file": SimpleUploadedFile("box.csv", good)})
        assert response.status_code == 302
        done = payment_batch_run(batch_id=queued[-1])
        assert done.status == "posted" and done.rows_total == done.rows_done == 2 and done.percent == 100
    assert (done.posted, done.duplicates) == (0, 2)  # the second upload of the same file posts nothing twice
    assert payment_batch_run(batch_id=queued[-1]).posted == 0  # a redelivered task leaves a finished batch
    assert Payment.objects.count() == 2
    page = client.get(reverse("payments:batch", args=[done.pk])).content.decode()
    assert "2 rows: 0 posted, 2 already posted." in page
    a1.refresh_from_db()
    assert a1.current_balance == Decimal("60.00")


def test_accounting_returns_a_payment_from_the_posting_page(client_for):
    account = funded_account(principal="100.00")
    payment, _ = payment_post(account=account, amount="100.00", method="ach", received_at=timezone.now(),
                              idempotency_key="ret-1", source="posting")
    client = client_for("accounting")
    assert client.post(reverse("payments:return", args=[payment.pk]), {"reason": "nsf"}).status_code == 302
    payment.refresh_from_db()
    account.refresh_from_db()
    assert payment.status == "returned" and account.current_balance == Decimal("100.00") and account.status == "active"


def test_paid_accounts_list_and_csv_escape_formulas(client_for):
    debtor = DebtorFactory(first_name="=HYPERLINK(\"x\")", last_name="")
    account = funded_account(principal="10.00", debtor=debtor)
    payment_post(account=account, amount="10.00", method="cash", received_at=timezone.now(), idempotency_key="pif",
                 source="posting")
    client = client_for("supervisor")
    assert account.creditor_account_number in client.get(reverse("payments:paid")).content.decode()
    csv_text = client.get(reverse("payments:paid_csv") + f"?creditor={account.creditor.code}").content.decode()
    assert "'=HYPERLINK" in csv_text and account.creditor_account_number in csv_text
