"""Personal data minimisation at the door, and what uploads leave on disk (issue 14, item 6)."""

import io
from pathlib import Path

import pytest
from django.urls import reverse

from accounts.imports import services
from accounts.models import Debtor, ImportBatch, ImportStatus
from tests.factories import CreditorFactory

pytestmark = pytest.mark.django_db
HEADER = ("creditor_account_number,debt_type,first_name,last_name,date_of_birth,ssn_last4,address_line1,city,state,"
          "zip,principal")


def csv_file(*rows: str, name="placements.csv") -> io.BytesIO:
    data = io.BytesIO(("\n".join((HEADER, *rows)) + "\n").encode())
    data.name = name
    return data


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def _stored_bytes(media: Path) -> bytes:
    return b"".join(p.read_bytes() for p in media.rglob("*") if p.is_file())


def test_a_full_ssn_is_refused_at_upload_and_the_file_is_not_kept(media):
    creditor = CreditorFactory(code="PII")
    upload = csv_file("A-1,credit_card,Ana,Reyes,1980-01-02,6789,1 Main St,Boston,MA,02134,100.00",
                      "A-2,credit_card,Bo,Diaz,1975-05-06,123-45-6789,2 Main St,Boston,MA,02134,50.00")
    with pytest.raises(services.ImportFileError, match="line 3 has a full Social Security number"):
        services.import_upload(creditor=creditor, kind="accounts", fileobj=upload, original_name="p.csv")
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.INVALID and not batch.file
    assert b"123-45-6789" not in _stored_bytes(media) and b"6789" not in _stored_bytes(media)
    assert not Debtor.objects.exists()


def test_the_upload_page_says_why_a_full_ssn_file_is_refused(client_for, media):
    creditor = CreditorFactory(code="PII2")
    upload = csv_file("A-1,credit_card,Ana,Reyes,1980-01-02,123456789,1 Main St,Boston,MA,02134,100.00")
    response = client_for("accounting").post(reverse("accounts:import_upload"),
                                             {"creditor": creditor.pk, "kind": "accounts", "file": upload})
    assert response.status_code == 200
    assert "full Social Security number in ssn_last4" in response.content.decode()
    assert b"123456789" not in _stored_bytes(media)
    batch = ImportBatch.objects.get()
    columns = client_for("accounting").get(reverse("accounts:import_columns", args=[batch.pk]))
    assert columns.status_code == 200 and "full Social Security number" in columns.content.decode()  # not a 500


def test_a_refused_unreadable_upload_is_deleted(media):
    creditor = CreditorFactory(code="NUL")
    upload = io.BytesIO(b"creditor_account_number,amount\x00\x00\x00\n")
    with pytest.raises(services.ImportFileError):
        services.import_upload(creditor=creditor, kind="transactions", fileobj=upload, original_name="bad.csv")
    assert ImportBatch.objects.get().file.name == ""
    assert _stored_bytes(media) == b""


def test_the_same_file_sent_three_times_is_stored_once(media):
    creditor = CreditorFactory(code="ONCE")
    row = "A-1,credit_card,Ana,Reyes,1980-01-02,6789,1 Main St,Boston,MA,02134,100.00"
    for _ in range(3):
        services.import_upload(creditor=creditor, kind="accounts", fileobj=csv_file(row), original_name="p.csv")
    assert ImportBatch.objects.count() == 3
    assert len([p for p in media.rglob("*") if p.is_file()]) == 1
    assert len(set(ImportBatch.objects.values_list("file", flat=True))) == 1


def test_a_zip_in_another_state_is_warned_in_the_dry_run(media):
    creditor = CreditorFactory(code="ZIPS")
    upload = csv_file("A-1,credit_card,Ana,Reyes,1980-01-02,6789,1 Main St,New York,TX,10001,100.00",
                      "A-2,credit_card,Bo,Diaz,1975-05-06,1234,2 Main St,Boston,MA,02134,50.00")
    batch, _ = services.import_upload(creditor=creditor, kind="accounts", fileobj=upload, original_name="p.csv")
    batch = services.import_dry_run(batch=batch)
    warnings = batch.summary["warnings"]
    assert any("ZIP 10001 is in NY, not TX" in w and "line 2" in w for w in warnings), warnings
    assert batch.status == ImportStatus.VALIDATED  # a warning, not an error
