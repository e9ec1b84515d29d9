"""Helpers for building import files in memory and parsing them."""

from accounts.ledger_csv import RowError, open_ledger

TX_HEADER = "creditor_account_number,posted_date,type,amount,reference,memo"


def tx_file(*lines, header=TX_HEADER, newline="\r\n", encoding="utf-8", bom=False):
    """A transactions file from text lines (header first); bytes in ``encoding``."""
    text = newline.join((header, *lines)) + newline
    data = text.encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def parse(data, kind="transactions", **kwargs):
    """Every validated item of ``data``."""
    with open_ledger(data, kind=kind, **kwargs) as ledger:
        return list(ledger)


def split(items):
    rows = [item for item in items if not isinstance(item, RowError)]
    errors = [item for item in items if isinstance(item, RowError)]
    return rows, errors


def only_error(data, kind="transactions", **kwargs):
    """The single RowError ``data`` produces (fails if there are more or none)."""
    rows, errors = split(parse(data, kind, **kwargs))
    assert len(errors) == 1, errors
    return errors[0]
