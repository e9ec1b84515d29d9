"""Files as creditors send them, imported with a mapping only, against the real database: an invoice-level
AR export grouped by customer, and a lender's loans in minor units with repayments and refunds. Every
balance is checked against a computation made here from the file's own cells."""

import csv
import io
import json
from collections import defaultdict
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection

from accounts.imports import services
from accounts.models import Account, Debtor, ImportStatus, LedgerEntry
from accounts.services import balances_verify
from compliance.models import Dispute
from tests.factories import AccountFactory, CreditorFactory, UserFactory

pytestmark = pytest.mark.django_db

AR_HEADER = ("countryCode,customerID,PaperlessDate,invoiceNumber,InvoiceDate,DueDate,InvoiceAmount,Disputed,"
             "SettledDate,PaperlessBill,DaysToSettle,DaysLate")
AR_ROWS = (
    "391,0379-NEVHP,4/6/2013,611365,1/2/2013,2/1/2013,55.94,No,1/15/2013,Paper,13,0",
    "406,8976-AMJEO,3/3/2012,7900770,1/26/2013,2/25/2013,61.74,Yes,3/3/2013,Electronic,36,6",
    "391,0379-NEVHP,4/6/2013,9231909,7/3/2013,8/2/2013,65.88,No,7/8/2013,Electronic,5,0",
    "406,9725-EZTEJ,10/31/2012,9888306,2/10/2013,3/12/2013,105.92,No,3/17/2013,Electronic,35,5",
    "818,0379-NEVHP,4/6/2013,15752855,10/25/2012,11/24/2012,72.27,Yes,11/28/2012,Electronic,34,4",
)
AR_MAPPING = {"version": 2, "fields": {
    "creditor_account_number": {"column": "invoiceNumber"},
    "business_name": {"columns": ["customerID"], "derive": "concat"},
    "debt_type": {"value": "commercial"}, "debtor_type": {"value": "business"}, "terms": {"value": "Net 30"}},
    "ignore": ["SettledDate", "PaperlessDate"]}

LOAN_MAPPING = {"version": 2, "fields": {"debt_type": {"value": "LN"}, "itemization_date": {"column": "created_at"},
                                         "first_name": {"column": "name", "derive": "first_name"},
                                         "last_name": {"column": "name", "derive": "last_name"}},
                "values": {"debt_type": {"LN": "consumer_loan"}}, "options": {"minor_units": True}}
LOANS = ("loan_id,name,principal_amount,created_at",
         "L-1,Ann Lee,89900,2023-04-16T00:00:00Z", "L-2,\"Ray, Bob\",120000,2023-04-17T09:30:00+02:00",
         "L-3,Cy Ko,50050,2023-04-18 00:00:00")
REPAY_MAPPING = {"version": 2, "fields": {
    "creditor_account_number": {"column": "loanId"}, "posted_date": {"column": "paidAt"},
    "amount": {"column": "amountMinor", "derive": "cents"}, "type": {"column": "kind"},
    "reference": {"derive": "generate"}},
    "values": {"type": {"repayment": "payment", "late_fee": "fee", "refund": "payment"}},
    "options": {"signed_amounts": True}}
REPAYMENTS = ("loanId,paidAt,amountMinor,kind",
              "L-1,2023-05-16 00:00:00,10000,repayment",
              "L-1,2023-06-16 00:00:00,10000,repayment",
              "L-1,2023-06-16 00:00:00,10000,repayment",   # a second same-day installment: must land too
              "L-2,20230517,30000,repayment",
              "L-2,20230519,-5000,refund",                  # refund as a negative payment: raises the debt
              "L-2,20230520,2500,late_fee",
              "L-3,2023-05-18T12:00:00Z,50050,repayment")


def text(*lines):
    return "\r\n".join(lines) + "\r\n"


def run(creditor, data, kind, mapping, *, dry_run=False, name="file.csv", skip_invalid=False):
    batch = services.import_batch_create(creditor=creditor, kind=kind, fileobj=io.BytesIO(data.encode()),
                                         original_name=name, mapping=mapping, user=UserFactory(roles=["accounting"]),
                                         skip_invalid=skip_invalid)
    if batch.status == ImportStatus.ALREADY_IMPORTED:
        return batch
    if dry_run:
        return services.import_dry_run(batch=batch)
    return services.import_execute(batch_id=batch.pk)


def expected_invoice_balances(rows):
    """From the file's cells: each invoice's amount (one account per invoice)."""
    return {r["invoiceNumber"]: Decimal(r["InvoiceAmount"]) for r in rows}


