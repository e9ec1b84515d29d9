"""A hostile-file-safe XLSX reader: one worksheet streamed to CSV, with hard limits checked while reading.

Why not openpyxl here: it trusts the file. It expands a ``<dimension>`` padded to 16,384 columns into
every row, keeps a 200 MB shared string whole before anyone can look at its length, and holds millions
of shared strings at once. This reader parses the workbook's XML itself, as a stream (SAX through
defusedxml: no DTD, so no entity expansion, no external entities), and stops at the first limit it
crosses with a message that says which limit and where:

- uncompressed bytes read from the archive (counted as they are inflated, whatever the zip headers claim);
- cells with a value; columns actually used (the highest column holding a value, not ``<dimension>``);
- shared strings: how many, and the length of each;
- every cell's text length (Excel's own limit is 32,767 characters).

A corrupt zip member, invalid XML or a forbidden construct is a ``WorkbookError`` too: the caller turns
it into an error on the upload, never a 500. Cell values are written as the old openpyxl conversion
wrote them (dates as ISO dates from the number formats, whole numbers without ".0", other numbers in
their shortest exact decimal form), so the CSV the import reads is the same.
"""

from __future__ import annotations

import csv
import io
import posixpath
import re
import zipfile
import zlib
from array import array
from dataclasses import dataclass
from datetime import datetime, timedelta
from xml.sax import SAXException
from xml.sax.handler import ContentHandler

from defusedxml import DefusedXmlException
from defusedxml.sax import make_parser


@dataclass(frozen=True)
class WorkbookLimits:
    uncompressed_bytes: int = 2 * 1024**3  # all XML read, inflated: a 500 MB CSV is ~1.5 GB of sheet XML
    cells: int = 30_000_000  # cells holding a value (1M rows x 26 placement columns fits)
    columns: int = 256  # highest used column: the canonical placement file has 26
    shared_strings: int = 3_000_000  # ~one per row for account numbers, names repeat: a 1M-row file fits
    shared_strings_chars: int = 60_000_000  # all shared strings together, in characters (bounds memory)
    cell_chars: int = 32_767  # Excel's own limit for one cell


class WorkbookError(ValueError):
    """The workbook is unreadable or crosses a limit; the message says what and where."""


CHUNK = 256 * 1024
NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
# Built-in number formats that show dates or times (ECMA-376 18.8.30).
BUILTIN_DATE_FORMATS = frozenset({*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)})
_DATE_CODE = re.compile(r"[dmyhs]", re.IGNORECASE)
_QUOTED = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.|_.|\*.')


def _col_index(ref: str) -> int:
    """'A1' -> 1, 'XFD7' -> 16384."""
    n = 0
    for ch in ref:
        if "A" <= ch <= "Z":
            n = n * 26 + ord(ch) - 64
        elif "a" <= ch <= "z":
            n = n * 26 + ord(ch) - 96
        else:
            break
    return n


class _Budget:
    """Counts inflated bytes across every member read and stops at the limit."""

    def __init__(self, limits: WorkbookLimits):
        self.limits = limits
        self.used = 0

    def feed(self, archive: zipfile.ZipFile, member: str, parser) -> None:
        try:
            with archive.open(member) as stream:
                while chunk := stream.read(CHUNK):
                    self.used += len(chunk)
                    if self.used > self.limits.uncompressed_bytes:
                        raise WorkbookError(
                            f"the workbook inflates to more than {self.limits.uncompressed_bytes:,} bytes "
                            f"(stopped in {member}): it is not an ordinary ledger file")
                    parser.feed(chunk)
            parser.close()
        except WorkbookError:
            raise
        except KeyError as exc:
            raise WorkbookError(f"the workbook has no part {member}") from exc
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, RuntimeError, NotImplementedError) as exc:
            raise WorkbookError(f"the workbook's part {member} is corrupt ({exc})") from exc
        except DefusedXmlException as exc:
            raise WorkbookError(f"{member} uses a DTD or entities, which are refused ({type(exc).__name__})") from exc
        except SAXException as exc:
            raise WorkbookError(f"{member} is not valid XML ({exc.getMessage()})") from exc


