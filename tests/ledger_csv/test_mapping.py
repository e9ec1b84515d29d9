"""The mapping as creditors' files need it: fixed values, derivations, one column into several fields,
camelCase headers, value maps, date-times and day/month order, minor units, signed amounts, currency.
Every file is built here, as the creditor would send it."""

import datetime as dt
from decimal import Decimal

import pytest

from accounts.ledger_csv import LedgerFileError, MappingSpec, inspect_columns, normalize_header, open_csv, samples
from accounts.ledger_csv.mapping import split_name

from .support import parse, split

AR_HEADER = ("countryCode,customerID,PaperlessDate,invoiceNumber,InvoiceDate,DueDate,InvoiceAmount,Disputed,"
             "SettledDate,PaperlessBill,DaysToSettle,DaysLate")
AR_ROWS = ("391,0379-NEVHP,4/6/2013,611365,1/2/2013,2/1/2013,55.94,No,1/15/2013,Paper,13,0",
           "406,8976-AMJEO,3/3/2012,7900770,1/26/2013,2/25/2013,61.74,Yes,3/3/2013,Electronic,36,6",
           "391,0379-NEVHP,4/6/2013,9231909,7/3/2013,8/2/2013,65.88,No,7/8/2013,Electronic,5,0")


def csv(header, *rows):
    return ("\r\n".join((header, *rows)) + "\r\n").encode()


def ar_spec(**extra):
    return {"version": 2, "fields": {"creditor_account_number": {"column": "invoiceNumber"},
                                     "business_name": {"columns": ["customerID"], "derive": "concat"},
                                     "debt_type": {"value": "commercial"}, **extra}}


@pytest.mark.parametrize(("header", "expected"), [
    ("DueDate", "due_date"), ("customerID", "customer_id"), ("InvoiceAmount", "invoice_amount"),
    ("invoice_Number", "invoice_number"), ("loanID", "loan_id"), ("Acct #", "acct_number"),
])
def test_camel_and_snake_case_headers_are_split_before_matching(header, expected):
    assert normalize_header(header) == expected


def test_invoice_file_headers_map_automatically_and_only_gaps_need_the_clerk():
    plan = inspect_columns(csv(AR_HEADER, *AR_ROWS), kind="accounts")
    auto = plan.by_header
    assert auto["customerID"] == "customer_id" and auto["invoiceNumber"] == "creditor_account_number"
    assert auto["InvoiceDate"] == "itemization_date" and auto["DueDate"] == "due_date"
    assert auto["InvoiceAmount"] == "principal" and auto["Disputed"] == "disputed"
    assert set(plan.missing) == {"debt_type", "first_name", "last_name"}  # no name, no debt type in the file


def test_fixed_value_and_one_column_feeding_two_fields_import_the_invoice_file_as_delivered():
    rows, errors = split(parse(csv(AR_HEADER, *AR_ROWS), kind="accounts", mapping=ar_spec()))
    assert errors == []
    first = rows[0]
    assert (first.creditor_account_number, first.customer_id, first.business_name) == ("611365", "0379-NEVHP",
                                                                                        "0379-NEVHP")
    assert first.debt_type == "commercial" and first.principal == Decimal("55.94")
    assert first.itemization_date == dt.date(2013, 1, 2) and first.due_date == dt.date(2013, 2, 1)
    assert [r.disputed for r in rows] == [False, True, False]


def test_full_name_is_split_into_first_and_last():
    assert split_name("Lee, Ann B") == ("Ann B", "Lee")
    assert split_name("Ann B.  Lee") == ("Ann B.", "Lee")
    spec = {"version": 2, "fields": {"first_name": {"column": "Name", "derive": "first_name"},
                                     "last_name": {"column": "Name", "derive": "last_name"},
                                     "debt_type": {"value": "medical"}}}
    rows, errors = split(parse(csv("Account,Name,Balance", 'M-1,"Ng, Bo",10.00', "M-2,Cy Ko,20.00"),
                               kind="accounts", mapping=spec))
    assert errors == [] and [(r.first_name, r.last_name) for r in rows] == [("Bo", "Ng"), ("Cy", "Ko")]


def test_minor_units_divide_by_100_and_a_fraction_is_refused_naming_the_column():
    spec = {"version": 2, "fields": {"amount": {"column": "amountMinor", "derive": "cents"},
                                     "type": {"value": "payment"}}}
    data = csv("loanId,paidAt,amountMinor,txnId", "L-1,2023-05-16,89900,T1", "L-1,2023-05-17,899.5,T2")
    rows, errors = split(parse(data, mapping=spec))
    assert [(r.amount_cents, r.signed_amount_cents) for r in rows] == [(89900, -89900)]
    assert errors[0].line == 3 and errors[0].column == "amount"
    assert errors[0].message.startswith("amount (column 'amountMinor'): '899.5' is not a whole number of minor units")