def test_invoice_file_grouped_by_customer_imports_as_delivered_with_disputes_opened():
    creditor = CreditorFactory(code="ARCO", kind="business")
    batch = run(creditor, text(AR_HEADER, *AR_ROWS), "accounts", AR_MAPPING)
    assert batch.status == ImportStatus.IMPORTED, batch.message
    rows = list(csv.DictReader(io.StringIO(text(AR_HEADER, *AR_ROWS))))
    accounts = {a.creditor_account_number: a for a in Account.objects.filter(creditor=creditor)}
    assert {n: a.current_balance for n, a in accounts.items()} == expected_invoice_balances(rows)
    # one debtor per customer, one account per invoice
    by_customer = defaultdict(set)
    for r in rows:
        by_customer[r["customerID"]].add(accounts[r["invoiceNumber"]].debtor_id)
    assert all(len(ids) == 1 for ids in by_customer.values()) and Debtor.objects.count() == 3
    nevhp = Debtor.objects.get(pk=accounts["611365"].debtor_id)
    assert nevhp.business_name == "0379-NEVHP" and nevhp.debtor_type == "business"
    assert sorted(nevhp.accounts.values_list("creditor_account_number", flat=True)) == ["15752855", "611365",
                                                                                       "9231909"]
    first = accounts["611365"]
    assert (str(first.itemization_date), str(first.due_date), first.terms_days) == ("2013-01-02", "2013-02-01", 30)
    assert LedgerEntry.objects.get(account=first).reference == "OPEN:611365:P"  # invoice number as reference
    # the Disputed column opened disputes through the compliance services, and halted collection
    disputed = {d.account.creditor_account_number for d in Dispute.objects.select_related("account")}
    assert disputed == {r["invoiceNumber"] for r in rows if r["Disputed"] == "Yes"} == {"7900770", "15752855"}
    assert set(Account.objects.filter(creditor_account_number__in=disputed).values_list("status", flat=True)) == {
        "disputed"}

    # a later invoice of a known customer joins that debtor; a payment on one invoice lands on it
    later = run(creditor, text(AR_HEADER, "391,0379-NEVHP,4/6/2013,99000001,8/1/2013,8/31/2013,10.00,No,,Paper,,"),
                "accounts", AR_MAPPING, name="later.csv")
    assert later.status == ImportStatus.IMPORTED
    assert Account.objects.get(creditor_account_number="99000001").debtor_id == nevhp.pk
    paid = run(creditor, text("invoiceNumber,paymentDate,amountPaid,paymentId", "611365,2013-01-15,55.94,PAY-1",
                              "9231909,2013-07-08,20.00,PAY-2"), "transactions",
               {"version": 2, "fields": {"type": {"value": "payment"}, "amount": {"column": "amountPaid"}}})
    assert paid.status == ImportStatus.IMPORTED, paid.message
    balances = dict(Account.objects.filter(creditor=creditor).values_list("creditor_account_number",
                                                                         "current_balance"))
    expected = expected_invoice_balances(rows) | {"99000001": Decimal("10.00")}
    expected["611365"] -= Decimal("55.94")
    expected["9231909"] -= Decimal("20.00")
    assert balances == expected
    assert Dispute.objects.count() == 2  # running the dispute step again (every import) opened nothing new
    assert balances_verify()["mismatched"] == 0


def independent_loan_balances():
    """Straight from the cells: principal/100, minus repayments/100, plus refunds/100, plus fees/100."""
    balances = {}
    for row in csv.DictReader(io.StringIO(text(*LOANS))):
        balances[row["loan_id"]] = Decimal(row["principal_amount"]) / 100
    for row in csv.DictReader(io.StringIO(text(*REPAYMENTS))):
        minor = Decimal(row["amountMinor"]) / 100
        balances[row["loanId"]] += minor if row["kind"] == "late_fee" else -minor  # -(-x): a refund raises it
    return balances


