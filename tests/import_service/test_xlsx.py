import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import Workbook

from accounts.imports import services, workbooks
from accounts.models import Account, ImportStatus, LedgerEntry
from tests.factories import AccountFactory, CreditorFactory

pytestmark = pytest.mark.django_db


def workbook_bytes(rows) -> io.BytesIO:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


def test_xlsx_cells_become_the_text_a_spreadsheet_shows():
    data = workbook_bytes([["a", "b", "c", "d", "e"], [12345, 1234.56, 1234.5, datetime(2025, 3, 1), None]])
    text = workbooks.xlsx_to_csv(data).read().decode()
    assert text.splitlines() == ["a,b,c,d,e", "12345,1234.56,1234.5,2025-03-01,"]


def test_xlsx_transactions_import_like_csv():
    creditor = CreditorFactory(code="XL")
    account = AccountFactory(creditor=creditor, creditor_account_number="10042")
    data = workbook_bytes([["Account Number", "Txn Date", "Type", "Amt", "Ref"],
                           [10042, date(2025, 3, 1), "charge", 150.25, "X-1"],
                           [10042, "03/02/2025", "payment", 50, "X-2"]])
    batch = services.import_batch_create(creditor=creditor, kind="transactions", fileobj=data,
                                         original_name="march.xlsx")
    assert batch.status == ImportStatus.CONVERTING and batch.workbook and not batch.file
    batch = services.import_convert_execute(batch_id=batch.pk)  # what the worker's task runs
    assert batch.status == ImportStatus.UPLOADED and batch.file and not batch.workbook, batch.message
    assert batch.conversion["peak_rss_kb"] > 0 and batch.conversion["csv_bytes"] == batch.size_bytes
    batch = services.import_execute(batch_id=batch.pk)
    assert (batch.status, batch.created, batch.errors) == (ImportStatus.IMPORTED, 2, 0), batch.message
    assert Account.objects.get(pk=account.pk).current_balance == Decimal("100.25")
    assert LedgerEntry.objects.filter(account=account).count() == 2


def test_a_zip_that_is_not_a_workbook_is_still_refused_with_a_clear_message():
    creditor = CreditorFactory(code="ZIP")
    import zipfile
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w") as archive:
        archive.writestr("notes.txt", "hello")
    raw.seek(0)
    batch = services.import_batch_create(creditor=creditor, kind="transactions", fileobj=raw, original_name="x.zip")
    with pytest.raises(services.ImportFileError, match="zip archive, not CSV"):
        services.import_columns(batch=batch)


def test_the_chosen_worksheet_is_read_and_excel_serial_dates_are_dates():
    creditor = CreditorFactory(code="XL2")
    account = AccountFactory(creditor=creditor, creditor_account_number="L-1", current_balance=Decimal("0.00"))
    wb = Workbook()
    wb.active.title = "Summary"
    wb.active.append(["this sheet is a cover page"])
    sheet = wb.create_sheet("Repayments")
    sheet.append(["loanId", "paidAt", "type", "amount", "txnId"])
    sheet.append(["L-1", 45000, "payment", 12.5, "T-1"])  # a date cell stored as its serial day number
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    batch = services.import_batch_create(creditor=creditor, kind="transactions", fileobj=out, original_name="r.xlsx",
                                         sheet="Repayments")
    services.import_convert_execute(batch_id=batch.pk)
    batch = services.import_execute(batch_id=batch.pk)
    assert (batch.status, batch.created) == (ImportStatus.IMPORTED, 1), batch.message
    entry = LedgerEntry.objects.get(account=account)
    assert (entry.posted_date, entry.amount) == (date(2023, 3, 15), Decimal("-12.50"))  # serial 45000
    out.seek(0)
    missing = services.import_batch_create(creditor=creditor, kind="transactions", fileobj=out,
                                           original_name="r.xlsx", sheet="Loans")
    missing = services.import_convert_execute(batch_id=missing.pk)
    assert missing.status == ImportStatus.INVALID and not missing.restartable
    assert "no worksheet 'Loans'; it has 'Summary', 'Repayments'" in missing.message
    assert not missing.workbook and not missing.file  # the refused workbook is deleted


def test_a_converted_workbook_goes_on_as_a_csv_upload_does(settings):
    """Same CSV content as an imported file: already imported; a full SSN: refused and deleted; a mapping
    sent with the upload: saved and remembered; the workbook is never kept."""
    from accounts.models import ColumnMappingMemory, ImportBatch

    creditor = CreditorFactory(code="XL3")
    AccountFactory(creditor=creditor, creditor_account_number="10042")
    rows = [["Account Number", "Txn Date", "Type", "Amt", "Ref"], [10042, date(2025, 3, 1), "charge", 10, "Y-1"]]
    first = services.import_batch_create(creditor=creditor, kind="transactions", fileobj=workbook_bytes(rows),
                                         original_name="a.xlsx")
    services.import_convert_execute(batch_id=first.pk)
    assert services.import_execute(batch_id=first.pk).status == ImportStatus.IMPORTED
    again = services.import_batch_create(creditor=creditor, kind="transactions", fileobj=workbook_bytes(rows),
                                         original_name="a-again.xlsx")
    again = services.import_convert_execute(batch_id=again.pk)
    assert again.status == ImportStatus.ALREADY_IMPORTED and again.duplicate_of_id == first.pk
    assert not again.workbook

    mapping = {"Acct": "creditor_account_number", "SSN": "ssn_last4"}
    ssn = workbook_bytes([["Acct", "SSN", "First", "Last"], ["P-1", "123-45-6789", "Ana", "Lee"]])
    refused, _ = services.import_upload(creditor=creditor, kind="accounts", fileobj=ssn, original_name="p.xlsx",
                                        mapping=mapping)
    refused = services.import_convert_execute(batch_id=refused.pk)
    assert refused.status == ImportStatus.INVALID and "full Social Security number" in refused.message
    assert not refused.file and not refused.workbook

    picks = {"Acct": "creditor_account_number", "Day": "posted_date", "Kind": "type", "Sum": "amount",
             "Ref": "reference"}
    fine = workbook_bytes([list(picks), ["10042", "2025-03-02", "charge", 5, "Y-2"]])
    batch, columns = services.import_upload(creditor=creditor, kind="transactions", fileobj=fine,
                                            original_name="p2.xlsx", mapping=picks)
    assert columns is None and batch.status == ImportStatus.CONVERTING
    batch = services.import_convert_execute(batch_id=batch.pk)
    assert batch.status == ImportStatus.UPLOADED and batch.mapping == picks
    assert ColumnMappingMemory.objects.get(creditor=creditor, kind="transactions").mapping == picks
    assert not any(ImportBatch.objects.exclude(workbook="").values_list("workbook", flat=True))
    # a second message for the same batch (a redelivery) finds it converted and does nothing
    assert services.import_convert_execute(batch_id=batch.pk).status == ImportStatus.UPLOADED


def test_a_workbook_under_the_inline_threshold_converts_in_the_request(settings):
    settings.XLSX_INLINE_MAX_BYTES = 10 * 1024 * 1024
    creditor = CreditorFactory(code="XL4")
    batch = services.import_batch_create(creditor=creditor, kind="transactions", original_name="s.xlsx",
                                         fileobj=workbook_bytes([["a", "b"], [1, 2]]))
    assert batch.status == ImportStatus.UPLOADED and batch.file and not batch.workbook