def test_minor_units_option_applies_to_every_money_field():
    spec = {"version": 2, "fields": {"debt_type": {"value": "consumer_loan"}}, "options": {"minor_units": True}}
    rows, errors = split(parse(csv("loan_id,first_name,last_name,principal,interest", "L-1,Ann,Lee,89900,1250"),
                               kind="accounts", mapping=spec))
    assert errors == [] and (rows[0].principal, rows[0].interest) == (Decimal("899.00"), Decimal("12.50"))


def test_absolute_value_with_the_sign_deciding_the_type():
    spec = {"version": 2, "fields": {
        "amount": {"column": "Amount", "derive": "abs"},
        "type": {"column": "Amount", "derive": "sign", "negative": "payment", "positive": "charge"}}}
    data = csv("Account,Date,Amount,Ref", "A-1,2025-01-02,-50.00,R1", "A-1,2025-01-03,25.10,R2")
    rows, errors = split(parse(data, mapping=spec))
    assert errors == []
    assert [(r.kind, r.amount_cents, r.signed_amount_cents) for r in rows] == [("payment", 5000, -5000),
                                                                              ("charge", 2510, 2510)]


def test_value_maps_turn_a_creditors_codes_into_ours():
    spec = {"version": 2, "fields": {},
            "values": {"debt_type": {"TEL": "other", "SL": "consumer_loan"}, "state": {"Calif": "CA"},
                       "phone_type": {"M": "cell"}}}
    header = "Account,Debt Type,First,Last,Balance,State,Phone,Phone Type"
    rows, errors = split(parse(csv(header, "P-1,TEL,Ann,Lee,10.00,Calif,(602) 555-0101,M",
                                   "P-2,sl,Bo,Ng,5.00,texas,,"), kind="accounts", mapping=spec))
    assert errors == []
    assert [(r.debt_type, r.state, r.phone_type) for r in rows] == [("other", "CA", "cell"),
                                                                    ("consumer_loan", "TX", "")]


def test_transaction_type_codes_are_mapped():
    spec = {"version": 2, "fields": {}, "values": {"type": {"PMT": "payment", "LF": "fee"}}}
    rows, errors = split(parse(csv("Account,Date,Type,Amount,Ref", "A-1,2025-01-02,PMT,5.00,R1",
                                   "A-1,2025-01-02,lf,2.00,R2"), mapping=spec))
    assert errors == [] and [r.kind for r in rows] == ["payment", "fee"]


@pytest.mark.parametrize(("cell", "expected"), [
    ("2023-04-16T00:00:00Z", dt.date(2023, 4, 16)), ("2023-04-16T23:10:00-05:00", dt.date(2023, 4, 16)),
    ("2023-04-16T08:00:00.125", dt.date(2023, 4, 16)), ("2019-03-07 00:00:00", dt.date(2019, 3, 7)),
    ("20190307", dt.date(2019, 3, 7)), ("03/07/2019", dt.date(2019, 3, 7)), ("43531", dt.date(2019, 3, 7)),
])
def test_date_times_compact_dates_and_excel_serials_are_read(cell, expected):
    rows, errors = split(parse(csv("Account,Date,Type,Amount,Ref", f"A-1,{cell},charge,1.00,R1")))
    assert errors == [] and rows[0].posted_date == expected


def test_day_month_order_is_chosen_per_file():
    data = csv("Account,Date,Type,Amount,Ref", "A-1,03/07/2019,charge,1.00,R1", "A-1,31.12.2019,charge,1.00,R2")
    rows, errors = split(parse(data, mapping={"version": 2, "options": {"date_order": "dmy"}}))
    assert errors == [] and [r.posted_date for r in rows] == [dt.date(2019, 7, 3), dt.date(2019, 12, 31)]


def test_a_bad_date_message_names_the_field_and_the_files_column():
    spec = {"version": 2, "fields": {"posted_date": {"column": "PaidAt"}}}
    rows, errors = split(parse(csv("Account,PaidAt,Type,Amount,Ref", "A-1,2019-13-45,charge,1.00,R1"), mapping=spec))
    assert rows == [] and errors[0].column == "posted_date"
    assert errors[0].message == "posted_date: impossible date '2019-13-45' (no such day) (file column 'PaidAt')"


def test_signed_amounts_turn_a_negative_payment_into_a_refund_that_raises_the_debt():
    data = csv("Account,Date,Type,Amount,Ref", "A-1,2025-01-02,payment,-50.00,R1", "A-1,2025-01-02,charge,-30.00,R2",
               "A-1,2025-01-03,payment,20.00,R3")
    rows, errors = split(parse(data, mapping={"version": 2, "options": {"signed_amounts": True}}))
    assert errors == []
    assert [(r.kind, r.signed_amount_cents) for r in rows] == [("reversal", 5000), ("reversal", -3000),
                                                               ("payment", -2000)]