def _parser(handler: ContentHandler):
    parser = make_parser()
    parser.forbid_dtd = True  # no DTD at all: no billion laughs, no external entities
    parser.forbid_entities = True
    parser.forbid_external = True
    parser.setFeature("http://xml.org/sax/features/namespaces", True)
    parser.setContentHandler(handler)
    return parser


class _Collect(ContentHandler):
    """Small parts (workbook, relationships, styles): keep the elements we need as (name, attrs)."""

    def __init__(self, wanted: set[tuple[str, str]]):
        super().__init__()
        self.wanted, self.found = wanted, []

    def startElementNS(self, name, qname, attrs):
        if name in self.wanted:
            self.found.append((name, {k[1]: v for k, v in attrs.items()} | {
                f"{{{k[0]}}}{k[1]}": v for k, v in attrs.items() if k[0]}))
            if len(self.found) > 100_000:
                raise WorkbookError("the workbook's structure is implausibly large")


class _Packed:
    """Shared strings packed in one UTF-8 buffer with an offsets array: ~8 bytes of overhead per string
    instead of ~50 for a list of str, so the count limit bounds memory tightly."""

    def __init__(self):
        self.blob, self.offsets = bytearray(), array("q", [0])

    def append(self, text: str) -> None:
        self.blob += text.encode()
        self.offsets.append(len(self.blob))

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, index: int) -> str:
        if not 0 <= index < len(self):
            raise IndexError(index)
        return self.blob[self.offsets[index]:self.offsets[index + 1]].decode()


class _SharedStrings(ContentHandler):
    def __init__(self, limits: WorkbookLimits):
        super().__init__()
        self.limits, self.strings, self.total = limits, _Packed(), 0
        self._parts, self._len, self._in_t, self._in_si, self._skip = [], 0, False, False, 0

    def startElementNS(self, name, qname, attrs):
        local = name[1]
        if local == "si":
            self._in_si, self._parts, self._len = True, [], 0
            if len(self.strings) >= self.limits.shared_strings:
                raise WorkbookError(f"the workbook has more than {self.limits.shared_strings:,} shared strings")
        elif local in ("rPh", "phoneticPr"):
            self._skip += 1  # phonetic guides are not part of the cell's text
        elif local == "t" and self._in_si and not self._skip:
            self._in_t = True

    def endElementNS(self, name, qname):
        local = name[1]
        if local == "t":
            self._in_t = False
        elif local in ("rPh", "phoneticPr"):
            self._skip -= 1
        elif local == "si":
            self._in_si = False
            self.strings.append("".join(self._parts))

    def characters(self, content):
        if self._in_t:
            self._len += len(content)
            self.total += len(content)
            if self._len > self.limits.cell_chars:
                raise WorkbookError(f"shared string #{len(self.strings) + 1:,} is longer than "
                                    f"{self.limits.cell_chars:,} characters")
            if self.total > self.limits.shared_strings_chars:
                raise WorkbookError(f"the shared strings hold more than {self.limits.shared_strings_chars:,} "
                                    "characters")
            self._parts.append(content)


