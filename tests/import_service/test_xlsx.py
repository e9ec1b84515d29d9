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
    batch = services.import_execute(batch_id=batch.pk)
    assert (batch.status, batch.created) == (ImportStatus.IMPORTED, 1), batch.message
    entry = LedgerEntry.objects.get(account=account)
    assert (entry.posted_date, entry.amount) == (date(2023, 3, 15), Decimal("-12.50"))  # serial 45000
    out.seek(0)
    with pytest.raises(services.ImportFileError, match="no worksheet 'Loans'; it has 'Summary', 'Repayments'"):
        services.import_batch_create(creditor=creditor, kind="transactions", fileobj=out, original_name="r.xlsx",
                                     sheet="Loans")
