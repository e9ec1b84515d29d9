"""Parsing one big transactions file on both cores: the file is split at a line boundary, a helper process
parses the second half while this process parses the first, and both halves stream into the same COPY.

Splitting at a newline is only safe when no quoted field holds a newline, which is true exactly when every
physical line has an even number of quote characters (a doubled quote inside a field keeps the count even).
``split`` checks that over the whole file and returns None otherwise: the caller then parses one stream.
Repeated references can no longer be found by one in-memory index, so the caller checks them in SQL.

The helper is a plain ``python -m accounts.ledger_csv.parallel`` subprocess (not multiprocessing: a Celery
prefork worker is a daemon process, which may not have multiprocessing children). It imports no Django. It
writes valid rows to stdout in the staging table's CSV form, and its row errors and counts to files.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import select
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

from .reading import LedgerFileError

MIN_BYTES = 8 * 1024 * 1024  # below this a second process costs more than it saves
_CHUNK = 1 << 20
ROWS_PER_WRITE = 5_000
_PACKAGE_ROOT = Path(__file__).resolve().parents[2]  # the directory holding the accounts package


@dataclass(frozen=True)
class Part:
    start: int  # byte offsets in the file, at line starts
    end: int
    first_line: int  # physical line number (1-based) of the part's first line


def split(path: str | os.PathLike[str], *, header_line: int, encoding: str) -> tuple[Part, Part] | None:
    """Two parts of the data lines (after the header), or None when the file may not be split."""
    if encoding not in ("utf-8-sig", "cp1252"):  # UTF-16 newlines are two bytes; keep it simple
        return None
    size = os.path.getsize(path)
    with open(path, "rb") as fh:
        seen_lines, data_start, carry = 0, None, b""
        offset = 0
        while chunk := fh.read(_CHUNK):
            if data_start is None:
                at = -1
                while seen_lines < header_line:
                    at = chunk.find(b"\n", at + 1)
                    if at < 0:
                        break
                    seen_lines += 1
                if seen_lines == header_line:
                    data_start = offset + at + 1
            if b'"' in chunk or (carry and b'"' in carry):
                lines = (carry + chunk).split(b"\n")
                carry = lines.pop()
                if any(line.count(b'"') % 2 for line in lines):
                    return None
            else:
                carry = chunk[chunk.rfind(b"\n") + 1:]
            offset += len(chunk)
        if carry.count(b'"') % 2 or data_start is None or size - data_start < MIN_BYTES:
            return None
        middle = data_start + (size - data_start) // 2
        fh.seek(middle)
        tail = fh.read(64 * 1024)
        newline = tail.find(b"\n")
        if newline < 0:
            return None
        cut = middle + newline + 1
        fh.seek(data_start)
        lines, left = 0, cut - data_start
        while left > 0:
            block = fh.read(min(_CHUNK, left))
            if not block:
                break
            lines += block.count(b"\n")
            left -= len(block)
    first = header_line + 1
    return Part(data_start, cut, first), Part(cut, size, first + lines)


def records(path: str | os.PathLike[str], part: Part, *, encoding: str,
            delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(line, cells) of the part's non-blank records, numbered like CsvFile.records()."""
    with open(path, "rb") as fh:
        fh.seek(part.start)
        data = fh.read(part.end - part.start)
    errors = "ledger_csv_c1" if encoding == "cp1252" else "strict"
    text = io.TextIOWrapper(io.BytesIO(data), encoding=encoding.replace("-sig", ""), errors=errors, newline="")
    reader = csv.reader(text, delimiter=delimiter)
    base = part.first_line - 1
    prev = base
    try:
        for row in reader:
            start = prev + 1
            prev = base + reader.line_num
            if any(row):
                yield start, row
    except csv.Error as exc:
        raise LedgerFileError(f"line {prev + 1}: cannot read CSV ({exc})") from None


