"""The import service against the real database: placements, transactions, idempotency, all-or-nothing."""

import io
from datetime import date
from decimal import Decimal

import pytest

from accounts.imports import services
from accounts.models import Account, Debtor, ImportStatus, LedgerEntry
from accounts.services import balances_verify
from tests.factories import CreditorFactory, UserFactory

pytestmark = pytest.mark.django_db

PLACEMENTS = (
    "creditor_account_number,debt_type,first_name,last_name,business_name,address_line1,city,state,zip,phone,"
    "phone_type,email,itemization_date,principal,interest,fees\r\n"
    "P-100,credit card,Ana,Lopez,,1 Main St,Phoenix,AZ,85004,(602) 555-0101,mobile,ana@example.com,2025-01-15,"
    "\"1,000.00\",50.25,35\r\n"
    "P-200,medical,Ben,Ode,,9 Elm St,Honolulu,HI,96813,808-555-0102,cell,,01/20/2025,$250.00,0,0\r\n"
    "P-300,commercial,,,Bolt Supply LLC,5 Dock Rd,Seattle,WA,98101,206 555 0103,work,,2025-02-01,9800.00,,\r\n"
)


def run(creditor, text, kind, *, skip_invalid=False, user=None, name="file.csv"):
    batch = services.import_batch_create(creditor=creditor, kind=kind, fileobj=io.BytesIO(text.encode("cp1252")),
                                         original_name=name, user=user, skip_invalid=skip_invalid)
    if batch.status == ImportStatus.ALREADY_IMPORTED:
        return batch
    return services.import_execute(batch_id=batch.pk)


@pytest.fixture
def creditor():
    return CreditorFactory(code="ACME")


@pytest.fixture
def placed(creditor):
    batch = run(creditor, PLACEMENTS, "accounts", user=UserFactory(roles=["accounting"]))
    assert batch.status == ImportStatus.IMPORTED, batch.message
    return batch


def test_placements_create_debtors_contacts_accounts_and_opening_ledger(placed):
    assert (placed.created, placed.updated, placed.errors) == (3, 0, 0)
    ana = Account.objects.get(creditor_account_number="P-100")
    assert ana.current_balance == Decimal("1085.25") and ana.debt_type == "credit_card"
    assert sorted(LedgerEntry.objects.filter(account=ana).values_list("kind", "amount")) == [
        ("charge", Decimal("1000.00")), ("fee", Decimal("35.00")), ("interest", Decimal("50.25"))]
    assert ana.debtor.addresses.get().time_zone == "America/Phoenix"
    assert ana.debtor.phones.get().number == "+16025550101"
    bolt = Account.objects.get(creditor_account_number="P-300")
    assert bolt.debtor.debtor_type == "business" and bolt.debtor.display_name == "Bolt Supply LLC"
    assert balances_verify()["mismatched"] == 0


def test_placement_file_again_updates_instead_of_duplicating(placed, creditor):
    changed = PLACEMENTS.replace("Ana,Lopez", "Ana,Lopez-Diaz") + "\r\n"  # a different file: new hash
    batch = run(creditor, changed, "accounts")
    assert (batch.status, batch.created, batch.updated) == (ImportStatus.IMPORTED, 0, 3)
    assert Debtor.objects.filter(last_name="Lopez-Diaz").count() == 1
    assert Account.objects.count() == 3 and LedgerEntry.objects.count() == 5  # opening entries not repeated


TX = ("Account Number;Txn Date;Type;Amt;Reference Number;Description\n"
      "P-100;2025-03-01;payment;$100.00;T-1;thanks\n"
      "P-100;03/05/2025;interest;12.34;T-2;\n"
      "P-200;2025-03-06;adjustment;(50.00);T-3;\"courtesy; adj\"\n")


