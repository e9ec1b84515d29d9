"""XLSX uploads: the first worksheet becomes the CSV the rest of the import reads.

A workbook is hostile until read: ``xlsx_reader`` streams it with hard limits (inflated bytes, cells,
used columns, shared strings, string length; no DTD or entities), and it runs in a child process with
its own memory ceiling (RLIMIT_AS) and a deadline, so whatever the file, the process serving the upload
neither grows nor hangs: a breach is a WorkbookError naming the limit. Cells keep what the spreadsheet
shows as closely as text can: dates as ISO dates, whole numbers without ".0", other numbers in their
shortest exact decimal form (never binary float noise).
"""

import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from django.conf import settings

from .xlsx_reader import WorkbookError

ROOT = Path(__file__).resolve().parents[2]


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


PR_SET_PDEATHSIG = 1


def _prctl():
    """libc's prctl, looked up in the parent (the child, between fork and exec, must not load anything)."""
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


def _child_limits(memory: int, seconds: int):
    prctl = _prctl()

    def apply():  # runs in the child between fork and exec
        if prctl is not None:
            # Linux: the reader is SIGKILLed if the process that started it dies, so a killed Celery
            # worker leaves no orphan reader behind (elsewhere RLIMIT_CPU still ends it).
            prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_CPU, (seconds + 5, seconds + 10))
    return apply


def _spool(fileobj) -> tuple[str, bool]:
    """A path to the upload's bytes (the upload's own temporary file when it has one)."""
    if isinstance(fileobj, (str, os.PathLike)):
        return os.fspath(fileobj), False
    if hasattr(fileobj, "temporary_file_path"):
        return fileobj.temporary_file_path(), False
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    with os.fdopen(handle, "wb") as out:
        fileobj.seek(0)
        for chunk in iter(lambda: fileobj.read(1024 * 1024), b""):
            out.write(chunk)
    fileobj.seek(0)
    return path, True


def xlsx_to_csv(fileobj, *, sheet: str | int | None = None, stats: dict | None = None):
    """The worksheet (default the first) of ``fileobj`` (a file object or a path) as UTF-8 CSV bytes, in a
    seekable temporary file.
    Raises WorkbookError (a ValueError) with the reason when the workbook is unreadable or over a limit.
    ``stats``, when given, receives the child's ``peak_rss_kb``."""
    # The child's ceilings (settings.XLSX_*): address space, and a deadline below gunicorn's 120 s timeout.
    memory, seconds = settings.XLSX_MEMORY_BYTES, settings.XLSX_SECONDS
    source, remove_source = _spool(fileobj)
    out = tempfile.NamedTemporaryFile(suffix=".csv", delete=False)
    out.close()
    try:
        args = [sys.executable, "-m", "accounts.imports.xlsx_child", source, out.name]
        if sheet is not None:
            args.append(str(sheet))
        try:
            done = subprocess.run(args, capture_output=True, text=True, timeout=seconds,
                                  preexec_fn=_child_limits(memory, seconds), cwd=ROOT,
                                  env={"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT)})
        except OSError as exc:  # the child could not even start under its ceiling
            raise WorkbookError(f"the workbook reader could not start ({exc})") from exc
        except subprocess.TimeoutExpired as exc:
            raise WorkbookError(f"reading the workbook took longer than {seconds} s; save it as CSV "
                                "(or split it) and upload that") from exc
        lines = done.stderr.strip().splitlines()
        if lines and lines[-1].startswith('{"peak_rss_kb"'):
            if stats is not None:
                stats.update(json.loads(lines.pop()))
            else:
                lines.pop()
        if done.returncode == 0:
            result = open(out.name, "rb")  # noqa: SIM115 - handed to the caller, who closes it
            os.unlink(out.name)  # the open handle keeps the data until closed
            return result
        if done.returncode == 2:
            raise WorkbookError(lines[-1] if lines else "the workbook could not be read")
        raise WorkbookError(f"the workbook needs more than {memory // 2**20} MB or "
                            f"{seconds} s of work to read (the reader stopped); save it as CSV and upload that")
    finally:
        if os.path.exists(out.name):
            os.unlink(out.name)
        if remove_source:
            os.unlink(source)