class _Sheet(ContentHandler):
    """Streams rows of one worksheet to a CSV writer."""

    def __init__(self, *, writer, shared: _Packed, date_styles: set[int], date1904: bool, limits: WorkbookLimits,
                 sheet_name: str, value_text):
        super().__init__()
        self.writer, self.shared, self.date_styles, self.limits = writer, shared, date_styles, limits
        self.epoch = datetime(1904, 1, 1) if date1904 else datetime(1899, 12, 30)
        self.date1904, self.sheet_name, self.value_text = date1904, sheet_name, value_text
        self.cells = 0
        self.rows = 0
        self.header_width = 0
        self._row: dict[int, str] | None = None
        self._cell_ref, self._cell_type, self._cell_style, self._next_col = "", "", 0, 1
        self._text, self._len, self._collect = [], 0, False

    def _where(self) -> str:
        return f"sheet {self.sheet_name!r}, cell {self._cell_ref or '?'}"

    def startElementNS(self, name, qname, attrs):
        local = name[1]
        if local == "row":
            self._row, self._next_col = {}, 1
        elif local == "c":
            self._cell_ref = attrs.get((None, "r"), "")
            col = _col_index(self._cell_ref) if self._cell_ref else self._next_col
            self._col = col
            self._next_col = col + 1
            self._cell_type = attrs.get((None, "t"), "n")
            try:
                self._cell_style = int(attrs.get((None, "s"), "0"))
            except ValueError:
                self._cell_style = 0
            self._text, self._len = [], 0
        elif local in ("v", "t"):
            self._collect = self._row is not None and (local == "v" or self._cell_type == "inlineStr")
        elif local == "rPh":
            self._collect = False

    def characters(self, content):
        if self._collect:
            self._len += len(content)
            if self._len > self.limits.cell_chars:
                raise WorkbookError(f"{self._where()} holds more than {self.limits.cell_chars:,} characters")
            self._text.append(content)

    def endElementNS(self, name, qname):
        local = name[1]
        if local in ("v", "t"):
            self._collect = False
        elif local == "c" and self._row is not None:
            raw = "".join(self._text)
            value = self._value(raw)
            if value != "":
                if self._col > self.limits.columns:
                    raise WorkbookError(f"{self._where()} is in column {self._col:,}: more than "
                                        f"{self.limits.columns} columns are used")
                self.cells += 1
                if self.cells > self.limits.cells:
                    raise WorkbookError(f"the sheet {self.sheet_name!r} has more than {self.limits.cells:,} cells "
                                        "with a value")
                self._row[self._col] = value
        elif local == "row" and self._row is not None:
            if self._row:
                # rows are as wide as the header row (what the sheet shows), or wider where they hold more
                width = max(max(self._row), self.header_width)
                self.header_width = self.header_width or width
                self.writer.writerow([self._row.get(i, "") for i in range(1, width + 1)])
                self.rows += 1
            self._row = None

    def _value(self, raw: str) -> str:
        kind = self._cell_type
        if raw == "":
            return ""
        if kind == "s":
            try:
                return self.shared[int(raw)]
            except (ValueError, IndexError) as exc:
                raise WorkbookError(f"{self._where()} points at a shared string that does not exist") from exc
        if kind in ("inlineStr", "str", "e"):
            return raw
        if kind == "b":
            return "TRUE" if raw.strip() == "1" else "FALSE"
        if kind == "d":
            return self.value_text(_iso_datetime(raw, self._where()))
        try:
            number = float(raw) if any(ch in raw for ch in ".eE") else int(raw)
        except ValueError as exc:
            raise WorkbookError(f"{self._where()} holds {raw[:40]!r}, which is not a number") from exc
        if self._cell_style in self.date_styles:
            return self.value_text(self._date(number))
        return self.value_text(number)

    def _date(self, serial: float) -> datetime:
        if not self.date1904 and serial < 60:
            serial += 1  # Excel's 1900 leap-year bug: serials before 1900-03-01 are one day off
        try:
            return self.epoch + timedelta(days=serial)
        except OverflowError as exc:
            raise WorkbookError(f"{self._where()} holds a date out of range ({serial})") from exc


def _iso_datetime(raw: str, where: str) -> datetime:
    try:
        return datetime.fromisoformat(raw.rstrip("Z"))
    except ValueError as exc:
        raise WorkbookError(f"{where} holds {raw[:40]!r}, which is not a date") from exc


def _is_date_format(code: str) -> bool:
    return bool(_DATE_CODE.search(_QUOTED.sub("", code)))


def _resolve(base: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(base), target))


def sheet_names(path_or_file, *, limits: WorkbookLimits | None = None) -> list[str]:
    """The workbook's worksheet names, in order."""
    limits = limits or WorkbookLimits()
    with _open(path_or_file) as archive:
        return [name for name, _ in _sheets(archive, _Budget(limits))[0]]


def _open(path_or_file) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path_or_file)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise WorkbookError(f"the file is not a readable Excel workbook ({exc})") from exc


