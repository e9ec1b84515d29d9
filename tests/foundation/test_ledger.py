from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from hypothesis import given
from hypothesis import strategies as st

from accounts.balances import balance_by_kind
from accounts.models import Account, EntryKind, EntrySource, LedgerEntry
from accounts.services import balances_verify, ledger_entry_post, ledger_entry_reverse
from tests.factories import AccountFactory

pytestmark = pytest.mark.django_db

D = Decimal


def post(account, kind, amount, ref=None):
    return ledger_entry_post(account=account, kind=kind, amount=amount, posted_date=date(2025, 3, 1),
                             source=EntrySource.USER, reference=ref)


def test_posting_moves_cached_balance_in_same_transaction():
    account = AccountFactory()
    post(account, EntryKind.CHARGE, "100.10")
    post(account, EntryKind.INTEREST, "5.05")
    post(account, EntryKind.PAYMENT, "-20.00")
    account.refresh_from_db()
    assert account.current_balance == D("85.15")
    assert balances_verify()["mismatches"] == []


def test_same_reference_twice_changes_nothing():
    account = AccountFactory()
    first, created = post(account, EntryKind.CHARGE, "10.00", ref="R-1")
    again, created_again = post(account, EntryKind.CHARGE, "10.00", ref="R-1")
    assert created and not created_again and again.pk == first.pk
    account.refresh_from_db()
    assert account.current_balance == D("10.00")
    assert LedgerEntry.objects.filter(reference="R-1").count() == 1


def test_same_reference_with_different_amount_is_refused():
    account = AccountFactory()
    post(account, EntryKind.CHARGE, "10.00", ref="R-2")
    with pytest.raises(ValidationError, match="R-2.*different entry"):
        post(account, EntryKind.CHARGE, "11.00", ref="R-2")


def test_amount_with_three_decimals_is_refused():
    with pytest.raises(ValidationError, match="more than 2 decimal places"):
        post(AccountFactory(), EntryKind.CHARGE, "1.005")


def test_entries_cannot_be_edited_or_deleted_through_the_orm():
    entry, _ = post(AccountFactory(), EntryKind.CHARGE, "10.00")
    entry.amount = D("1.00")
    with pytest.raises(TypeError, match="append-only"):
        entry.save()
    with pytest.raises(TypeError, match="append-only"):
        entry.delete()
    with pytest.raises(TypeError, match="append-only"):
        LedgerEntry.objects.filter(pk=entry.pk).update(amount=D("2.00"))
    with pytest.raises(TypeError, match="append-only"):
        LedgerEntry.objects.filter(pk=entry.pk).delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_database_refuses_raw_update_and_delete_of_ledger_rows():
    entry, _ = post(AccountFactory(), EntryKind.CHARGE, "10.00")
    for sql in ("UPDATE accounts_ledgerentry SET amount = 0 WHERE id = %s",
                "DELETE FROM accounts_ledgerentry WHERE id = %s"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(sql, [entry.pk])
    assert LedgerEntry.objects.get(pk=entry.pk).amount == D("10.00")


def test_reversal_restores_balance_and_keeps_both_entries():
    account = AccountFactory()
    entry, _ = post(account, EntryKind.FEE, "35.00")
    reversal = ledger_entry_reverse(entry=entry, reason="fee waived")
    account.refresh_from_db()
    assert account.current_balance == D("0.00")
    assert reversal.amount == D("-35.00") and reversal.reverses_id == entry.pk
    with pytest.raises(ValidationError, match="already reversed"):
        ledger_entry_reverse(entry=entry, reason="again")


def test_verify_balances_reports_a_tampered_cached_balance():
    account = AccountFactory()
    post(account, EntryKind.CHARGE, "50.00")
    Account.objects.filter(pk=account.pk).update(current_balance=D("49.99"))
    result = balances_verify()
    assert result["mismatched"] == 1
    assert result["mismatches"][0] == {"account_id": account.pk, "cached": "49.99", "ledger": "50.00"}
    with pytest.raises(CommandError, match="1 account balance"):
        call_command("verify_balances")


def test_verify_balances_counts_accounts_without_entries_as_zero():
    AccountFactory()
    assert balances_verify() == {"checked": 1, "mismatched": 0, "mismatches": [], "orphaned_entries": 0}


def test_balance_by_kind_applies_credits_in_allocation_order():
    totals = {"charge": D("100.00"), "interest": D("20.00"), "fee": D("10.00"), "payment": D("-25.00")}
    result = balance_by_kind(totals, ["fees", "interest", "principal"])
    assert result == {"principal": D("100.00"), "interest": D("5.00"), "fees": D("0.00"), "total": D("105.00")}


cents = st.integers(min_value=0, max_value=10**9).map(lambda c: D(c).scaleb(-2))


@given(charge=cents, interest=cents, fee=cents, payment=cents, adjustment=st.integers(-10**8, 10**8))
def test_balance_by_kind_always_sums_to_the_ledger_total(charge, interest, fee, payment, adjustment):
    adj = D(adjustment).scaleb(-2)
    totals = {"charge": charge, "interest": interest, "fee": fee, "payment": -payment, "adjustment": adj}
    result = balance_by_kind(totals)
    assert result["total"] == charge + interest + fee - payment + adj
    assert result["principal"] + result["interest"] + result["fees"] == result["total"]
    assert result["interest"] >= 0 and result["fees"] >= 0


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_database_refuses_to_delete_an_account_that_has_ledger_entries():
    account = AccountFactory()
    post(account, EntryKind.CHARGE, "10.00")
    with pytest.raises(DatabaseError, match="close it, never delete it"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM accounts_account WHERE id = %s", [account.pk])
    assert Account.objects.filter(pk=account.pk).exists()


def test_verify_balances_reports_entries_whose_account_is_missing():
    account = AccountFactory()
    post(account, EntryKind.CHARGE, "10.00")
    with connection.cursor() as cursor:  # what only a bypass of the guards could leave behind
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")  # triggers off for this transaction
        cursor.execute("DELETE FROM accounts_account WHERE id = %s", [account.pk])
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")
    assert balances_verify()["orphaned_entries"] == 1
    with pytest.raises(CommandError, match="1 ledger entries point at no account"):
        call_command("verify_balances")
