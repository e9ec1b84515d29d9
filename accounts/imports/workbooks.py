"""XLSX uploads: the first worksheet becomes the CSV the rest of the import reads.

openpyxl in read-only mode streams rows, so a large workbook is converted without loading it whole.
Cells keep what the spreadsheet shows as closely as text can: dates as ISO dates, whole numbers
without ".0", other numbers in their shortest exact decimal form (never binary float noise).
"""

import csv
import io
import tempfile
import zipfile
from datetime import date, datetime
from decimal import Decimal

from openpyxl import load_workbook

XLSX_MAGIC = b"PK\x03\x04"


def is_xlsx(fileobj, name: str) -> bool:
    head = fileobj.read(4)
    fileobj.seek(0)
    if head != XLSX_MAGIC:
        return False
    try:
        with zipfile.ZipFile(fileobj) as archive:
            return "xl/workbook.xml" in archive.namelist() or name.lower().endswith(".xlsx")
    except zipfile.BadZipFile:
        return False
    finally:
        fileobj.seek(0)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = format(Decimal(repr(value)), "f")  # repr is the shortest string that round-trips
        return text[:-2] if text.endswith(".0") else text
    return str(value)


def choose_sheet(workbook, sheet: str | int | None):
    """The worksheet named ``sheet``, or number ``sheet`` (1 = the first), or the first one."""
    if sheet in (None, ""):
        return workbook.worksheets[0]
    names = workbook.sheetnames
    if str(sheet) in names:
        return workbook[str(sheet)]
    if str(sheet).isdigit() and 1 <= int(sheet) <= len(names):
        return workbook.worksheets[int(sheet) - 1]
    raise ValueError(f"the workbook has no worksheet {sheet!r}; it has {', '.join(map(repr, names))}")


def xlsx_to_csv(fileobj, sheet: str | int | None = None) -> tempfile.SpooledTemporaryFile:
    """One worksheet (``sheet``: name or number; default the first) as UTF-8 CSV bytes (a seekable temporary
    file). Dates stored as Excel serial numbers pass as numbers; the date parser reads 5-digit serials."""
    workbook = load_workbook(fileobj, read_only=True, data_only=True)
    try:
        sheet = choose_sheet(workbook, sheet)
        out = tempfile.SpooledTemporaryFile(max_size=16 * 1024 * 1024)
        text = io.TextIOWrapper(out, encoding="utf-8", newline="")
        writer = csv.writer(text)
        for row in sheet.iter_rows(values_only=True):
            writer.writerow([_cell(v) for v in row])
        text.flush()
        text.detach()
    finally:
        workbook.close()
    out.seek(0)
    return out
