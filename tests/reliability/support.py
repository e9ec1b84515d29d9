"""Files built in the tests: one bad thing each, the rest valid."""

import io

from accounts.imports import services
from accounts.models import ImportStatus
from tests.factories import AccountFactory, CreditorFactory

TX_HEADER = "creditor_account_number,posted_date,type,amount,reference,memo"
PLACEMENT_HEADER = ("creditor_account_number,debt_type,original_creditor,first_name,last_name,business_name,"
                    "address_line1,city,state,zip,email,principal,interest,fees")


def tx_csv(*rows: str) -> bytes:
    return ("\r\n".join((TX_HEADER, *rows)) + "\r\n").encode()


def placement_row(number="P-1", *, original_creditor="Big Bank", first="Ana", last="Lopez", business="",
                  address="1 Main St", city="Phoenix", email="ana@example.com", principal="100.00", interest="0",
                  fees="0") -> str:
    return ",".join((number, "credit card", original_creditor, first, last, business, address, city, "AZ", "85004",
                     email, principal, interest, fees))


def placement_csv(*rows: str) -> bytes:
    return ("\r\n".join((PLACEMENT_HEADER, *rows)) + "\r\n").encode()


def creditor_with_accounts(code="ACME", numbers=("A-1", "A-2")):
    creditor = CreditorFactory(code=code)
    for number in numbers:
        AccountFactory(creditor=creditor, creditor_account_number=number)
    return creditor


def new_batch(creditor, data: bytes, kind: str, *, skip_invalid=False, name="file.csv"):
    return services.import_batch_create(creditor=creditor, kind=kind, fileobj=io.BytesIO(data), original_name=name,
                                        skip_invalid=skip_invalid)


def dry_run(creditor, data: bytes, kind: str):
    batch = new_batch(creditor, data, kind)
    batch = services.import_dry_run(batch=batch)
    assert batch.status in (ImportStatus.VALIDATED, ImportStatus.INVALID)
    return batch


def report(batch) -> list[tuple[int, str, str]]:
    """(line, column, message) of every row in the batch's error report."""
    from accounts.imports import selectors

    rows, _ = selectors.import_error_rows(batch=batch, limit=1000)
    return [(int(r.line), r.column, r.message) for r in rows]