def test_transactions_append_entries_and_move_balances(placed, creditor):
    batch = run(creditor, TX, "transactions")
    assert (batch.status, batch.rows_total, batch.created, batch.errors) == (ImportStatus.IMPORTED, 3, 3, 0)
    assert Account.objects.get(creditor_account_number="P-100").current_balance == Decimal("997.59")
    assert Account.objects.get(creditor_account_number="P-200").current_balance == Decimal("200.00")
    assert str(Account.objects.get(creditor_account_number="P-100").last_payment_date) == "2025-03-01"
    assert balances_verify()["mismatched"] == 0


def test_same_file_twice_is_recognised_by_hash_and_not_applied(placed, creditor):
    first = run(creditor, TX, "transactions")
    again = run(creditor, TX, "transactions")
    assert again.status == ImportStatus.ALREADY_IMPORTED and again.duplicate_of_id == first.pk
    assert f"batch #{first.pk}" in again.message
    assert LedgerEntry.objects.filter(source="import").count() == 3


def test_rows_already_imported_in_another_file_count_as_duplicates(placed, creditor):
    run(creditor, TX, "transactions")
    batch = run(creditor, TX + "P-300;2025-03-07;fee;25.00;T-4;\n", "transactions")
    assert (batch.status, batch.created, batch.duplicates, batch.errors) == (ImportStatus.IMPORTED, 1, 3, 0)
    assert balances_verify()["mismatched"] == 0


def test_same_reference_with_different_content_is_an_error(placed, creditor):
    run(creditor, TX, "transactions")
    batch = run(creditor, TX.replace("$100.00", "$101.00") + "\n", "transactions")
    assert batch.status == ImportStatus.INVALID and batch.errors == 1
    report = batch.error_report.open("rb").read().decode()
    assert "2,reference,T-1,reference 'T-1' was already imported with different content" in report


BAD = ("creditor_account_number,posted_date,type,amount,reference,memo\n"
       "P-100,2025-03-01,payment,10.00,B-1,\n"
       "NOPE-1,2025-03-01,payment,10.00,B-2,\n"
       "P-100,2025-02-30,fee,1.00,B-3,\n"
       "P-100,2025-03-02,fee,1.005,B-4,\n"
       "P-100,2025-03-02,bogus,1.00,B-5,\n"
       "P-100,2025-03-02,fee,1.00,,\n"
       "P-100,2025-03-02,fee,2.00,B-1,\n"
       "P-200,2025-03-02,fee,3.00,B-8,\n")


def test_file_with_any_invalid_row_writes_nothing_and_reports_every_row(placed, creditor):
    before = list(Account.objects.order_by("id").values_list("current_balance", flat=True))
    batch = run(creditor, BAD, "transactions")
    assert batch.status == ImportStatus.INVALID and batch.errors == 6
    assert LedgerEntry.objects.filter(source="import").count() == 0
    assert list(Account.objects.order_by("id").values_list("current_balance", flat=True)) == before
    lines = batch.error_report.open("rb").read().decode().splitlines()
    assert lines[0] == "line,column,value,message"
    assert [row.split(",")[0] for row in lines[1:]] == ["3", "4", "5", "6", "7", "8"]
    assert "unknown account 'NOPE-1' for creditor ACME" in lines[1]
    assert "2025-02-30" in lines[2] and "more than 2 decimal places" in lines[3]
    assert "line 2" in lines[6]  # the repeated reference names the first line


def test_skip_invalid_lands_exactly_the_valid_rows(placed, creditor):
    batch = run(creditor, BAD, "transactions", skip_invalid=True)
    assert (batch.status, batch.created, batch.errors) == (ImportStatus.IMPORTED, 2, 6)
    assert sorted(LedgerEntry.objects.filter(source="import").values_list("reference", flat=True)) == ["B-1", "B-8"]
    assert balances_verify()["mismatched"] == 0


