"""Decoding, dialect detection, line numbers and file-level errors."""

import io

import pytest

from accounts.ledger_csv import LedgerFileError, inspect_columns, open_csv, open_ledger

from .support import TX_HEADER, parse, split, tx_file

ROW = "A-1,2025-01-31,charge,10.00,R1,"


def test_utf8_file_with_bom_is_decoded_and_header_mapped():
    data = tx_file("A-1,2025-01-31,charge,10.00,R1,Café", bom=True)
    with open_ledger(data, kind="transactions") as ledger:
        assert ledger.encoding == "utf-8-sig"
        assert ledger.headers[0] == "creditor_account_number"
        (row,) = list(ledger)
    assert row.memo == "Café"


def test_utf8_file_without_bom_is_decoded():
    (row,) = parse(tx_file("A-1,2025-01-31,charge,10.00,R1,naïve — “quoted”"))
    assert row.memo == "naïve — “quoted”"


def test_cp1252_file_is_decoded():
    (row,) = parse(tx_file("A-1,2025-01-31,charge,10.00,R1,Café “x”", encoding="cp1252"))
    assert row.memo == "Café “x”"


def test_cp1252_file_with_late_non_ascii_byte_is_decoded():
    lines = [f"A-{i},2025-01-31,charge,1.00,R{i},plain ascii memo" for i in range(60_000)]
    lines.append("A-last,2025-01-31,fee,2.00,R-last,Résumé fee")
    data = tx_file(*lines, encoding="cp1252")
    assert len(data) > 2 * 1024 * 1024  # the odd byte is well past any sample window
    with open_ledger(data, kind="transactions") as ledger:
        assert ledger.encoding == "cp1252"
        items = list(ledger)
    assert len(items) == 60_001
    assert items[-1].memo == "Résumé fee"
    assert items[-1].line == 60_002


def test_bytes_undefined_in_cp1252_are_refused_naming_their_line():
    data = tx_file("A-1,2025-01-31,charge,10.00,R1,x") + b"A-2,2025-01-31,fee,1.00,R2,\x81\x9d\r\n"
    with pytest.raises(LedgerFileError, match=r"^line 3: byte 0x81 is not valid UTF-8, and the file does not read "
                                               r"as Windows-1252 either"):
        parse(data)


def test_utf16_excel_unicode_text_export_is_decoded():
    text = "creditor_account_number\tposted_date\ttype\tamount\treference\r\nA-1\t2025-01-31\tfee\t1.00\tR1\r\n"
    (row,) = parse(text.encode("utf-16"))
    assert (row.creditor_account_number, row.amount_cents) == ("A-1", 100)


@pytest.mark.parametrize(
    ("delimiter", "name"), [(",", "comma"), (";", "semicolon"), ("\t", "tab"), ("|", "pipe")]
)
def test_delimiter_is_sniffed_from_header(delimiter, name):
    header = TX_HEADER.replace(",", delimiter)
    amount = '"1,234.56"' if delimiter == "," else "1,234.56"
    data = tx_file(delimiter.join(["A-1", "2025-01-31", "charge", amount, "R1", "m"]), header=header)
    with open_ledger(data, kind="transactions") as ledger:
        assert ledger.delimiter == delimiter, name
        (row,) = list(ledger)
    assert row.amount_cents == 123456


def test_semicolon_delimited_file():
    data = tx_file("A-1;2025-01-31;payment;12.00;R1;", header=TX_HEADER.replace(",", ";"))
    (row,) = parse(data)
    assert row.signed_amount_cents == -1200


@pytest.mark.parametrize("newline", ["\r\n", "\n", "\r"])
def test_line_endings_give_same_rows_and_line_numbers(newline):
    data = tx_file(ROW, "A-2,2025-02-01,fee,1.00,R2,", newline=newline)
    rows = parse(data)
    assert [(r.line, r.reference) for r in rows] == [(2, "R1"), (3, "R2")]


def test_quoted_fields_hold_commas_quotes_and_newlines():
    data = tx_file('A-1,2025-01-31,charge,10.00,R1,"says ""hi"", then\r\nleaves"', "A-2,2025-01-31,fee,1.00,R2,")
    rows = parse(data)
    assert rows[0].memo == 'says "hi", then\r\nleaves'
    assert rows[1].line == 4  # physical line where the record starts


def test_blank_and_whitespace_only_lines_are_skipped_and_lines_still_count():
    data = tx_file("", ROW, "", ",,,,,", "   ", "A-2,2025-02-01,fee,1.00,R2,", "")
    rows, errors = split(parse(data))
    assert [r.line for r in rows] == [3, 7]
    assert errors == []


def test_leading_blank_lines_before_header_are_skipped():
    data = b"\r\n\r\n" + tx_file(ROW)
    with open_ledger(data, kind="transactions") as ledger:
        assert ledger.header_line == 3
        assert [r.line for r in ledger] == [4]


def test_header_case_and_surrounding_spaces_are_ignored():
    header = " Creditor_Account_Number , POSTED_DATE,Type ,  amount,Reference,MEMO "
    (row,) = parse(tx_file(ROW, header=header))
    assert row.reference == "R1"


