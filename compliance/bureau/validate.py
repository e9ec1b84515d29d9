"""``validate_metro2``: a Metro 2 character file's structure, codes and trailer totals, every failure reported.

Pure (no Django): reads text, returns errors that name the line, the CRRG field and its byte positions.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from . import format as m2

ACCOUNT_STATUSES = {"05", "11", "13", "61", "62", "63", "64", "65", "71", "78", "80", "82", "83", "84", "88",
                    "89", "93", "94", "95", "96", "97", "DA", "DF"}
RATED_STATUSES = {"05", "13", "65", "88", "89", "94", "95"}
PAYMENT_RATINGS = set("0123456GL")
PORTFOLIO_TYPES = set("CIMOR")
ECOA_CODES = set("12357TXWZ")
CCC = {"", "XA", "XB", "XC", "XD", "XE", "XF", "XG", "XH", "XJ", "XR"}
CII = {"", "A", "B", "C", "D", "E", "F", "G", "H", "1A", "Q"}
PROFILE_CHARS = set("0123456BDEGHJKL")
REQUIRED_BASE = ("identification_number", "consumer_account_number", "portfolio_type", "account_type",
                 "account_status", "payment_history_profile", "surname", "first_name", "address_line1", "city",
                 "state", "zip", "ecoa_code")
MAX_ERRORS = 200  # a broken file would otherwise print one error per field of every line


@dataclass
class Report:
    errors: list[str] = field(default_factory=list)
    records: int = 0
    segments: Counter = field(default_factory=Counter)

    @property
    def valid(self) -> bool:
        return not self.errors

    def add(self, line_no: int, what: str) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(f"line {line_no}: {what}")


def _where(f: m2.Field) -> str:
    return f"field {f.label} (pos {f.start}-{f.end})"


def _check_fields(report: Report, line_no: int, layout: list[m2.Field], line: str, *, offset: int = 0) -> dict:
    values = {}
    for f in layout:
        raw = line[offset + f.start - 1:offset + f.end]
        values[f.name] = raw
        if f.kind == "N" and not raw.isdigit():
            report.add(line_no, f"{_where(f)}: {raw!r} is not numeric (zero-fill empty numbers)")
        elif f.kind == "D" and raw != "00000000":
            try:
                datetime.strptime(raw, "%m%d%Y")
            except ValueError:
                report.add(line_no, f"{_where(f)}: {raw!r} is not a date MMDDYYYY")
        elif f.kind == "T" and raw != "0" * 14:
            try:
                datetime.strptime(raw, "%m%d%Y%H%M%S")
            except ValueError:
                report.add(line_no, f"{_where(f)}: {raw!r} is not a time stamp MMDDYYYYHHMMSS")
        elif f.kind == "A" and raw != raw.upper():
            report.add(line_no, f"{_where(f)}: {raw.strip()!r} must be upper case")
    return values


def _check_base(report: Report, line_no: int, line: str) -> dict:
    by_name = {f.name: f for f in m2.BASE}
    v = _check_fields(report, line_no, m2.BASE, line)
    for name in REQUIRED_BASE:
        if not v[name].strip():
            report.add(line_no, f"{_where(by_name[name])}: required, found blanks")
    if v["processing_indicator"] != "1":
        report.add(line_no, f"{_where(by_name['processing_indicator'])}: must be 1, "
                            f"found {v['processing_indicator']!r}")
    status = v["account_status"].strip()
    if status not in ACCOUNT_STATUSES:
        report.add(line_no, f"{_where(by_name['account_status'])}: {status!r} is not a Metro 2 Account Status")
    rating = v["payment_rating"].strip()
    if status in RATED_STATUSES and rating not in PAYMENT_RATINGS:
        report.add(line_no, f"{_where(by_name['payment_rating'])}: required for status {status}, found {rating!r}")
    if status not in RATED_STATUSES and rating:
        report.add(line_no, f"{_where(by_name['payment_rating'])}: must be blank for status {status}, found {rating!r}")
    if v["portfolio_type"] not in PORTFOLIO_TYPES:
        report.add(line_no, f"{_where(by_name['portfolio_type'])}: {v['portfolio_type']!r} is not C, I, M, O or R")
    if v["ecoa_code"] not in ECOA_CODES:
        report.add(line_no, f"{_where(by_name['ecoa_code'])}: {v['ecoa_code']!r} is not an ECOA code")
    if v["compliance_condition_code"].strip() not in CCC:
        report.add(line_no, f"{_where(by_name['compliance_condition_code'])}: "
                            f"{v['compliance_condition_code']!r} is not a Compliance Condition Code")
    if v["consumer_information_indicator"].strip() not in CII:
        report.add(line_no, f"{_where(by_name['consumer_information_indicator'])}: "
                            f"{v['consumer_information_indicator']!r} is not a Consumer Information Indicator")
    if set(v["payment_history_profile"]) - PROFILE_CHARS:
        report.add(line_no, f"{_where(by_name['payment_history_profile'])}: "
                            f"{v['payment_history_profile']!r} has characters outside 0-6, B, D, E, G, H, J, K, L")
    if status in {"62", "13", "61", "63", "64", "65"} and v["current_balance"].isdigit() and int(v["current_balance"]):
        report.add(line_no, f"{_where(by_name['current_balance'])}: a paid status ({status}) reports balance 0")
    if status in {"93", "62", "97"} and v["date_of_first_delinquency"] == "00000000":
        report.add(line_no, f"{_where(by_name['date_of_first_delinquency'])}: required for status {status}")
    return v


def validate_metro2(text: str) -> Report:
    """Check a whole file: one Header, Base records (with their segments in order), one Trailer whose totals
    match the records."""
    report = Report()
    lines = text.replace("\r\n", "\n").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if len(lines) < 2:
        report.add(1, "a Metro 2 file needs at least a Header and a Trailer record")
        return report
    for i, line in enumerate(lines, start=1):
        if not line.isascii():
            report.add(i, "non-ASCII characters; Metro 2 character files are ASCII")
    header, trailer = lines[0], lines[-1]
    if len(header) != m2.RECORD_LENGTH or header[4:10] != "HEADER":
        report.add(1, f"first record must be the Header (RDW 0426, 'HEADER' at pos 5-10), found "
                      f"{len(header)} bytes starting {header[:10]!r}")
    else:
        if header[:4] != "0426":
            report.add(1, f"field 1 Record Descriptor Word (pos 1-4): {header[:4]!r}, expected '0426'")
        h = _check_fields(report, 1, m2.HEADER, header)
        for name in ("activity_date", "date_created"):
            if h[name] == "00000000":
                f = next(f for f in m2.HEADER if f.name == name)
                report.add(1, f"{_where(f)}: required")
        if not h["reporter_name"].strip():
            report.add(1, f"{_where(m2.HEADER[11])}: required")
    bases = []
    k1 = 0
    for line_no, line in enumerate(lines[1:-1], start=2):
        if line[4:11] == "TRAILER" or line[4:10] == "HEADER":
            report.add(line_no, "Header or Trailer record in the middle of the file")
            continue
        rdw = line[:4]
        if not rdw.isdigit() or int(rdw) != len(line):
            report.add(line_no, f"field 1 Record Descriptor Word (pos 1-4): {rdw!r} but the record is "
                                f"{len(line)} bytes")
        if len(line) < m2.RECORD_LENGTH:
            report.add(line_no, f"Base segment is {len(line)} bytes, expected {m2.RECORD_LENGTH}")
            continue
        bases.append(_check_base(report, line_no, line))
        pos, last = m2.RECORD_LENGTH, -1
        while pos < len(line):
            ident = line[pos:pos + 2]
            if ident not in m2.SEGMENT_LENGTHS:
                report.add(line_no, f"unknown segment {ident!r} at pos {pos + 1}")
                break
            order = m2.SEGMENT_ORDER.index(ident)
            if order <= last:
                report.add(line_no, f"segment {ident} at pos {pos + 1} is out of order "
                                    "(J1, J2, K1, K2, K3, K4, L1, N1)")
            last = order
            length = m2.SEGMENT_LENGTHS[ident]
            if pos + length > len(line):
                report.add(line_no, f"segment {ident} at pos {pos + 1} is cut short")
                break
            if ident == "K1":
                k1 += 1
                _check_fields(report, line_no, m2.K1, line, offset=pos)
                if not line[pos + 2:pos + 32].strip():
                    report.add(line_no, f"field K1-2 Original Creditor Name (pos {pos + 3}-{pos + 32}): required")
            report.segments[ident] += 1
            pos += length
    report.records = len(bases)
    n = len(lines)
    if len(trailer) != m2.RECORD_LENGTH or trailer[4:11] != "TRAILER":
        report.add(n, f"last record must be the Trailer (426 bytes, 'TRAILER' at pos 5-11), found {len(trailer)} "
                      f"bytes starting {trailer[:11]!r}")
        return report
    t = _check_fields(report, n, m2.TRAILER, trailer)
    expected = m2.trailer_totals([{k: v.strip() for k, v in b.items()} for b in bases], k1_count=k1)
    expected.update({"total_j1": report.segments["J1"], "total_j2": report.segments["J2"],
                     "total_n1": report.segments["N1"], "total_k2": report.segments["K2"],
                     "total_k3": report.segments["K3"], "total_k4": report.segments["K4"],
                     "total_l1": report.segments["L1"]})
    expected.pop("block_count")
    for f in m2.TRAILER:
        if f.name in expected and t[f.name].isdigit() and int(t[f.name]) != expected[f.name]:
            report.add(n, f"{_where(f)}: says {int(t[f.name])}, the file has {expected[f.name]}")
    return report
