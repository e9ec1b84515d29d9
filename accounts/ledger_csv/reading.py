"""Bytes in, decoded CSV records out: encoding and delimiter detection, file-level checks.

The whole file is scanned once before parsing (size limit, NUL bytes, "is it valid UTF-8?")
because a Windows-1252 byte can sit on the last line of a file whose first million lines are
plain ASCII: deciding the encoding from a sample would fail late, after rows were already
handed to the database. The scan reads 1 MiB chunks and costs well under a tenth of the parse.
Inputs that cannot seek are copied to a spooled temporary file during the scan, so memory
stays bounded for any input size.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import os
import re
import tempfile
from collections.abc import Iterator
from typing import BinaryIO, Self

DEFAULT_MAX_BYTES = 256 * 1024 * 1024  # 1M transaction rows are ~60 MB; placements are wider
_CHUNK = 1 << 20  # scan granularity; large enough that per-chunk Python overhead is noise
_SPOOL_IN_MEMORY = 8 * 1024 * 1024  # non-seekable inputs above this spill to a temp file
DELIMITERS = (",", ";", "\t", "|")


class LedgerFileError(Exception):
    """The file as a whole cannot be imported; ``message`` says why, for the uploader."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _c1_fallback(err: UnicodeDecodeError) -> tuple[str, int]:
    # cp1252 leaves 0x81, 0x8D, 0x8F, 0x90 and 0x9D undefined; map them to the same code
    # points as Latin-1, which is what browsers do (WHATWG "windows-1252").
    return "".join(map(chr, err.object[err.start : err.end])), err.end


codecs.register_error("ledger_csv_c1", _c1_fallback)

_SIGNATURES = (
    (b"PK\x03\x04", "an Excel workbook or zip archive, not CSV; save it as CSV and upload that"),
    (b"\xd0\xcf\x11\xe0", "an old Excel (.xls) workbook, not CSV; save it as CSV and upload that"),
    (b"%PDF", "a PDF, not CSV"),
)


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB"


def _check_size(size: int, max_bytes: int | None) -> None:
    if max_bytes is not None and size > max_bytes:
        raise LedgerFileError(f"file is over the size limit of {_mb(max_bytes)}")


# Windows-1252 is a guess for bytes that are not UTF-8; it is taken only when the bytes look like
# Western text in it. Five bytes are undefined in it; a multi-byte legacy encoding (Shift-JIS, GBK,
# EUC-KR, Big5) writes nearly every character as two or more non-ASCII bytes in a row, while
# Western text has mostly one accented letter between ASCII ones; and a file that also holds
# well-formed UTF-8 sequences is damaged UTF-8, not Windows-1252.
_CP1252_UNDEFINED = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")
_HIGH_RUNS = re.compile(rb"[\x80-\xff]{2,}")
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_MAX_RUN_SHARE = 0.5  # of all non-ASCII bytes, those in runs of two or more


class _Cp1252Evidence:
    """Counts, over the bytes from the first non-UTF-8 byte on, what says "not Windows-1252"."""

    def __init__(self, line: int, byte: int, utf8_before: bool):
        self.line, self.byte, self.utf8_before = line, byte, utf8_before
        self.utf8_sequences = self.undefined = self.high = self.in_runs = 0

    def add(self, data: bytes) -> None:
        if data.isascii():
            return
        self.undefined += len(_CP1252_UNDEFINED.findall(data))
        self.utf8_sequences += len(_UTF8_SEQUENCE.findall(data))
        self.high += len(data) - len(data.translate(None, bytes(range(0x80, 0x100))))
        self.in_runs += sum(map(len, _HIGH_RUNS.findall(data)))

    def verdict(self) -> None:
        """Raise LedgerFileError unless Windows-1252 is a plausible reading of the file."""
        where = f"line {self.line}: byte 0x{self.byte:02X} is not valid UTF-8"
        damaged = LedgerFileError(f"{where}, yet the file holds UTF-8 text elsewhere (mixed encodings or a damaged"
                                  " file); save it as UTF-8 and upload it again")
        multibyte = LedgerFileError(f"{where}, and the file does not read as Windows-1252 either (it may be"
                                    " Shift-JIS or another multi-byte encoding); save it as UTF-8 and upload it again")
        if self.utf8_before:
            raise damaged
        if self.undefined:
            raise multibyte
        if self.high and self.in_runs / self.high > _MAX_RUN_SHARE:
            # Legacy multi-byte text forms UTF-8-looking pairs by chance; damaged UTF-8 is nearly all of them.
            raise damaged if 2 * self.utf8_sequences >= self.in_runs else multibyte
        if self.utf8_sequences:
            raise damaged