def test_without_signed_amounts_a_negative_payment_is_refused():
    _, errors = split(parse(csv("Account,Date,Type,Amount,Ref", "A-1,2025-01-02,payment,-50.00,R1")))
    assert "a payment amount cannot be negative" in errors[0].message


def test_a_row_in_another_currency_is_refused_and_a_file_in_another_currency_is_refused_whole():
    data = csv("Account,Date,Type,Amount,Ref,Currency", "A-1,2025-01-02,charge,5.00,R1,usd",
               "A-1,2025-01-02,charge,5.00,R2,EUR")
    rows, errors = split(parse(data, creditor_currency="USD"))
    assert len(rows) == 1 and errors[0].line == 3 and errors[0].column == "currency"
    assert errors[0].message == "currency EUR differs from the creditor's currency USD; amounts are not converted"
    with pytest.raises(LedgerFileError, match="this file is in EUR but the creditor's currency is USD"):
        parse(csv("Account,Date,Type,Amount,Ref", "A-1,2025-01-02,charge,5.00,R1"),
              mapping={"version": 2, "options": {"currency": "eur"}}, creditor_currency="USD")


def test_generated_references_leave_the_reference_to_the_database():
    spec = {"version": 2, "fields": {"reference": {"derive": "generate"}}}
    rows, errors = split(parse(csv("Account,Date,Type,Amount", "A-1,2025-01-02,payment,5.00",
                                   "A-1,2025-01-02,payment,5.00"), mapping=spec))
    assert errors == [] and [r.reference for r in rows] == ["", ""]  # numbered /1 and /2 in staging


def test_the_first_mapping_format_still_reads_and_the_json_form_round_trips():
    legacy = {"Acct": "creditor_account_number", "Posted": "posted_date", "Kind": "type", "Amt": "amount",
              "Txn Ref Code": "reference", "Colour": None}
    spec = MappingSpec.parse(legacy, "transactions")
    assert spec.fields["reference"] == {"column": "Txn Ref Code"} and spec.ignore == ["Colour"]
    again = MappingSpec.parse(spec.as_json(), "transactions")
    assert again == spec
    rows, _ = split(parse(csv("Acct,Posted,Kind,Amt,Txn Ref Code,Colour", "A-1,2025-01-02,fee,1.00,X9,red"),
                          mapping=legacy))
    assert rows[0].reference == "X9"


@pytest.mark.parametrize(("spec", "message"), [
    ({"version": 2, "fields": {"colour": {"value": "red"}}}, "unknown transactions field 'colour'"),
    ({"version": 2, "fields": {"amount": {"column": "Amount", "derive": "sqrt"}}}, "unknown derivation 'sqrt'"),
    ({"version": 2, "fields": {"memo": {"column": "Amount", "derive": "sign"}}}, "does not apply to this field"),
    ({"version": 2, "options": {"date_order": "ymd"}}, "date_order must be one of mdy, dmy"),
    ({"version": 3}, "mapping version 3 is not supported"),
    ({"version": 2, "kind": "accounts"}, "this mapping is for accounts files, not transactions"),
])
def test_a_malformed_mapping_is_refused_with_the_reason(spec, message):
    with pytest.raises(LedgerFileError, match=message):
        parse(csv("Account,Date,Type,Amount,Ref", "A-1,2025-01-02,fee,1.00,R1"), mapping=spec)


def test_a_mapping_given_on_purpose_must_name_columns_the_file_has():
    spec = {"version": 2, "fields": {"reference": {"column": "TxnId"}}}
    with pytest.raises(LedgerFileError, match="names column 'TxnId', which this file does not have"):
        parse(csv("Account,Date,Type,Amount,Ref", "A-1,2025-01-02,fee,1.00,R1"), mapping=spec, strict=True)
    rows, _ = split(parse(csv("Account,Date,Type,Amount,Ref", "A-1,2025-01-02,fee,1.00,R1"), mapping=spec))
    assert rows[0].reference == "R1"  # remembered from another file: matched automatically instead


def test_three_sample_values_per_column_confirm_the_automatic_matches():
    data = csv("Account,Date,Code", "A-1,2025-01-02,PMT", "A-1,2025-01-03,PMT", "A-2,2025-01-04,LF",
               "A-3,2025-01-05,RFD", "A-4,2025-01-06,XX")
    with open_csv(data) as opened:
        found, distinct = samples(opened.records(), len(opened.headers), coded=[2])
    assert found == [["A-1", "A-2", "A-3"], ["2025-01-02", "2025-01-03", "2025-01-04"], ["PMT", "LF", "RFD"]]
    assert distinct == {2: ["PMT", "LF", "RFD", "XX"]}