def test_loan_file_in_minor_units_with_refunds_and_same_day_installments(tmp_path):
    creditor = CreditorFactory(code="LEND", kind="lender")
    loans = run(creditor, text(*LOANS), "accounts", LOAN_MAPPING)
    assert loans.status == ImportStatus.IMPORTED, loans.message
    assert Account.objects.get(creditor_account_number="L-2").debtor.first_name == "Bob"

    dry = run(creditor, text(*REPAYMENTS), "transactions", REPAY_MAPPING, dry_run=True)
    assert dry.status == ImportStatus.VALIDATED, dry.message
    assert dry.summary["totals"] == {"fee": {"count": 1, "amount": "25.00"},
                                     "payment": {"count": 5, "amount": "1100.50"},
                                     "reversal": {"count": 1, "amount": "50.00"}}
    assert any("no reference column" in w for w in dry.summary["warnings"])

    done = run(creditor, text(*REPAYMENTS), "transactions", REPAY_MAPPING, name="repay.csv")
    assert (done.status, done.created) == (ImportStatus.IMPORTED, 7)
    balances = dict(Account.objects.filter(creditor=creditor).values_list("creditor_account_number",
                                                                         "current_balance"))
    assert balances == independent_loan_balances()
    refund = LedgerEntry.objects.get(account__creditor_account_number="L-2", kind="reversal")
    assert refund.amount == Decimal("50.00") and refund.reference == "L-2/2023-05-19/reversal/5000/1"

    # the same repayments re-sorted (another file, same rows): every row is a duplicate, nothing moves
    resorted = (REPAYMENTS[0], *reversed(REPAYMENTS[1:]))
    again = run(creditor, text(*resorted), "transactions", REPAY_MAPPING, name="repay-sorted.csv")
    assert (again.status, again.created, again.duplicates) == (ImportStatus.IMPORTED, 0, 7)
    assert dict(Account.objects.filter(creditor=creditor).values_list("creditor_account_number",
                                                                     "current_balance")) == balances

    # the command with the mapping file: totals by type and warnings in its JSON line
    path, mapping = tmp_path / "more.csv", tmp_path / "mapping.json"
    path.write_text(text(REPAYMENTS[0], "L-3,2099-01-01,100,late_fee"))
    mapping.write_text(json.dumps(REPAY_MAPPING))
    out = io.StringIO()
    call_command("import_ledger", str(path), "--creditor", "LEND", "--kind", "transactions", "--mapping",
                 str(mapping), "--dry-run", stdout=out)
    summary = json.loads(out.getvalue().strip().splitlines()[-1])
    assert summary["status"] == "dry_run" and summary["totals"] == {"fee": "1.00"}
    assert any("dated in the future (first on line 2)" in w for w in summary["warnings"])
    assert balances_verify()["mismatched"] == 0


def test_dry_run_totals_and_preview_come_from_the_rows_the_import_writes():
    """bad.csv: two good rows, one row for an unknown account, one reference already imported with other
    content, one duplicate of an earlier import. The dry run counts and totals what the import writes."""
    creditor = CreditorFactory(code="BAD")
    AccountFactory(creditor=creditor, creditor_account_number="A-1")
    header = "creditor_account_number,posted_date,type,amount,reference"
    first = run(creditor, text(header, "A-1,2025-01-01,payment,10.00,R-0", "A-1,2025-01-01,payment,7.00,R-9"),
                "transactions", None)
    assert first.status == ImportStatus.IMPORTED
    bad = text(header, "A-1,2025-01-02,payment,20.00,R-1", "A-1,2025-01-03,payment,35.00,R-2",
               "A-404,2025-01-03,payment,10.00,R-3", "A-1,2025-01-04,payment,99.00,R-0",
               "A-1,2025-01-01,payment,7.00,R-9", "A-1,2025-13-01,payment,1.00,R-5")
    dry = run(creditor, bad, "transactions", None, dry_run=True, skip_invalid=True, name="bad.csv")
    assert (dry.rows_total, dry.errors, dry.duplicates) == (6, 3, 1)
    assert dry.summary["valid"] == 2
    assert dry.summary["totals"] == {"payment": {"count": 2, "amount": "55.00"}}
    assert [row["reference"] for row in dry.summary["preview"]] == ["R-1", "R-2"]
    done = services.import_execute(batch_id=dry.pk)
    written = LedgerEntry.objects.filter(import_batch_id=done.pk)
    assert (written.count(), sum(e.amount for e in written)) == (2, Decimal("-55.00"))


def test_near_miss_account_numbers_name_the_likely_match():
    creditor = CreditorFactory(code="ZEROS")
    AccountFactory(creditor=creditor, creditor_account_number="0000611365")
    dry = run(creditor, text("creditor_account_number,posted_date,type,amount,reference",
                             "611365,2025-01-02,payment,5.00,R-1"), "transactions", None, dry_run=True)
    report = dry.error_report.open("rb").read().decode()
    assert "unknown account '611365' for creditor ZEROS; did you mean '0000611365'?" in report
    assert any("'611365' → '0000611365'" in w for w in dry.summary["warnings"])


def test_amounts_far_above_the_creditors_usual_are_flagged():
    creditor = CreditorFactory(code="USUAL")
    AccountFactory(creditor=creditor, creditor_account_number="A-1")
    header = "creditor_account_number,posted_date,type,amount,reference"
    history = [f"A-1,2025-01-01,payment,{5 + i % 3}.00,H-{i}" for i in range(30)]
    assert run(creditor, text(header, *history), "transactions", None).status == ImportStatus.IMPORTED
    dry = run(creditor, text(header, "A-1,2025-02-01,payment,89900.00,N-1"), "transactions", None, dry_run=True)
    assert any(w.startswith("payment: the average amount, 89,900.00, is") for w in dry.summary["warnings"])