def _scan(binary: BinaryIO, max_bytes: int | None, sink: BinaryIO | None) -> tuple[str, bytes]:
    """Read the stream to its end; return (encoding, first chunk). Raise on non-text input, and on
    text that is neither UTF-8 nor plausibly Windows-1252 (naming the first bad byte's line)."""
    first = binary.read(_CHUNK)
    if first[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        # Excel's "Unicode Text" export: UTF-16 with a BOM. NUL bytes are expected there.
        encoding, decoder = "utf-16", codecs.getincrementaldecoder("utf-16")()
        check_nul = False
    else:
        for magic, what in _SIGNATURES:
            if first.startswith(magic):
                raise LedgerFileError(f"file looks like {what}")
        encoding, decoder = "utf-8-sig", codecs.getincrementaldecoder("utf-8")()
        check_nul = True
    total, chunk, lines, utf8_seen = 0, first, 0, False
    evidence: _Cp1252Evidence | None = None
    while chunk:
        total += len(chunk)
        _check_size(total, max_bytes)
        if check_nul and b"\x00" in chunk:
            raise LedgerFileError("file is not text (it contains NUL bytes); upload a CSV file")
        if decoder is not None:
            try:
                text = decoder.decode(chunk)
            except UnicodeDecodeError as err:
                if encoding == "utf-16":
                    raise LedgerFileError("file starts like UTF-16 but is not valid UTF-16") from None
                before = err.object[: err.start]
                evidence = _Cp1252Evidence(lines + before.count(b"\n") + 1, err.object[err.start],
                                           utf8_seen or not before.isascii())
                evidence.add(err.object[err.start :])
                encoding, decoder = "cp1252", None
            else:
                lines += chunk.count(b"\n")
                utf8_seen = utf8_seen or not text.isascii()
        elif evidence is not None:
            evidence.add(chunk)
        if sink is not None:
            sink.write(chunk)
        chunk = binary.read(_CHUNK)
    if decoder is not None:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as err:  # truncated multi-byte sequence at the very end
            if encoding == "utf-16":
                raise LedgerFileError("file starts like UTF-16 but is not valid UTF-16") from None
            evidence = _Cp1252Evidence(lines + 1, err.object[err.start], utf8_seen)
            evidence.add(err.object[err.start :])
            encoding = "cp1252"
    if evidence is not None:
        evidence.verdict()
    return encoding, first


def sniff_delimiter(header_line: str) -> str:
    """The candidate delimiter occurring most often in the header line (comma on a tie)."""
    best, best_count = ",", 0
    for candidate in DELIMITERS:
        count = header_line.count(candidate)
        if count > best_count:
            best, best_count = candidate, count
    return best


def _first_text_line(sample: str) -> str:
    for line in sample.splitlines():
        if line.strip(" \t\ufeff"):
            return line
    return ""


def _csv_error_message(line: int, exc: csv.Error) -> str:
    if "field larger than field limit" in str(exc):
        return (f"line {line}: a field is longer than {csv.field_size_limit():,} characters; usually a quote"
                " that is never closed, so the rest of the file was read into one cell")
    return f"line {line}: cannot read CSV ({exc})"


class CsvFile:
    """An opened, decoded CSV file. Use as a context manager; iterate ``records()`` once.

    ``headers`` are the raw header cells (the first non-blank record), ``header_line`` the
    physical line they are on, ``encoding`` one of utf-8-sig, cp1252, utf-16.
    """

    def __init__(self, binary: BinaryIO, *, encoding: str, delimiter: str, owns: bool) -> None:
        self.encoding = encoding
        self.delimiter = delimiter
        errors = "ledger_csv_c1" if encoding == "cp1252" else "strict"
        self._owns = owns
        self._binary, self._origin = binary, binary.tell()
        self._text = io.TextIOWrapper(binary, encoding=encoding, errors=errors, newline="")
        self._reader = csv.reader(self._text, delimiter=delimiter)
        self._line = 0
        self.headers: list[str] = []
        self.header_line = 0
        reader = self._reader
        try:
            for row in reader:
                start, self._line = self._line + 1, reader.line_num
                if any(cell.strip() for cell in row):
                    self.headers, self.header_line = row, start
                    break
        except csv.Error as exc:
            raise LedgerFileError(_csv_error_message(self._line + 1, exc)) from None

    def _iter_rows(self) -> Iterator[tuple[int, list[str]]]:
        reader = self._reader
        prev = self._line
        start, row = prev + 1, None
        try:
            for row in reader:
                start = prev + 1
                prev = reader.line_num
                if any(row):  # blank lines ([]) and all-empty rows (",,,") are skipped
                    yield start, row
        except csv.Error as exc:
            raise LedgerFileError(_csv_error_message(prev + 1, exc)) from None
        self._line = prev
        if row and any("\n" in cell or "\r" in cell for cell in row) and self._ends_inside_quotes(start):
            raise LedgerFileError(
                f"line {start}: a quoted field is never closed, so the rest of the file was read"
                " into it; check that line for an unbalanced quote"
            )

    def _ends_inside_quotes(self, start: int) -> bool:
        """Whether the file ends inside a quoted field (an opening quote never closed; the csv
        module then silently reads to the end of the file). Only asked when the last record
        spans several lines, so the second read of the file is rare."""
        binary = self._binary
        binary.seek(self._origin)
        errors = "ledger_csv_c1" if self.encoding == "cp1252" else "strict"
        text = io.TextIOWrapper(binary, encoding=self.encoding, errors=errors, newline="")
        try:
            for _ in csv.reader(itertools.islice(text, start - 1, None), delimiter=self.delimiter, strict=True):
                pass
        except csv.Error as exc:
            return "unexpected end of data" in str(exc)
        finally:
            text.detach()
        return False

    def records(self) -> Iterator[tuple[int, list[str]]]:
        """(line where the record starts, 1-based; raw fields) for each non-blank data row."""
        return self._iter_rows()

    def close(self) -> None:
        if self._owns:
            self._text.close()
        else:
            self._text.detach()  # leave the caller's file object open

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def open_csv(
    source: str | os.PathLike[str] | bytes | BinaryIO, *, max_bytes: int | None = DEFAULT_MAX_BYTES
) -> CsvFile:
    """Open a CSV from a path, bytes, or a binary file object and read its header.

    Raises LedgerFileError for: over ``max_bytes``, NUL bytes or a known binary format,
    empty or blank-only content. Header-only files are fine (no records).
    """
    owns = False
    if isinstance(source, (str, os.PathLike)):
        _check_size(os.path.getsize(source), max_bytes)
        binary: BinaryIO = open(source, "rb")  # noqa: SIM115 - closed by CsvFile
        owns = True
    elif isinstance(source, (bytes, bytearray, memoryview)):
        _check_size(len(source), max_bytes)
        binary, owns = io.BytesIO(source), True
    else:
        binary = source
    try:
        if isinstance(binary, io.IOBase) and binary.seekable():
            start = binary.tell()
            if max_bytes is not None:
                _check_size(binary.seek(0, io.SEEK_END) - start, max_bytes)
                binary.seek(start)
            encoding, first = _scan(binary, max_bytes, None)
            binary.seek(start)
        else:
            spool = tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY)  # noqa: SIM115
            encoding, first = _scan(binary, max_bytes, spool)
            spool.seek(0)
            binary, owns = spool, True  # type: ignore[assignment]
        sample = first.decode(encoding, errors="ledger_csv_c1" if encoding == "cp1252" else "replace")
        header_text = _first_text_line(sample)
        if not header_text:
            raise LedgerFileError("file is empty")
        opened = CsvFile(binary, encoding=encoding, delimiter=sniff_delimiter(header_text), owns=owns)
        if not opened.headers:
            opened.close()
            raise LedgerFileError("file is empty")
    except BaseException:
        if owns:
            binary.close()
        raise
    return opened
