"""Metro 2: a hand-built portfolio's file matches a hand-written expected file field by field; the gate's
exclusions; the validator's refusals; the export and validate commands."""

import io
import json

import pytest
from django.core.management import call_command

from compliance.bureau import format as m2
from compliance.bureau.services import metro2_build, metro2_run_create
from compliance.bureau.validate import validate_metro2
from compliance.models import AuditEvent, Metro2Record, Metro2Run

from .support import AS_OF, NOW, portfolio

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


# Every field that is not blank (alphanumeric) or zero (numeric, dates) in each Base segment, written by
# hand from the portfolio in support.py and COMPLIANCE.md Q. Anything not listed must be blank or zero.
COMMON = {
    "rdw": "0460", "processing_indicator": "1", "time_stamp": "11022026120000",
    "identification_number": "NORTHSTAR0001", "portfolio_type": "O", "account_type": "48",
    "date_opened": "06012025",  # placement date
    "terms_duration": "001", "terms_frequency": "P",
    "date_of_first_delinquency": "03152025",  # the original creditor's DOFD, never re-aged
    "date_of_birth": "05061980", "telephone": "4045550101", "ecoa_code": "1", "city": "ATLANTA", "state": "GA",
    "zip": "30303",
}
EXPECTED = {
    "M2-0001": {  # open, notice mailed 2026-09-01 (wait over): unpaid collection 93, balance = past due
        "consumer_account_number": "M2-0001", "highest_credit": "000001843", "account_status": "93",
        "payment_history_profile": "B" * 24, "current_balance": "000001843", "amount_past_due": "000001843",
        "date_of_account_information": "10312026", "surname": "DOE", "first_name": "PAT",
        "address_line1": "1 PEACHTREE ST"},
    "M2-0002": {  # paid in October after September's 93: 62, zero balance, closed and informed on the date paid
        "consumer_account_number": "M2-0002", "highest_credit": "000000900", "actual_payment_amount": "000000900",
        "account_status": "62", "payment_history_profile": "G" + "B" * 23,
        "date_of_account_information": "10202026", "date_closed": "10202026", "date_of_last_payment": "10202026",
        "surname": "NUNEZ", "first_name": "JOSE", "address_line1": "2 PEACHTREE ST"},
    "M2-0003": {  # open written dispute on a furnished account: XB
        "consumer_account_number": "M2-0003", "highest_credit": "000000610", "account_status": "93",
        "payment_history_profile": "G" + "B" * 23, "compliance_condition_code": "XB",
        "current_balance": "000000610", "amount_past_due": "000000610", "date_of_account_information": "10312026",
        "surname": "PARK", "first_name": "LEE", "address_line1": "3 PEACHTREE ST"},
    "M2-0006": {  # recalled by the client after being furnished: delete the tradeline
        "consumer_account_number": "M2-0006", "highest_credit": "000000900", "account_status": "DA",
        "payment_history_profile": "G" + "B" * 23, "current_balance": "000000450",
        "date_of_account_information": "10312026", "surname": "ODE", "first_name": "CY",
        "address_line1": "6 PEACHTREE ST"},
    "M2-0007": {  # settled for less: 62 + Special Comment AU
        "consumer_account_number": "M2-0007", "highest_credit": "000000900", "actual_payment_amount": "000000540",
        "account_status": "62", "payment_history_profile": "G" + "B" * 23, "special_comment": "AU",
        "date_of_account_information": "10202026", "date_closed": "10202026", "date_of_last_payment": "10202026",
        "surname": "FOX", "first_name": "DI", "address_line1": "7 PEACHTREE ST"},
}
EXPECTED_K1 = {"segment_identifier": "K1", "original_creditor_name": "ACME BANK NA", "creditor_classification": "08"}
EXPECTED_TRAILER = {"rdw": "0426", "record_identifier": "TRAILER", "total_base_records": 5, "total_status_93": 2,
                    "total_status_62": 2, "total_status_da": 1, "total_k1": 5, "total_dob_all": 5,
                    "total_dob_base": 5, "total_telephone_all": 5}


def _empty(field: m2.Field) -> str:
    return " " * field.length if field.kind == "A" else "0" * field.length


def _check(layout, line, expected):
    got = m2.parse(layout, line)
    for f in layout:
        want = expected.get(f.name)
        if want is None:
            want = _empty(f)
        elif f.kind == "A":
            want = str(want).ljust(f.length)
        else:
            want = str(want).rjust(f.length, "0")
        assert got[f.name] == want, f"{f.label}: got {got[f.name]!r}, expected {want!r}"


def test_file_matches_the_hand_written_expected_file_field_by_field():
    creditor, _ = portfolio()
    text = metro2_build(creditor=creditor, as_of=AS_OF, now=NOW)["text"]
    lines = text.split("\n")
    assert lines[-1] == "" and len(lines) == 8  # header, five base records, trailer, final newline
    header, *bases, trailer = lines[:-1]
    _check(m2.HEADER, header, {
        "rdw": "0426", "record_identifier": "HEADER", "activity_date": "10312026", "date_created": "11022026",
        "reporter_name": "NORTHSTAR RECOVERY LLC", "reporter_address": "PO BOX 4410, ATLANTA, GA, 30302",
        "reporter_telephone": "8005550142", "software_vendor_name": "NORTHSTAR COLLECTIONS",
        "software_version": "1"})
    assert [m2.parse(m2.BASE, b)["consumer_account_number"].strip() for b in bases] == list(EXPECTED)
    for line, number in zip(bases, EXPECTED, strict=True):
        assert len(line) == 460
        _check(m2.BASE, line[:426], {**COMMON, **EXPECTED[number]})
        _check(m2.K1, line[426:], EXPECTED_K1)
    _check(m2.TRAILER, trailer, EXPECTED_TRAILER)
    assert validate_metro2(text).valid