def test_dry_run_reports_totals_and_writes_nothing(placed, creditor):
    batch = services.import_batch_create(creditor=creditor, kind="transactions",
                                         fileobj=io.BytesIO(TX.encode()), original_name="tx.csv")
    batch = services.import_dry_run(batch=batch)
    assert batch.status == ImportStatus.VALIDATED
    assert batch.summary["totals"]["payment"] == {"count": 1, "amount": "100.00"}
    assert batch.summary["preview"][0]["creditor_account_number"] == "P-100"
    assert LedgerEntry.objects.filter(source="import").count() == 0


@pytest.mark.parametrize("text, message", [
    ("", "empty"),
    ("account,when\nA,2025-01-01\n", "missing required"),
    ("\x00\x01\x02binary", "is not text"),
])
def test_file_errors_name_the_problem(creditor, text, message):
    with pytest.raises(services.ImportFileError) as caught:
        batch = services.import_batch_create(creditor=creditor, kind="transactions",
                                             fileobj=io.BytesIO(text.encode()), original_name="f.csv")
        batch = services.import_execute(batch_id=batch.pk)
        assert batch.status == ImportStatus.INVALID
        raise services.ImportFileError(batch.message)
    assert message in caught.value.messages[0].lower()


def test_file_over_the_size_limit_is_refused(creditor, settings):
    settings.LEDGER_IMPORT_MAX_BYTES = 10
    with pytest.raises(services.ImportFileError, match="the file is 1[0-9][0-9] bytes, over the 10 bytes limit"):
        services.import_batch_create(creditor=creditor, kind="transactions", fileobj=io.BytesIO(TX.encode()),
                                     original_name="big.csv")


def test_database_failure_mid_import_marks_the_batch_failed_and_a_restart_lands_it(placed, creditor, monkeypatch,
                                                                                  settings):
    from django.db import OperationalError

    settings.LEDGER_IMPORT_PIPELINE = False  # the classic write; the pipelined one: tests/reliability

    from accounts.imports import transactions as tx_module

    real_merge = tx_module.merge

    def broken_merge(**kwargs):
        raise OperationalError("connection lost")

    monkeypatch.setattr(tx_module, "merge", broken_merge)
    batch = services.import_batch_create(creditor=creditor, kind="transactions", fileobj=io.BytesIO(TX.encode()),
                                         original_name="tx.csv")
    services.import_execute(batch_id=batch.pk)  # no traceback: the batch says what happened
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED and batch.restartable
    assert "database was unavailable (OperationalError: connection lost)" in batch.message
    assert "Nothing was written; start it again." in batch.message
    assert LedgerEntry.objects.filter(source="import").count() == 0

    monkeypatch.setattr(tx_module, "merge", real_merge)
    assert services.import_execute(batch_id=batch.pk).status == ImportStatus.IMPORTED
    assert LedgerEntry.objects.filter(source="import").count() == 3


def test_reference_written_by_another_import_between_check_and_write_ends_as_a_duplicate(
        placed, creditor, monkeypatch, settings):
    from accounts.imports import transactions as tx_module
    from accounts.models import EntrySource

    settings.LEDGER_IMPORT_PIPELINE = False  # the classic path's check-then-write race (the pipeline: below)
    from accounts.services import ledger_entry_post

    real_classify = tx_module.classify
    calls = []

    def racing_classify(**kwargs):
        states = real_classify(**kwargs)
        if not calls:  # a concurrent import lands T-1 after our check, before our write
            ledger_entry_post(account=Account.objects.get(creditor_account_number="P-100"), kind="payment",
                              amount="-100.00", posted_date=date(2025, 3, 1), source=EntrySource.IMPORT,
                              reference="T-1")
        calls.append(1)
        return states

    monkeypatch.setattr(tx_module, "classify", racing_classify)
    batch = run(creditor, TX, "transactions")
    assert len(calls) == 2
    assert (batch.status, batch.created, batch.duplicates) == (ImportStatus.IMPORTED, 2, 1)
    assert LedgerEntry.objects.filter(reference="T-1").count() == 1
    assert balances_verify()["mismatched"] == 0
