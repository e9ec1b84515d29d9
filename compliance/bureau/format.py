"""The Metro 2 character (unpacked) format: Header, Base segment, K1 segment and Trailer.

Pure: no Django. Field positions are 1-based as printed in the CRRG (COMPLIANCE.md Q; the moov-io
metro2 field specification). Alphanumeric fields are upper-case, left-justified, blank-filled;
numeric fields are right-justified, zero-filled; money is whole dollars with the cents truncated;
dates are MMDDYYYY, zero-filled when empty.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_DOWN, Decimal

RECORD_LENGTH = 426  # Header, Base and Trailer in character format
K1_LENGTH = 34
# Optional segments in their required order, with their fixed lengths (CRRG "Segment order").
SEGMENT_LENGTHS = {"J1": 100, "J2": 200, "K1": 34, "K2": 34, "K3": 40, "K4": 30, "L1": 54, "N1": 146}
SEGMENT_ORDER = list(SEGMENT_LENGTHS)


@dataclass(frozen=True)
class Field:
    name: str
    label: str  # "17A Account Status": the CRRG field number and name, for error messages
    start: int  # 1-based
    length: int
    kind: str  # "A" alphanumeric, "N" numeric, "D" date MMDDYYYY, "T" time stamp MMDDYYYYHHMMSS

    @property
    def end(self) -> int:
        return self.start + self.length - 1

    def cut(self, line: str) -> str:
        return line[self.start - 1:self.end]


def _layout(*fields: tuple) -> list[Field]:
    out, pos = [], 1
    for name, label, length, kind in fields:
        out.append(Field(name, label, pos, length, kind))
        pos += length
    return out


HEADER = _layout(
    ("rdw", "1 Record Descriptor Word", 4, "N"),
    ("record_identifier", "2 Record Identifier", 6, "A"),
    ("cycle_identifier", "3 Cycle Identifier", 2, "A"),
    ("innovis_program_identifier", "4 Innovis Program Identifier", 10, "A"),
    ("equifax_program_identifier", "5 Equifax Program Identifier", 10, "A"),
    ("experian_program_identifier", "6 Experian Program Identifier", 5, "A"),
    ("transunion_program_identifier", "7 TransUnion Program Identifier", 10, "A"),
    ("activity_date", "8 Activity Date", 8, "D"),
    ("date_created", "9 Date Created", 8, "D"),
    ("program_date", "10 Program Date", 8, "D"),
    ("program_revision_date", "11 Program Revision Date", 8, "D"),
    ("reporter_name", "12 Reporter Name", 40, "A"),
    ("reporter_address", "13 Reporter Address", 96, "A"),
    ("reporter_telephone", "14 Reporter Telephone Number", 10, "N"),
    ("software_vendor_name", "15 Software Vendor Name", 40, "A"),
    ("software_version", "16 Software Version Number", 5, "A"),
    ("prbc_program_identifier", "17 PRBC Program Identifier", 10, "A"),
    ("reserved", "18 Reserved", 146, "A"),
)

BASE = _layout(
    ("rdw", "1 Record Descriptor Word", 4, "N"),
    ("processing_indicator", "2 Processing Indicator", 1, "N"),
    ("time_stamp", "3 Time Stamp", 14, "T"),
    ("correction_indicator", "4 Reserved", 1, "N"),
    ("identification_number", "5 Identification Number", 20, "A"),
    ("cycle_identifier", "6 Cycle Identifier", 2, "A"),
    ("consumer_account_number", "7 Consumer Account Number", 30, "A"),
    ("portfolio_type", "8 Portfolio Type", 1, "A"),
    ("account_type", "9 Account Type", 2, "A"),
    ("date_opened", "10 Date Opened", 8, "D"),
    ("credit_limit", "11 Credit Limit", 9, "N"),
    ("highest_credit", "12 Highest Credit or Original Loan Amount", 9, "N"),
    ("terms_duration", "13 Terms Duration", 3, "A"),
    ("terms_frequency", "14 Terms Frequency", 1, "A"),
    ("scheduled_monthly_payment", "15 Scheduled Monthly Payment Amount", 9, "N"),
    ("actual_payment_amount", "16 Actual Payment Amount", 9, "N"),
    ("account_status", "17A Account Status", 2, "A"),
    ("payment_rating", "17B Payment Rating", 1, "A"),
    ("payment_history_profile", "18 Payment History Profile", 24, "A"),
    ("special_comment", "19 Special Comment", 2, "A"),
    ("compliance_condition_code", "20 Compliance Condition Code", 2, "A"),
    ("current_balance", "21 Current Balance", 9, "N"),
    ("amount_past_due", "22 Amount Past Due", 9, "N"),
    ("original_charge_off_amount", "23 Original Charge-off Amount", 9, "N"),
    ("date_of_account_information", "24 Date of Account Information", 8, "D"),
    ("date_of_first_delinquency", "25 FCRA Compliance/Date of First Delinquency", 8, "D"),
    ("date_closed", "26 Date Closed", 8, "D"),
    ("date_of_last_payment", "27 Date of Last Payment", 8, "D"),
    ("interest_type_indicator", "28 Interest Type Indicator", 1, "A"),
    ("reserved_29", "29 Reserved", 17, "A"),
    ("surname", "30 Surname", 25, "A"),
    ("first_name", "31 First Name", 20, "A"),
    ("middle_name", "32 Middle Name", 20, "A"),
    ("generation_code", "33 Generation Code", 1, "A"),
    ("ssn", "34 Social Security Number", 9, "N"),
    ("date_of_birth", "35 Date of Birth", 8, "D"),
    ("telephone", "36 Telephone Number", 10, "N"),
    ("ecoa_code", "37 ECOA Code", 1, "A"),
    ("consumer_information_indicator", "38 Consumer Information Indicator", 2, "A"),
    ("country_code", "39 Country Code", 2, "A"),
    ("address_line1", "40 First Line of Address", 32, "A"),
    ("address_line2", "41 Second Line of Address", 32, "A"),
    ("city", "42 City", 20, "A"),
    ("state", "43 State", 2, "A"),
    ("zip", "44 Postal/Zip Code", 9, "A"),
    ("address_indicator", "45 Address Indicator", 1, "A"),
    ("residence_code", "46 Residence Code", 1, "A"),
)

K1 = _layout(
    ("segment_identifier", "K1-1 Segment Identifier", 2, "A"),
    ("original_creditor_name", "K1-2 Original Creditor Name", 30, "A"),
    ("creditor_classification", "K1-3 Creditor Classification", 2, "A"),
)

# Trailer totals by status code, in file order (CRRG Trailer fields 7-27).
TRAILER_STATUS_CODES = ["DA", "05", "11", "13", "61", "62", "63", "64", "65", "71", "78", "80", "82", "83", "84",
                        "88", "89", "93", "94", "95", "96", "97"]
TRAILER = _layout(
    ("rdw", "1 Record Descriptor Word", 4, "N"),
    ("record_identifier", "2 Record Identifier", 7, "A"),
    ("total_base_records", "3 Total Base Records", 9, "N"),
    ("reserved_4", "4 Reserved", 9, "A"),
    ("total_status_df", "5 Total of Status Code DF", 9, "N"),
    ("total_j1", "6 Total Associated Consumer Segments (J1)", 9, "N"),
    ("total_j2", "7 Total Associated Consumer Segments (J2)", 9, "N"),
    ("block_count", "8 Block Count", 9, "N"),
    *[(f"total_status_{c.lower()}", f"Total of Status Code {c}", 9, "N") for c in TRAILER_STATUS_CODES],
    ("total_ecoa_z", "Total of ECOA Code Z", 9, "N"),
    ("total_n1", "Total Employment Segments (N1)", 9, "N"),
    ("total_k1", "Total Original Creditor Segments (K1)", 9, "N"),
    ("total_k2", "Total Purchased From/Sold To Segments (K2)", 9, "N"),
    ("total_k3", "Total Mortgage Information Segments (K3)", 9, "N"),
    ("total_k4", "Total Specialized Payment Information Segments (K4)", 9, "N"),
    ("total_l1", "Total Account Number/Identification Number Change Segments (L1)", 9, "N"),
    ("total_ssn_all", "Total Social Security Numbers (all segments)", 9, "N"),
    ("total_ssn_base", "Total Social Security Numbers (Base segments)", 9, "N"),
    ("total_ssn_j1", "Total Social Security Numbers (J1 segments)", 9, "N"),
    ("total_ssn_j2", "Total Social Security Numbers (J2 segments)", 9, "N"),
    ("total_dob_all", "Total Dates of Birth (all segments)", 9, "N"),
    ("total_dob_base", "Total Dates of Birth (Base segments)", 9, "N"),
    ("total_dob_j1", "Total Dates of Birth (J1 segments)", 9, "N"),
    ("total_dob_j2", "Total Dates of Birth (J2 segments)", 9, "N"),
    ("total_telephone_all", "Total Telephone Numbers (all segments)", 9, "N"),
    ("reserved_end", "Reserved", 19, "A"),
)

for _name, _layout_fields, _length in (("Header", HEADER, RECORD_LENGTH), ("Base", BASE, RECORD_LENGTH),
                                       ("K1", K1, K1_LENGTH), ("Trailer", TRAILER, RECORD_LENGTH)):
    assert _layout_fields[-1].end == _length, f"{_name} layout is {_layout_fields[-1].end} bytes, not {_length}"


def ascii_upper(value) -> str:
    """Upper-case ASCII: accents dropped (José -> JOSE), anything else non-printable becomes a blank."""
    text = unicodedata.normalize("NFKD", str(value or "")).encode("ascii", "ignore").decode("ascii")
    return "".join(ch if 32 <= ord(ch) < 127 else " " for ch in text).upper()


def whole_dollars(amount) -> int:
    """Money as whole dollars, cents truncated (CRRG); negative amounts report as 0."""
    if amount in (None, ""):
        return 0
    value = Decimal(str(amount)).quantize(Decimal("1"), rounding=ROUND_DOWN)
    return max(int(value), 0)


def format_date(value) -> str:
    if not value:
        return "00000000"
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return value.strftime("%m%d%Y")


def format_time_stamp(value: datetime | None) -> str:
    return value.strftime("%m%d%Y%H%M%S") if value else "0" * 14


def _cell(field: Field, value) -> str:
    if field.kind == "N":
        digits = "".join(ch for ch in str(value if value not in (None, "") else 0) if ch.isdigit()) or "0"
        if len(digits) > field.length:
            raise ValueError(f"{field.label}: {value!r} does not fit in {field.length} digits")
        return digits.rjust(field.length, "0")
    if field.kind == "D":
        return format_date(value)
    if field.kind == "T":
        return format_time_stamp(value)
    return ascii_upper(value)[:field.length].ljust(field.length)


def render(layout: list[Field], values: dict) -> str:
    """One record or segment: every field of ``layout`` from ``values`` (missing ones blank or zero)."""
    unknown = set(values) - {f.name for f in layout}
    if unknown:
        raise KeyError(f"unknown fields {sorted(unknown)}")
    return "".join(_cell(f, values.get(f.name)) for f in layout)


def parse(layout: list[Field], line: str) -> dict[str, str]:
    """The raw text of each field (as written, not stripped): for the validator and the tests."""
    return {f.name: f.cut(line) for f in layout}


def base_record(base: dict, *, k1: dict | None = None) -> str:
    """A Base segment (RDW computed) followed by its K1 segment when given."""
    k1_text = render(K1, {"segment_identifier": "K1", **k1}) if k1 else ""
    rdw = RECORD_LENGTH + len(k1_text)
    return render(BASE, {**base, "rdw": rdw, "processing_indicator": 1}) + k1_text


def header_record(values: dict) -> str:
    return render(HEADER, {**values, "rdw": RECORD_LENGTH, "record_identifier": "HEADER"})


def trailer_totals(bases: list[dict], *, k1_count: int) -> dict:
    """Trailer counts from the Base segments' values as rendered (status, ECOA Z, SSN, DOB, phone)."""
    totals = {"total_base_records": len(bases), "total_k1": k1_count, "block_count": 0}
    for code in ["DF", *TRAILER_STATUS_CODES]:
        totals[f"total_status_{code.lower()}"] = sum(1 for b in bases if str(b.get("account_status")) == code)
    totals["total_ecoa_z"] = sum(1 for b in bases if str(b.get("ecoa_code")) == "Z")
    totals["total_ssn_base"] = totals["total_ssn_all"] = sum(1 for b in bases if int(b.get("ssn") or 0))
    dated = [b for b in bases if b.get("date_of_birth") not in (None, "", "00000000")]
    totals["total_dob_base"] = totals["total_dob_all"] = len(dated)
    totals["total_telephone_all"] = sum(1 for b in bases if int(b.get("telephone") or 0))
    return totals


def trailer_record(totals: dict) -> str:
    return render(TRAILER, {**totals, "rdw": RECORD_LENGTH, "record_identifier": "TRAILER"})