def _sheets(archive: zipfile.ZipFile, budget: _Budget) -> tuple[list[tuple[str, str]], bool]:
    book = _Collect({(NS_MAIN, "sheet"), (NS_MAIN, "workbookPr")})
    budget.feed(archive, "xl/workbook.xml", _parser(book))
    rels = _Collect({(NS_PKG_REL, "Relationship")})
    budget.feed(archive, "xl/_rels/workbook.xml.rels", _parser(rels))
    targets = {attrs.get("Id"): attrs.get("Target", "") for _, attrs in rels.found}
    sheets, date1904 = [], False
    for (_, local), attrs in book.found:
        if local == "workbookPr":
            date1904 = attrs.get("date1904", "0") in ("1", "true")
        else:
            target = targets.get(attrs.get(f"{{{NS_REL}}}id"))
            if target:
                sheets.append((attrs.get("name", ""), _resolve("xl/workbook.xml", target)))
    if not sheets:
        raise WorkbookError("the workbook has no worksheet")
    return sheets, date1904


def _date_styles(archive: zipfile.ZipFile, budget: _Budget) -> set[int]:
    if "xl/styles.xml" not in archive.namelist():
        return set()
    styles = _Collect({(NS_MAIN, "numFmt"), (NS_MAIN, "cellXfs"), (NS_MAIN, "xf")})
    budget.feed(archive, "xl/styles.xml", _parser(styles))
    custom = {int(a.get("numFmtId", -1)): a.get("formatCode", "") for (_, n), a in styles.found if n == "numFmt"}
    dates, index, in_cell_xfs = set(), 0, False
    for (_, local), attrs in styles.found:
        if local == "cellXfs":
            in_cell_xfs = True  # cellStyleXfs come before cellXfs in the file: count xf only after this
        elif local == "xf" and in_cell_xfs:
            fmt = int(attrs.get("numFmtId", "0") or 0)
            if fmt in BUILTIN_DATE_FORMATS or (fmt in custom and _is_date_format(custom[fmt])):
                dates.add(index)
            index += 1
    return dates


def _choose(sheets: list[tuple[str, str]], sheet: str | int | None) -> tuple[str, str]:
    """The worksheet named ``sheet``, or number ``sheet`` (1 = the first), or the first one."""
    if sheet in (None, ""):
        return sheets[0]
    for entry in sheets:
        if entry[0] == str(sheet):
            return entry
    if str(sheet).isdigit() and 1 <= int(sheet) <= len(sheets):
        return sheets[int(sheet) - 1]
    raise WorkbookError(f"the workbook has no worksheet {sheet!r}; it has {', '.join(repr(n) for n, _ in sheets)}")


def xlsx_stream_to_csv(path_or_file, out, *, value_text, sheet: str | int | None = None,
                       limits: WorkbookLimits | None = None) -> dict:
    """Write one worksheet (by name or number, 1 = the first; default the first) of an XLSX file as CSV text to
    ``out``. ``value_text`` turns a parsed value (str, int, float, datetime) into the cell text.
    Raises WorkbookError. Returns counts: rows, cells, uncompressed bytes read."""
    limits = limits or WorkbookLimits()
    budget = _Budget(limits)
    with _open(path_or_file) as archive:
        sheets, date1904 = _sheets(archive, budget)
        name, member = _choose(sheets, sheet)
        shared = _SharedStrings(limits)
        if "xl/sharedStrings.xml" in archive.namelist():
            budget.feed(archive, "xl/sharedStrings.xml", _parser(shared))
        date_styles = _date_styles(archive, budget)
        handler = _Sheet(writer=csv.writer(out), shared=shared.strings, date_styles=date_styles, date1904=date1904,
                         limits=limits, sheet_name=name, value_text=value_text)
        budget.feed(archive, member, _parser(handler))
    return {"rows": handler.rows, "cells": handler.cells, "uncompressed_bytes": budget.used, "sheet": name}


def xlsx_to_csv_text(data: bytes, **kwargs) -> str:
    """Convenience for tests and small files: the CSV text of ``data``."""
    out = io.StringIO()
    xlsx_stream_to_csv(io.BytesIO(data), out, **kwargs)
    return out.getvalue()
