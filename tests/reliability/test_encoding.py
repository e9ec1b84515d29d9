"""Encoding honesty: BOM, strict UTF-8, Windows-1252 only when the bytes read as Western text in it;
anything else is refused naming the line of the first byte that is not UTF-8."""

import pytest

from accounts.imports import services
from accounts.ledger_csv import LedgerFileError, open_ledger
from accounts.models import ImportBatch, ImportStatus

from .support import TX_HEADER, creditor_with_accounts

HEADER = (TX_HEADER + "\r\n").encode()


def row(memo: bytes, reference: str = "R-1") -> bytes:
    return f"A-1,2025-03-01,fee,1.00,{reference},".encode() + memo + b"\r\n"


def memos(data: bytes) -> tuple[str, list[str]]:
    with open_ledger(data, kind="transactions") as ledger:
        return ledger.encoding, [item.memo for item in ledger]


def test_utf8_with_and_without_bom_is_read_as_utf8():
    assert memos(HEADER + row("Café “ok”".encode())) == ("utf-8-sig", ["Café “ok”"])
    assert memos(b"\xef\xbb\xbf" + HEADER + row("Peña".encode())) == ("utf-8-sig", ["Peña"])


def test_utf16_with_bom_is_read():
    data = (HEADER + row("Zoë".encode())).decode().encode("utf-16")
    assert memos(data) == ("utf-16", ["Zoë"])


def test_western_windows_1252_text_is_read_as_windows_1252():
    data = HEADER + row("Crème brûlée for Müller — “paid” €12".encode("cp1252"))
    assert memos(data) == ("cp1252", ["Crème brûlée for Müller — “paid” €12"])


def test_shift_jis_is_refused_naming_the_line_of_its_first_byte():
    data = HEADER + row(b"plain") + row("お支払いありがとうございます".encode("shift_jis"), "R-2")
    with pytest.raises(LedgerFileError) as error:
        memos(data)
    assert str(error.value) == ("line 3: byte 0x82 is not valid UTF-8, and the file does not read as Windows-1252 "
                                "either (it may be Shift-JIS or another multi-byte encoding); save it as UTF-8 and "
                                "upload it again")


def test_utf8_with_one_bad_byte_is_damaged_utf8_not_windows_1252():
    data = HEADER + row("Café".encode()) + row(b"x") + row(b"Caf\xe9", "R-3")
    with pytest.raises(LedgerFileError, match=r"^line 4: byte 0xE9 is not valid UTF-8, yet the file holds UTF-8 text "
                                              r"elsewhere \(mixed encodings or a damaged file\)"):
        memos(data)


def test_a_lone_undefined_windows_1252_byte_is_refused():
    with pytest.raises(LedgerFileError, match=r"^line 2: byte 0x9D is not valid UTF-8"):
        memos(HEADER + row(b"odd \x9d byte"))


def test_invalid_utf8_is_found_past_the_first_megabyte_with_its_line():
    lines = [row(b"x", f"R-{i}") for i in range(30_000)]  # ~1.1 MB of ASCII first
    data = HEADER + b"".join(lines) + row("お支払い".encode("euc_jp"), "R-LAST")
    with pytest.raises(LedgerFileError, match=r"^line 30002: byte 0xA4 is not valid UTF-8"):
        memos(data)


@pytest.mark.django_db
def test_an_upload_in_an_unknown_encoding_is_kept_invalid_with_the_reason(tmp_path, settings):
    import io

    settings.MEDIA_ROOT = str(tmp_path)
    creditor = creditor_with_accounts()
    data = HEADER + row("お支払い".encode("shift_jis"))
    with pytest.raises(services.ImportFileError, match="line 2: byte 0x82 is not valid UTF-8"):
        services.import_upload(creditor=creditor, kind="transactions", fileobj=io.BytesIO(data),
                               original_name="sjis.csv")
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.INVALID and "save it as UTF-8" in batch.message