def test_header_only_file_has_no_rows():
    assert parse(tx_file()) == []


def test_binary_file_object_is_left_open_and_read_from_its_position():
    buffer = io.BytesIO(b"junk-before" + tx_file(ROW))
    buffer.seek(len(b"junk-before"))
    (row,) = parse(buffer)
    assert row.reference == "R1"
    assert not buffer.closed


class _Unseekable(io.RawIOBase):
    def __init__(self, data):
        self._inner = io.BytesIO(data)

    def readable(self):
        return True

    def readinto(self, buffer):
        return self._inner.readinto(buffer)


def test_unseekable_stream_is_spooled_and_parsed():
    (row,) = parse(_Unseekable(tx_file(ROW, encoding="cp1252")))
    assert row.reference == "R1"


def test_path_source_is_read(tmp_path):
    path = tmp_path / "ledger.csv"
    path.write_bytes(tx_file(ROW))
    assert len(parse(path)) == 1
    assert len(parse(str(path))) == 1


def test_empty_file_is_a_file_error():
    with pytest.raises(LedgerFileError, match="^file is empty$"):
        open_ledger(b"", kind="transactions")


def test_blank_only_file_is_a_file_error():
    with pytest.raises(LedgerFileError, match="^file is empty$"):
        open_ledger(b"\xef\xbb\xbf\r\n  \r\n,,,\r\n", kind="transactions")


def test_nul_bytes_mean_not_a_text_file():
    with pytest.raises(LedgerFileError, match=r"not text \(it contains NUL bytes\)"):
        open_ledger(tx_file(ROW) + b"\x00\x01\x02", kind="transactions")


def test_excel_workbook_is_named_in_the_error():
    with pytest.raises(LedgerFileError, match="Excel workbook"):
        open_ledger(b"PK\x03\x04\x14\x00\x00\x00rest-of-zip", kind="transactions")


def test_file_over_size_limit_is_a_file_error(tmp_path):
    data = tx_file(ROW)
    path = tmp_path / "big.csv"
    path.write_bytes(data)
    for source in (data, path, io.BytesIO(data), _Unseekable(data)):
        with pytest.raises(LedgerFileError, match="over the size limit of 0.0 MB"):
            open_ledger(source, kind="transactions", max_bytes=len(data) - 1)
    assert parse(data, max_bytes=len(data)) != []


def test_missing_required_columns_are_named():
    data = tx_file("A-1,10.00", header="account,amount")
    with pytest.raises(LedgerFileError) as raised:
        open_ledger(data, kind="transactions")
    assert raised.value.message == "missing required columns: posted_date, type, reference"


def test_inspect_columns_reports_missing_without_raising():
    mapping = inspect_columns(tx_file("A-1,10.00,x", header="Acct #,Amt,Colour"), kind="transactions")
    assert mapping.missing == ("posted_date", "type", "reference")
    assert mapping.unmapped == ("Colour",)
    assert mapping.by_header == {"Acct #": "creditor_account_number", "Amt": "amount"}


def test_unbalanced_quote_in_a_middle_cell_is_reported_on_its_line():
    data = tx_file('A-1,2025-01-31,charge,"10.00,R1,x', "A-2,2025-01-31,fee,1.00,R2,", "A-3,2025-01-31,fee,1.00,R3,")
    with open_ledger(data, kind="transactions") as ledger:
        items = iter(ledger)
        first = next(items)
        assert (first.line, first.column) == (2, None)
        assert "unbalanced quote" in first.message
        with pytest.raises(LedgerFileError, match="^line 2: a quoted field is never closed"):
            next(items)


def test_unbalanced_quote_in_the_last_cell_is_a_file_error():
    data = tx_file('A-1,2025-01-31,charge,10.00,R1,"unterminated', "A-2,2025-01-31,fee,1.00,R2,")
    with open_ledger(data, kind="transactions") as ledger, pytest.raises(
        LedgerFileError, match="^line 2: a quoted field is never closed"
    ):
        list(ledger)


def test_legitimate_multiline_memo_on_the_last_row_is_not_an_error():
    (row,) = parse(tx_file('A-1,2025-01-31,charge,10.00,R1,"first line\nsecond line"'))
    assert row.memo == "first line\nsecond line"


def test_field_over_csv_limit_is_a_file_error_with_line():
    data = tx_file(ROW, "A-2,2025-01-31,fee,1.00,R2," + "x" * 200_000)
    with open_ledger(data, kind="transactions") as ledger:
        with pytest.raises(LedgerFileError, match="^line 3: a field is longer than 131,072 characters"):
            list(ledger)


def test_open_csv_exposes_records_with_line_numbers():
    with open_csv(tx_file(ROW, "", ROW)) as csv_file:
        assert [line for line, _ in csv_file.records()] == [2, 4]


def test_last_row_memo_with_newline_and_commas_is_not_mistaken_for_an_unclosed_quote():
    (row,) = parse(tx_file('A-1,2025-01-31,charge,10.00,R1,"a\nB,2025-01-31,fee,1.00,R2,"'))
    assert row.memo == "a\nB,2025-01-31,fee,1.00,R2,"
