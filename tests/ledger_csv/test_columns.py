"""Header mapping: canonical names, synonyms, user mappings."""

import pytest

from accounts.ledger_csv import LedgerFileError, normalize_header, resolve_columns


@pytest.mark.parametrize(
    ("header", "normalised"),
    [("  Account # ", "account_number"), ("E-mail", "e_mail"), ("Acct No.", "acct_no"), ("\ufeffTxn Date", "txn_date")],
)
def test_headers_are_normalised(header, normalised):
    assert normalize_header(header) == normalised


@pytest.mark.parametrize(
    ("header", "field"),
    [("Acct No", "creditor_account_number"), ("Account Number", "creditor_account_number"),
     ("Account #", "creditor_account_number"), ("Acct", "creditor_account_number"), ("Amt", "amount"),
     ("Amount", "amount"), ("Txn Date", "posted_date"), ("Transaction Date", "posted_date"),
     ("Post Date", "posted_date"), ("Ref", "reference"), ("Reference Number", "reference"),
     ("Description", "memo"), ("Txn Type", "type")],
)  # fmt: skip
def test_transaction_synonyms_are_recognised(header, field):
    assert resolve_columns([header], "transactions").by_header == {header: field}


@pytest.mark.parametrize(
    ("header", "field"),
    [("Zip Code", "zip"), ("Postal Code", "zip"), ("First", "first_name"), ("Last", "last_name"),
     ("DOB", "date_of_birth"), ("SSN", "ssn_last4"), ("Phone Number", "phone"), ("E-mail", "email"),
     ("Balance", "principal"), ("Company Name", "business_name")],
)  # fmt: skip
def test_placement_synonyms_are_recognised(header, field):
    assert resolve_columns([header], "accounts").by_header == {header: field}


def test_user_mapping_wins_and_can_ignore_a_column():
    headers = ["Loan", "Date", "Kind", "Value", "Id", "Notes", "Amt"]
    mapping = {"Loan": "creditor_account_number", "kind": "type", "Value": "amount", "Id": "reference", "Amt": None}
    result = resolve_columns(headers, "transactions", mapping)
    assert result.ok
    assert result.fields == {
        "creditor_account_number": 0, "posted_date": 1, "type": 2, "amount": 3, "reference": 4, "memo": 5,
    }  # fmt: skip
    assert result.unmapped == ("Amt",)


def test_two_columns_claiming_one_field_is_a_conflict():
    result = resolve_columns(["Acct", "Date", "Type", "Amount", "Amt", "Ref"], "transactions")
    assert result.conflicts == {"amount": ("Amount", "Amt")}
    with pytest.raises(LedgerFileError, match="columns 'Amount' and 'Amt' both map to amount"):
        result.raise_if_incomplete()


def test_unknown_mapping_target_is_a_file_error():
    with pytest.raises(LedgerFileError, match="unknown transactions field 'balance'"):
        resolve_columns(["x"], "transactions", {"x": "balance"})


def test_placements_need_a_person_name_or_business_name():
    base = ["creditor_account_number", "debt_type", "principal"]
    assert resolve_columns([*base, "business_name"], "accounts").ok
    assert resolve_columns([*base, "first_name", "last_name"], "accounts").ok
    result = resolve_columns([*base, "first_name"], "accounts")
    assert result.missing == ("last_name",)
    assert result.problem() == "missing required columns: last_name (or business_name)"