def test_gate_exclusions_are_listed_with_their_reasons_and_skips_are_kept():
    creditor, a = portfolio()
    run = metro2_run_create(creditor=creditor, as_of=AS_OF, now=NOW)
    assert (run.records, run.blocked, run.skipped) == (5, 2, 0)
    blocked = {r.account_id: r.reasons for r in run.items.filter(outcome="blocked")}
    assert blocked == {a["no_notice"].pk: ["PASSIVE_COLLECTION_NOT_SATISFIED"],
                       a["medical_small"].pk: ["MEDICAL_UNDER_500"]}
    assert "under $500" in run.items.get(account=a["medical_small"]).detail
    # Next month: the paid, settled and recalled statuses went out once, so there is nothing more to send.
    november = metro2_run_create(creditor=creditor, as_of=AS_OF.replace(month=11, day=30), now=NOW)
    skipped = dict(november.items.filter(outcome="skipped").values_list("account_id", "reasons"))
    assert skipped == {a["paid"].pk: ["PAID_STATUS_ALREADY_REPORTED"],
                       a["settled"].pk: ["PAID_STATUS_ALREADY_REPORTED"],
                       a["recalled"].pk: ["DELETION_ALREADY_REPORTED"]}
    assert november.records == 2


def test_run_keeps_the_file_and_its_sha256_and_audits_the_export():
    import hashlib

    creditor, _ = portfolio()
    run = metro2_run_create(creditor=creditor, as_of=AS_OF, now=NOW)
    stored = run.file.open("rb").read()
    assert hashlib.sha256(stored).hexdigest() == run.sha256 and run.size_bytes == len(stored)
    assert AuditEvent.objects.filter(object_type="compliance.Metro2Run", object_id=str(run.pk),
                                     action="export").exists()
    assert Metro2Record.objects.filter(run=run).count() == 7


def test_export_command_prints_blocked_accounts_then_the_json_line(tmp_path):
    portfolio()
    out = tmp_path / "acme.txt"
    buf = io.StringIO()
    call_command("metro2_export", "--creditor", "ACME", "--as-of", "2026-10-31", "--out", str(out), stdout=buf)
    lines = buf.getvalue().strip().splitlines()
    summary = json.loads(lines[-1])
    assert summary["records"] == Metro2Run.objects.get(pk=summary["run"]).records
    assert summary["blocked"] == 2 and summary["file"] == str(out)
    import hashlib
    assert hashlib.sha256(out.read_bytes()).hexdigest() == summary["sha256"]
    assert any(line.startswith("blocked M2-0004: PASSIVE_COLLECTION_NOT_SATISFIED") for line in lines)
    buf = io.StringIO()
    call_command("metro2_validate", str(out), stdout=buf)
    assert json.loads(buf.getvalue().strip().splitlines()[-1])["valid"] is True


def _good_file():
    creditor, _ = portfolio()
    return metro2_build(creditor=creditor, as_of=AS_OF, now=NOW)["text"]


def test_validator_names_line_and_field_of_a_bad_status():
    lines = _good_file().split("\n")
    lines[2] = lines[2][:123] + "ZZ" + lines[2][125:]
    report = validate_metro2("\n".join(lines))
    assert not report.valid
    assert "line 3: field 17A Account Status (pos 124-125): 'ZZ' is not a Metro 2 Account Status" in report.errors
    # the trailer's status counts no longer match either
    assert any(e.startswith("line 7: field Total of Status Code 62") for e in report.errors)


def test_validator_catches_wrong_totals_lengths_and_missing_trailer(tmp_path):
    text = _good_file()
    lines = text.split("\n")
    bad_total = list(lines)
    bad_total[-2] = bad_total[-2][:11] + "000000009" + bad_total[-2][20:]
    assert "line 7: field 3 Total Base Records (pos 12-20): says 9, the file has 5" in \
        validate_metro2("\n".join(bad_total)).errors
    short = list(lines)
    short[1] = short[1][:-1]
    errors = validate_metro2("\n".join(short)).errors
    assert any("line 2: field 1 Record Descriptor Word (pos 1-4): '0460' but the record is 459 bytes" in e
               for e in errors)
    no_trailer = "\n".join(lines[:-2]) + "\n"
    assert any("last record must be the Trailer" in e for e in validate_metro2(no_trailer).errors)
    lower = text.replace("K1ACME BANK NA", "K1Acme Bank NA")
    assert any("K1-2 Original Creditor Name" in e and "upper case" in e for e in validate_metro2(lower).errors)
    path = tmp_path / "bad.txt"
    path.write_text("\n".join(bad_total))
    buf = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("metro2_validate", str(path), stdout=buf)
    assert exit_info.value.code == 1
    assert "Total Base Records" in buf.getvalue()
    assert json.loads(buf.getvalue().strip().splitlines()[-1])["valid"] is False
