"""Dry-run summary."""

from decimal import Decimal

from accounts.ledger_csv import Summary, TypeTotal, dry_run, summarize

from .support import parse, tx_file


def test_dry_run_counts_rows_totals_by_type_and_previews():
    data = tx_file(
        "A,2025-01-01,charge,100.00,R1,", "A,2025-01-02,payment,30.00,R2,", "A,2025-01-03,payment,20.50,R3,",
        "A,2025-01-04,bogus,1.999,R4,", "A,2025-01-05,fee,oops,R5,", "A,2025-01-06,adjustment,-0.50,R6,",
    )  # fmt: skip
    summary = dry_run(data, kind="transactions", preview=2)
    assert (summary.rows, summary.valid, summary.invalid, summary.errors) == (6, 4, 2, 3)
    assert summary.totals == {
        "adjustment": TypeTotal(1, Decimal("-0.50")),
        "charge": TypeTotal(1, Decimal("100.00")),
        "payment": TypeTotal(2, Decimal("50.50")),
    }
    assert summary.net_change == Decimal("49.00")
    assert [r.reference for r in summary.preview] == ["R1", "R2"]
    assert [e.line for e in summary.first_errors] == [5, 5, 6]
    assert summary.as_dict()["totals"]["payment"] == {"count": 2, "amount": "50.50"}


def test_summary_accumulates_alongside_another_consumer():
    summary = Summary()
    for item in parse(tx_file("A,2025-01-01,fee,1.00,R1,", "A,2025-01-01,fee,2.00,R2,")):
        summary.add(item)
    assert summary.totals == {"fee": TypeTotal(2, Decimal("3.00"))}


def test_header_only_file_summarises_to_zero():
    summary = summarize(parse(tx_file()))
    assert (summary.rows, summary.totals, summary.net_change) == (0, {}, Decimal("0.00"))