class Helper:
    """The second-half parser, running as a subprocess: ``stdout`` yields staging CSV, then ``finish()``."""

    def __init__(self, *, path, part: Part, encoding: str, delimiter: str, headers: list[str], kind: str,
                 mapping, creditor_currency: str | None, limits=None):
        self._dir = tempfile.TemporaryDirectory(prefix="ledger-part-")
        self.errors_path = os.path.join(self._dir.name, "errors.csv")
        self.summary_path = os.path.join(self._dir.name, "summary.json")
        job = {"path": str(path), "start": part.start, "end": part.end, "first_line": part.first_line,
               "encoding": encoding, "delimiter": delimiter, "headers": headers, "kind": kind,
               "mapping": mapping, "creditor_currency": creditor_currency, "errors_path": self.errors_path,
               "summary_path": self.summary_path,
               "limits": None if limits is None else {"lengths": dict(limits.lengths),
                                                      "max_cents": dict(limits.max_cents),
                                                      "balance_max_cents": limits.balance_max_cents}}
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(_PACKAGE_ROOT),
                                                                           os.environ.get("PYTHONPATH")]))}
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 - closed in finish()
        self.process = subprocess.Popen([sys.executable, "-m", "accounts.ledger_csv.parallel", json.dumps(job)],
                                        stdout=subprocess.PIPE, stderr=self._stderr, cwd=str(_PACKAGE_ROOT),
                                        env=env)
        self.fd = self.process.stdout.fileno()

    def finish(self) -> dict:
        """Wait for the helper; its counts ({"rows", "valid", "invalid", "errors"}). Raises LedgerFileError
        for a file problem it met, OSError if it died."""
        code = self.process.wait()
        self.process.stdout.close()
        if os.path.exists(self.summary_path):
            with open(self.summary_path, encoding="utf-8") as fh:
                summary = json.load(fh)
            if summary.get("file_error"):
                raise LedgerFileError(summary["file_error"])
            if code == 0:
                return summary
        self._stderr.seek(0)
        raise OSError(f"the second parser process stopped (exit {code}): {self._stderr.read()[-500:].decode()}")

    def errors(self) -> Iterator[tuple[int, str, str, str]]:
        with open(self.errors_path, encoding="utf-8", newline="") as fh:
            for line, column, value, message in csv.reader(fh):
                yield int(line), column, value, message

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self._stderr.close()
        self._dir.cleanup()


class Interleaved:
    """A file-like object for psycopg2's copy_expert: whole-line CSV text from this process's rows (written
    by the C csv writer, ROWS_PER_WRITE at a time) and from the helper's pipe, whichever is ready."""

    def __init__(self, rows, helper: Helper):
        self._rows = iter(rows)
        self._helper = helper
        self._sink = io.StringIO()
        self._writer = csv.writer(self._sink, lineterminator="\n")
        self._decoder = codecs.getincrementaldecoder("utf-8")()
        self._carry = ""
        self.count = 0
        self._own_done = False

    def _own(self) -> str:
        chunk = list(islice(self._rows, ROWS_PER_WRITE))
        if not chunk:
            self._own_done = True
            return ""
        self._sink.seek(0)
        self._sink.truncate(0)
        self._writer.writerows(chunk)
        self.count += len(chunk)
        return self._sink.getvalue()

    def _theirs(self, *, wait: bool) -> str | None:
        """Whole lines from the helper; None at its end of output; "" when nothing is ready yet."""
        if not wait and not select.select([self._helper.fd], [], [], 0)[0]:
            return ""
        data = os.read(self._helper.fd, _CHUNK)
        if not data:
            rest, self._carry = self._carry + self._decoder.decode(b"", final=True), ""
            return rest or None
        text = self._carry + self._decoder.decode(data)
        cut = text.rfind("\n") + 1
        self._carry = text[cut:]
        self.count += text.count("\n", 0, cut)
        return text[:cut]

    def read(self, size: int = -1) -> str:
        while True:
            if not self._own_done:
                theirs = self._theirs(wait=False)
                if theirs:
                    return theirs
                own = self._own()
                if own:
                    return own
                continue
            theirs = self._theirs(wait=True)
            if theirs is None:
                return ""
            if theirs:
                return theirs


def _main(job: dict) -> int:
    from . import validate_records  # the same validation the parent runs
    from .limits import NO_LIMITS, FieldLimits
    from .mapping import resolve
    from .rows import RowError

    counts = {"rows": 0, "valid": 0, "invalid": 0, "errors": 0}
    out = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="", write_through=False)
    writer = csv.writer(out, lineterminator="\n")
    try:
        plan = resolve(job["headers"], job["kind"], job["mapping"])
        part = Part(job["start"], job["end"], job["first_line"])
        items = validate_records(plan, records(job["path"], part, encoding=job["encoding"],
                                               delimiter=job["delimiter"]),
                                 creditor_currency=job["creditor_currency"], check_duplicates=False,
                                 limits=FieldLimits(**job["limits"]) if job.get("limits") else NO_LIMITS)
        with open(job["errors_path"], "w", encoding="utf-8", newline="") as errors_file:
            errors = csv.writer(errors_file)
            batch: list = []
            last_error_line = -1
            for item in items:
                if item.__class__ is RowError:
                    counts["errors"] += 1
                    if item.line != last_error_line:
                        last_error_line = item.line
                        counts["invalid"] += 1
                    errors.writerow((item.line, item.column or "", item.value, item.message))
                    continue
                counts["valid"] += 1
                batch.append(item)
                if len(batch) >= ROWS_PER_WRITE:
                    writer.writerows(batch)
                    batch.clear()
            writer.writerows(batch)
        out.flush()
    except LedgerFileError as exc:
        counts["file_error"] = exc.message
    counts["rows"] = counts["valid"] + counts["invalid"]
    with open(job["summary_path"], "w", encoding="utf-8") as fh:
        json.dump(counts, fh)
    return 0


if __name__ == "__main__":
    raise SystemExit(_main(json.loads(sys.argv[1])))
