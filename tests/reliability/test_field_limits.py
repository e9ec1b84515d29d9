"""Every limit of the columns an import writes is checked while parsing: the dry run reports it by line
and column, and the import refuses it the same way (INVALID, nothing written), never a database error."""

import pytest

from accounts.imports import services
from accounts.imports.limits import import_limits
from accounts.ledger_csv.limits import FieldLimits
from accounts.models import Account, Address, Debtor, Email, ImportStatus, LedgerEntry
from accounts.services import balances_verify

from .support import creditor_with_accounts, dry_run, new_batch, placement_csv, placement_row, report, tx_csv

pytestmark = pytest.mark.django_db

OK_ROW = "A-1,2025-03-01,charge,10.00,R-OK,fine"


def test_limits_are_read_from_the_model_fields():
    limits = import_limits()
    assert limits.lengths["creditor_account_number"] == Account._meta.get_field("creditor_account_number").max_length
    assert limits.lengths["reference"] == LedgerEntry._meta.get_field("reference").max_length
    assert limits.lengths["memo"] == LedgerEntry._meta.get_field("memo").max_length
    assert limits.lengths["first_name"] == Debtor._meta.get_field("first_name").max_length
    assert limits.lengths["address_line1"] == Address._meta.get_field("line1").max_length
    assert limits.lengths["email"] == Email._meta.get_field("address").max_length
    amount = LedgerEntry._meta.get_field("amount")
    assert limits.max_cents["principal"] == 10 ** amount.max_digits - 1
    balance = Account._meta.get_field("current_balance")
    assert limits.balance_max_cents == 10 ** balance.max_digits - 1


@pytest.mark.parametrize(("row", "column", "message"), [
    ("A-1,2025-03-01,charge,10.00," + "R" * 101 + ",x", "reference",
     "reference is too long (101 characters; at most 100)"),
    ("A" * 65 + ",2025-03-01,charge,10.00,R-2,x", "creditor_account_number",
     "creditor_account_number is too long (65 characters; at most 64)"),
    ("A-1,2025-03-01,charge,10.00,R-2," + "m" * 256, "memo", "memo is too long (256 characters; at most 255)"),
    ("A-1,2025-03-01,charge,0.00,R-2,x", "amount", "amount is zero: a zero row changes no balance; leave it out "
                                                    "of the file"),
    ("A-1,2025-03-01,adjustment,-0,R-2,x", "amount", "amount is zero: a zero row changes no balance; leave it out "
                                                      "of the file"),
    ("A-1,2025-03-01,charge,99999999999999999.99,R-2,x", "amount", "amount is too large (at most 9,999,999,999.99)"),
])
def test_transaction_cells_the_ledger_cannot_hold_are_row_errors_in_the_dry_run_and_the_import(row, column, message):
    creditor = creditor_with_accounts()
    checked = dry_run(creditor, tx_csv(OK_ROW, row), "transactions")
    assert checked.status == ImportStatus.INVALID
    assert report(checked) == [(3, column, message)]

    imported = services.import_execute(batch_id=new_batch(creditor, tx_csv(OK_ROW, row), "transactions").pk)
    assert (imported.status, imported.errors) == (ImportStatus.INVALID, 1) and imported.restartable
    assert LedgerEntry.objects.count() == 0

    skipped = services.import_execute(batch_id=new_batch(creditor, tx_csv(OK_ROW, row), "transactions",
                                                         skip_invalid=True, name="skip.csv").pk)
    assert (skipped.status, skipped.created, skipped.errors) == (ImportStatus.IMPORTED, 1, 1)


@pytest.mark.parametrize(("row", "column", "message"), [
    (placement_row(first="F" * 101), "first_name", "first_name is too long (101 characters; at most 100)"),
    (placement_row(last="L" * 101), "last_name", "last_name is too long (101 characters; at most 100)"),
    (placement_row(first="", last="", business="B" * 201), "business_name",
     "business_name is too long (201 characters; at most 200)"),
    (placement_row(original_creditor="O" * 201), "original_creditor",
     "original_creditor is too long (201 characters; at most 200)"),
    (placement_row(address="9" * 201), "address_line1", "address_line1 is too long (201 characters; at most 200)"),
    (placement_row(city="C" * 101), "city", "city is too long (101 characters; at most 100)"),
    (placement_row(email="a" * 250 + "@example.com"), "email", "email is too long (262 characters; at most 254)"),
    (placement_row("N" * 65), "creditor_account_number",
     "creditor_account_number is too long (65 characters; at most 64)"),
    (placement_row(principal="99999999999999999.99"), "principal",
     "principal is too large (at most 999,999,999,999.99)"),
    (placement_row(principal="999999999999.99", fees="0.01"), "principal",
     "principal + interest + fees is 1,000,000,000,000.00, over the largest balance an account holds "
     "(999,999,999,999.99)"),
])
def test_placement_cells_the_database_cannot_hold_are_row_errors(row, column, message):
    creditor = creditor_with_accounts()
    data = placement_csv(placement_row("P-OK"), row)
    checked = dry_run(creditor, data, "accounts")
    assert report(checked) == [(3, column, message)]
    imported = services.import_execute(batch_id=new_batch(creditor, data, "accounts", name="again.csv").pk)
    assert (imported.status, imported.errors) == (ImportStatus.INVALID, 1)
    assert not Account.objects.filter(creditor_account_number="P-OK").exists()


def test_rows_that_each_fit_but_overflow_an_accounts_balance_are_refused_before_the_merge():
    creditor = creditor_with_accounts()
    rows = [f"A-1,2025-03-01,charge,9999999999.99,R-{i}," for i in range(101)]
    data = tx_csv("A-2,2025-03-01,charge,5.00,R-OTHER,", *rows)
    checked = dry_run(creditor, data, "transactions")
    errors = report(checked)
    assert checked.status == ImportStatus.INVALID and len(errors) == 101
    assert errors[0] == (3, "amount", "account 'A-1' would reach a balance of 1,009,999,999,998.99, over the largest "
                                      "balance an account holds (999,999,999,999.99); none of its rows can be imported")
    batch = services.import_execute(batch_id=new_batch(creditor, data, "transactions", skip_invalid=True).pk)
    assert (batch.status, batch.created, batch.errors) == (ImportStatus.IMPORTED, 1, 101)
    assert Account.objects.get(creditor_account_number="A-1").current_balance == 0
    assert balances_verify()["mismatched"] == 0


def test_a_negative_overflow_is_refused_too():
    creditor = creditor_with_accounts()
    rows = [f"A-1,2025-03-01,adjustment,-9999999999.99,R-{i}," for i in range(101)]
    errors = report(dry_run(creditor, tx_csv(*rows), "transactions"))
    assert "would reach a balance of -1,009,999,999,998.99" in errors[0][2]


def test_without_limits_the_pure_parser_still_applies_its_own_amount_cap():
    assert FieldLimits().too_large("amount", 1_000_000_000_000) == "amount is too large (at most 9,999,999,999.99)"
    assert FieldLimits().too_long("reference", "R" * 500) is None
