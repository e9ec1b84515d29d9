"""Parsing on both cores: where a file may be split, and that the halves give what one stream gives."""

import pytest

from accounts.ledger_csv import open_csv, open_ledger, parallel

HEADER = "creditor_account_number,posted_date,type,amount,reference,memo"


def write(tmp_path, *lines, name="f.csv"):
    path = tmp_path / name
    path.write_bytes(("\r\n".join((HEADER, *lines)) + "\r\n").encode())
    return path


@pytest.fixture
def small_parts(monkeypatch):
    monkeypatch.setattr(parallel, "MIN_BYTES", 0)


def rows(n):
    return [f"A-{i % 7},2025-01-{1 + i % 28:02d},payment,{i}.00,R-{i},\"memo, {i}\"" for i in range(n)]


def test_halves_read_exactly_the_records_of_one_stream_with_the_same_line_numbers(tmp_path, small_parts):
    path = write(tmp_path, *rows(500))
    with open_csv(str(path)) as whole:
        expected = list(whole.records())
        first, second = parallel.split(path, header_line=whole.header_line, encoding=whole.encoding)
    assert first.first_line == 2 and first.end == second.start
    got = [*parallel.records(path, first, encoding="utf-8-sig", delimiter=","),
           *parallel.records(path, second, encoding="utf-8-sig", delimiter=",")]
    assert got == expected and second.first_line == got[len(list(
        parallel.records(path, first, encoding="utf-8-sig", delimiter=",")))][0]


def test_a_quoted_field_holding_a_newline_keeps_the_file_in_one_stream(tmp_path, small_parts):
    path = write(tmp_path, *rows(50), 'A-1,2025-01-02,fee,1.00,R-x,"two\r\nlines"', *rows(50))
    with open_csv(str(path)) as whole:
        assert parallel.split(path, header_line=whole.header_line, encoding=whole.encoding) is None


def test_small_files_are_not_split(tmp_path):
    path = write(tmp_path, *rows(50))
    assert parallel.split(path, header_line=1, encoding="utf-8-sig") is None


def test_the_helper_process_validates_its_half_like_this_process(tmp_path, small_parts):
    lines = rows(300)
    lines[250] = "A-1,2025-02-30,payment,1.00,R-bad,"
    path = write(tmp_path, *lines)
    with open_ledger(str(path), kind="transactions") as ledger:
        first, second = parallel.split(path, header_line=1, encoding=ledger.encoding)
        helper = parallel.Helper(path=path, part=second, encoding=ledger.encoding, delimiter=",",
                                 headers=list(ledger.headers), kind="transactions", mapping=None,
                                 creditor_currency="USD")
        try:
            reader = parallel.Interleaved(iter(()), helper)
            text = "".join(iter(lambda: reader.read(), ""))
            counts = helper.finish()
            errors = list(helper.errors())
        finally:
            helper.close()
    staged = text.splitlines()
    assert counts["valid"] == len(staged) == reader.count and counts["invalid"] == 1
    assert errors == [(252, "posted_date", "2025-02-30", "posted_date: impossible date '2025-02-30' (no such day)")]
    assert staged[0].split(",")[0] == str(second.first_line)
