"""The pipelined transactions import (PostgreSQL): a clean file is written to the ledger chunk by chunk while it
is still being parsed, and lands exactly as the classic path lands it; anything the classic path would set
aside sends the file there, with nothing of the attempt kept."""

import io
from collections import defaultdict
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from accounts.imports import services
from accounts.imports import transactions as tx_module
from accounts.models import Account, ImportStatus, LedgerEntry
from accounts.services import balances_verify
from tests.factories import AccountFactory, CreditorFactory

pytestmark = [pytest.mark.django_db,
              pytest.mark.skipif(connection.vendor != "postgresql", reason="the pipeline is PostgreSQL only")]

HEADER = "creditor_account_number,posted_date,type,amount,reference,memo"
KINDS = ["charge", "payment", "fee", "interest", "adjustment"]


def lines(count, *, accounts=4):
    rows = []
    for i in range(count):
        kind = KINDS[(i // 3) % 5]
        sign = "-" if kind == "adjustment" and i % 2 else ""  # an adjustment may lower the balance
        rows.append(f"A-{i % accounts},2025-01-{1 + i % 28:02d},{kind},{sign}{i}.25,R-{i},"
                    f"{'memo ' + str(i) if i % 3 else ''}")
    return rows


def csv_text(rows):
    return "\r\n".join([HEADER, *rows]) + "\r\n"


def expected_balances(rows, start=Decimal("0.00")):
    balances = defaultdict(lambda: start, {f"A-{n}": start for n in range(6)})
    for row in rows:
        account, _, kind, amount, *_ = row.split(",")
        balances[account] += Decimal(amount) * (-1 if kind == "payment" else 1)
    return dict(balances)


def run(creditor, text, *, skip_invalid=False, name="file.csv"):
    batch = services.import_batch_create(creditor=creditor, kind="transactions", fileobj=io.BytesIO(text.encode()),
                                         original_name=name, skip_invalid=skip_invalid)
    return services.import_execute(batch_id=batch.pk)


def pipelined(batch) -> bool:
    return "pipelined_chunks" in (batch.summary or {}).get("seconds", {})


@pytest.fixture
def creditor(monkeypatch):
    from accounts.ledger_csv import parallel

    monkeypatch.setattr(parallel, "MIN_BYTES", 0)  # every file is parsed on both cores
    monkeypatch.setattr(parallel, "ROWS_PER_WRITE", 30)  # this process hands over its rows 30 at a time
    monkeypatch.setattr(tx_module, "PIPELINE_CHUNK_ROWS", 40)  # several chunks for a small file
    creditor = CreditorFactory(code="PIPE")
    for n in range(6):
        AccountFactory(creditor=creditor, creditor_account_number=f"A-{n}", current_balance=Decimal("0.00"))
    return creditor


def balances(creditor):
    return dict(Account.objects.filter(creditor=creditor).values_list("creditor_account_number", "current_balance"))


def test_a_clean_file_lands_in_chunks_while_parsed_and_a_resent_file_changes_nothing(creditor):
    rows = lines(400)
    batch = run(creditor, csv_text(rows))
    assert batch.status == ImportStatus.IMPORTED, batch.message
    assert pipelined(batch) and batch.summary["seconds"]["pipelined_chunks"] > 3
    assert (batch.created, batch.updated, batch.summary["valid"]) == (400, 4, 400)
    assert balances(creditor) == expected_balances(rows)
    assert balances_verify()["mismatched"] == 0
    entry = LedgerEntry.objects.get(reference="R-7")
    assert (entry.kind, entry.amount, entry.memo, entry.import_batch_id) == ("fee", Decimal("7.25"), "memo 7",
                                                                             batch.pk)
    payments = [row.split(",") for row in rows if row.split(",")[2] == "payment"]
    assert Account.objects.get(creditor_account_number="A-1").last_payment_date == max(
        date.fromisoformat(p[1]) for p in payments if p[0] == "A-1")
    assert batch.summary["totals"]["payment"] == {"count": len(payments),
                                                  "amount": str(sum(Decimal(p[3]) for p in payments))}

    # The same entries again in another order: every row is a duplicate, found by the classic path.
    again = run(creditor, csv_text(list(reversed(rows))), name="again.csv")
    assert again.status == ImportStatus.IMPORTED and not pipelined(again)
    assert (again.created, again.duplicates) == (0, 400)
    assert balances(creditor) == expected_balances(rows)
    assert LedgerEntry.objects.filter(source="import").count() == 400


@pytest.mark.parametrize("skip_invalid", [False, True])
def test_an_unknown_account_in_a_late_chunk_undoes_the_written_chunks(creditor, skip_invalid):
    rows = lines(400)
    rows[377] = "A-9,2025-01-02,charge,1.00,R-377,"
    batch = run(creditor, csv_text(rows), skip_invalid=skip_invalid)
    assert not pipelined(batch)
    if not skip_invalid:
        assert batch.status == ImportStatus.INVALID and batch.errors == 1
        assert LedgerEntry.objects.filter(source="import").count() == 0
        assert balances(creditor) == expected_balances([])
        report = batch.error_report.open("rb").read().decode().splitlines()
        assert report[1].startswith("379,creditor_account_number,A-9,unknown account 'A-9'")
        return
    assert (batch.status, batch.created, batch.errors) == (ImportStatus.IMPORTED, 399, 1)
    assert balances(creditor) == expected_balances(rows[:377] + rows[378:])


def test_a_row_the_parser_rejects_is_skipped_by_the_pipeline_when_asked(creditor):
    rows = lines(400)
    rows[250] = "A-1,2025-02-30,charge,1.00,R-250,"  # no such date
    refused = run(creditor, csv_text(rows))
    assert refused.status == ImportStatus.INVALID and LedgerEntry.objects.filter(source="import").count() == 0
    batch = run(creditor, csv_text(rows), skip_invalid=True, name="skip.csv")
    assert batch.status == ImportStatus.IMPORTED and pipelined(batch)
    assert (batch.created, batch.errors) == (399, 1)
    assert batch.error_report.open("rb").read().decode().splitlines()[1].startswith("252,posted_date,")
    assert balances(creditor) == expected_balances(rows[:250] + rows[251:])


def test_a_file_overlapping_an_earlier_import_ends_with_duplicates_not_an_error(creditor):
    rows = lines(400)
    earlier = run(creditor, csv_text(rows[300:301]), name="earlier.csv")
    assert earlier.status == ImportStatus.IMPORTED and pipelined(earlier)
    # R-300 is in a late chunk: the chunks before it are written, then the unique index refuses it, the
    # attempt is undone and the classic path counts it as a duplicate.
    batch = run(creditor, csv_text(rows))
    assert (batch.status, batch.created, batch.duplicates) == (ImportStatus.IMPORTED, 399, 1)
    assert not pipelined(batch)
    assert balances(creditor) == expected_balances(rows)
    assert LedgerEntry.objects.filter(reference="R-300").count() == 1
    assert balances_verify()["mismatched"] == 0


@pytest.mark.parametrize(("count", "invalid_first"), [(400, 0), (400, 3), (10, 1)])
def test_the_pipelined_summary_and_preview_are_the_classic_paths(creditor, settings, count, invalid_first):
    # The pipelined path takes its preview from the parse (or from staging when the parse kept too few
    # rows: a small file) and its totals without the state filter; both equal what the classic path shows.
    rows = lines(count)
    for i in range(invalid_first):
        rows[i] = f"A-1,2025-02-30,charge,1.00,R-{i},"  # no such date: skipped
    piped = run(creditor, csv_text(rows), skip_invalid=True)
    assert piped.status == ImportStatus.IMPORTED and pipelined(piped)
    other = CreditorFactory(code="CLASSIC")
    for n in range(6):
        AccountFactory(creditor=other, creditor_account_number=f"A-{n}", current_balance=Decimal("0.00"))
    settings.LEDGER_IMPORT_PIPELINE = False
    classic = run(other, csv_text(rows), skip_invalid=True)
    assert classic.status == ImportStatus.IMPORTED and not pipelined(classic)
    assert len(piped.summary["preview"]) == min(20, count - invalid_first)
    assert piped.summary["preview"][0]["line"] == str(2 + invalid_first)
    for key in ("preview", "totals", "net_change", "warnings", "valid", "invalid", "errors"):
        assert piped.summary[key] == classic.summary[key], key