def test_a_reversal_must_move_the_balance_against_what_it_reverses():
    creditor = CreditorFactory(code="REV")
    AccountFactory(creditor=creditor, creditor_account_number="A-1")
    header = "creditor_account_number,posted_date,type,amount,reference,reverses"
    dry = run(creditor, text(header, "A-1,2025-01-02,payment,50.00,P-1,", "A-1,2025-01-03,reversal,-50.00,RV-1,P-1",
                             "A-1,2025-01-03,reversal,50.00,RV-2,P-1", "A-1,2025-01-03,reversal,5.00,RV-3,P-404"),
              "transactions", None, dry_run=True)
    report = dry.error_report.open("rb").read().decode()
    assert "reversal of 'P-1' has the wrong sign or account" in report and "line 3" not in report
    assert "reverses 'P-404': no such reference in the ledger or in this file" in report
    assert dry.errors == 2 and dry.summary["valid"] == 2


def test_an_imported_reversal_stores_the_entry_it_reverses_in_the_ledger_or_the_same_file():
    from accounts.models import LedgerEntry

    creditor = CreditorFactory(code="REVLINK")
    account = AccountFactory(creditor=creditor, creditor_account_number="A-1")
    header = "creditor_account_number,posted_date,type,amount,reference,reverses"
    first = run(creditor, text(header, "A-1,2025-01-02,payment,50.00,P-1,"), "transactions", None)
    assert first.status == ImportStatus.IMPORTED
    second = run(creditor, text(header, "A-1,2025-01-05,reversal,50.00,RV-1,P-1",
                                "A-1,2025-01-06,payment,20.00,P-2,", "A-1,2025-01-07,reversal,20.00,RV-2,P-2",
                                "A-1,2025-01-08,adjustment,-1.00,ADJ-1,"), "transactions", None)
    assert (second.status, second.created) == (ImportStatus.IMPORTED, 4)
    entries = {e.reference: e for e in LedgerEntry.objects.filter(creditor=creditor)}
    assert entries["RV-1"].reverses_id == entries["P-1"].pk  # in the ledger before this file
    assert entries["RV-2"].reverses_id == entries["P-2"].pk  # earlier in the same file
    assert entries["ADJ-1"].reverses_id is None and entries["P-2"].reverses_id is None
    account.refresh_from_db()
    assert account.current_balance == sum(e.amount for e in entries.values())


def test_a_creditor_in_another_currency_refuses_a_usd_file_clearly():
    creditor = CreditorFactory(code="EURO", currency="EUR")
    AccountFactory(creditor=creditor, creditor_account_number="A-1")
    batch = services.import_batch_create(
        creditor=creditor, kind="transactions", original_name="usd.csv",
        fileobj=io.BytesIO(text("creditor_account_number,posted_date,type,amount,reference",
                                "A-1,2025-01-02,payment,5.00,R-1").encode()),
        mapping={"version": 2, "options": {"currency": "USD"}})
    with pytest.raises(services.ImportFileError, match="this file is in USD but the creditor's currency is EUR"):
        services.import_dry_run(batch=batch)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="both cores stream into one COPY: PostgreSQL only")
def test_a_big_file_parsed_on_two_cores_lands_like_one_stream(monkeypatch):
    from accounts.ledger_csv import parallel

    monkeypatch.setattr(parallel, "MIN_BYTES", 0)  # every file counts as big
    creditor = CreditorFactory(code="TWO")
    for n in range(5):
        AccountFactory(creditor=creditor, creditor_account_number=f"A-{n}", current_balance=Decimal("0.00"))
    header = "creditor_account_number,posted_date,type,amount,reference"
    lines = [f"A-{i % 5},2025-01-{1 + i % 28:02d},{'charge' if i % 3 else 'payment'},{i}.25,R-{i}" for i in range(400)]
    lines[20] = "A-1,2025-02-30,charge,1.00,R-20"     # a bad date in the first half
    lines[330] = "A-9,2025-01-02,charge,1.00,R-330"   # an unknown account in the second half
    lines[350] = "A-2,2025-01-02,charge,2.00,R-5"     # a reference the first half already used
    dry = run(creditor, text(header, *lines), "transactions", None, dry_run=True, skip_invalid=True)
    report = dry.error_report.open("rb").read().decode().splitlines()
    assert [row.split(",")[0] for row in report[1:]] == ["22", "332", "352"]
    assert "reference 'R-5' is used on an earlier line of this file" in report[3]
    done = services.import_execute(batch_id=dry.pk)
    assert (done.status, done.created) == (ImportStatus.IMPORTED, 397)
    expected = defaultdict(Decimal)
    for number, (account, _, kind, amount, _) in enumerate(line.split(",") for line in lines):
        if number not in (20, 330, 350):
            expected[account] += Decimal(amount) * (-1 if kind == "payment" else 1)
    assert dict(Account.objects.filter(creditor=creditor).values_list("creditor_account_number",
                                                                     "current_balance")) == expected
