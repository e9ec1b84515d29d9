"""``metro2_run_create``: the monthly furnishing run for one creditor, every account through the gate."""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone

from accounts.audit import audit_record
from accounts.models import AccountStatus, Creditor, DebtType
from compliance.gate import credit_report_check, decide_many
from compliance.gate.batch import CHUNK_SIZE
from compliance.gate.facts.debt import CLASSIFICATION
from compliance.gate.policy import policy_table
from compliance.models import DisputeStatus, Metro2Outcome, Metro2Record, Metro2Run

from . import format as m2
from . import selectors

# Consumer Information Indicator by chapter: petition filed (A-D) and discharged (E-H) (CRRG field 38).
CII_PETITION = {7: "A", 11: "B", 12: "C", 13: "D"}
CII_DISCHARGED = {7: "E", 11: "F", 12: "G", 13: "H"}
# MED-06 (HIPAA minimum necessary): a generic original-creditor name for medical debts.
MEDICAL_CREDITOR_NAME = "MEDICAL SERVICES"
PROFILE_BY_STATUS = {"93": "G", "62": "G", "97": "L"}


def furnisher_profile() -> dict:
    """Who we are to the bureaus: the furnisher identification and program ids (settings, with defaults)."""
    collector = getattr(settings, "COLLECTOR_PROFILE", {}) or {}
    profile = getattr(settings, "METRO2_FURNISHER", {}) or {}
    address = ", ".join(p for p in [collector.get("address_line1"), collector.get("city"), collector.get("state"),
                                    collector.get("zip")] if p)
    return {
        "identification_number": profile.get("identification_number", "NORTHSTAR0001"),
        "equifax_program_identifier": profile.get("equifax", ""),
        "experian_program_identifier": profile.get("experian", ""),
        "transunion_program_identifier": profile.get("transunion", ""),
        "innovis_program_identifier": profile.get("innovis", ""),
        "reporter_name": collector.get("name", "Collections"),
        "reporter_address": address,
        "reporter_telephone": "".join(ch for ch in collector.get("phone", "") if ch.isdigit())[-10:],
        "software_vendor_name": "NORTHSTAR COLLECTIONS",
        "software_version": "1",
    }


def _months_back(as_of: date, n: int) -> tuple[int, int]:
    y, m = as_of.year, as_of.month - n
    while m <= 0:
        y, m = y - 1, m + 12
    return y, m


def payment_history_profile(*, as_of: date, history: list[dict]) -> str:
    """24 months, most recent first, starting with the month before ``as_of``: G for a month we reported as a
    collection, D for a month after our first report with nothing reported, B before it."""
    reported = {(h["run__as_of"].year, h["run__as_of"].month): h["account_status"] for h in history}
    first = min(reported) if reported else None
    out = []
    for n in range(1, 25):
        ym = _months_back(as_of, n)
        if ym in reported:
            out.append(PROFILE_BY_STATUS.get(reported[ym], "D"))
        elif first is not None and ym > first:
            out.append("D")
        else:
            out.append("B")
    return "".join(out)


def _compliance_condition_code(statuses: list[str], last_ccc: str) -> str:
    """XB while a dispute is open; XH once investigated (reported once, then it persists); else blank."""
    if not statuses:
        return ""
    if DisputeStatus.OPEN in statuses:
        return "XB"
    return "" if last_ccc in ("XH", "XC") else "XH"


def _cii(account, bankruptcies: list) -> str:
    for b in bankruptcies:
        if b.account_id not in (None, account.pk):
            continue
        if b.status == "discharged":
            return CII_DISCHARGED.get(b.chapter, "")
        if b.status == "pending":
            return CII_PETITION.get(b.chapter, "")
    return ""


def account_segments(*, account, as_of: date, furnisher: dict, history: list[dict], payments: dict,
                     flags: dict, now: datetime) -> tuple[dict | None, dict | None, dict, list[str]]:
    """The Base and K1 values for ``account`` this month, the gate's debt facts, and reasons it is not sent.

    Returns (base, k1, debt_status, skip_reasons). ``base`` is None when there is nothing to send.
    """
    last = history[-1] if history else None
    last_status = last["account_status"] if last else ""
    date_paid = payments.get("last_payment") or account.last_payment_date
    debt_status: dict = {}
    special = ""
    if account.status in selectors.PAID_STATUSES:
        if not last:
            return None, None, {}, ["PAID_NEVER_FURNISHED"]
        if last_status == "62":
            return None, None, {}, ["PAID_STATUS_ALREADY_REPORTED"]
        status, balance = "62", Decimal("0")
        special = "AU" if account.status == AccountStatus.SETTLED else ""
        debt_status = {"paid_in_full_on": (date_paid or as_of).isoformat()}
        if account.status == AccountStatus.SETTLED:
            debt_status.update(settled_on=(date_paid or as_of).isoformat(), settled_for_less=True)
        info_date = closed = date_paid or as_of
    elif account.status in selectors.DELETED_STATUSES:
        if not last:
            return None, None, {}, ["CLOSED_NEVER_FURNISHED"]
        if last_status == "DA":
            return None, None, {}, ["DELETION_ALREADY_REPORTED"]
        status, balance = "DA", max(account.current_balance, Decimal("0"))
        debt_status = {"recalled_on": timezone.localtime(account.updated_at).date().isoformat()}
        info_date, closed = as_of, None
    else:
        status, balance = "93", max(account.current_balance, Decimal("0"))
        info_date, closed = as_of, None
    debtor = account.debtor
    address = next((a for a in debtor.addresses.all() if a.status == "active"), None)
    phone = next((p for p in debtor.phones.all() if p.status == "active"), None)
    ccc = _compliance_condition_code(flags["disputes"].get(account.pk, []),
                                     last["compliance_condition_code"] if last else "")
    highest = account.itemization_balance or payments.get("charged") or account.current_balance
    base = {
        "time_stamp": now.astimezone(timezone.get_current_timezone()).replace(tzinfo=None),
        "identification_number": furnisher["identification_number"],
        "consumer_account_number": account.creditor_account_number,
        "portfolio_type": "O",
        "account_type": "0C" if account.creditor.kind == Creditor.Kind.DEBT_BUYER else "48",
        "date_opened": timezone.localtime(account.placed_at).date(),
        "credit_limit": 0,
        "highest_credit": m2.whole_dollars(highest),
        "terms_duration": "001",
        "terms_frequency": "P",
        "scheduled_monthly_payment": 0,
        "actual_payment_amount": m2.whole_dollars(-(payments.get("paid_in_month") or 0)),
        "account_status": status,
        "payment_rating": "",
        "payment_history_profile": payment_history_profile(as_of=as_of, history=history),
        "special_comment": special,
        "compliance_condition_code": ccc,
        "current_balance": m2.whole_dollars(balance),
        "amount_past_due": m2.whole_dollars(balance) if status == "93" else 0,
        "original_charge_off_amount": 0,
        "date_of_account_information": info_date,
        "date_of_first_delinquency": account.date_of_first_delinquency,
        "date_closed": closed,
        "date_of_last_payment": date_paid,
        "surname": debtor.last_name,
        "first_name": debtor.first_name,
        "ssn": 0,  # only the last four digits are kept; the bureaus match on name, address and date of birth
        "date_of_birth": debtor.date_of_birth,
        "telephone": "".join(ch for ch in (phone.number if phone else "") if ch.isdigit())[-10:] or 0,
        "ecoa_code": "X" if debtor.pk in flags["deceased"] else "1",
        "consumer_information_indicator": _cii(account, flags["bankruptcies"].get(debtor.pk, [])),
        "address_line1": address.line1 if address else "",
        "address_line2": address.line2 if address else "",
        "city": address.city if address else "",
        "state": address.state if address else "",
        "zip": address.zip if address else "",
    }
    medical = account.debt_type == DebtType.MEDICAL
    k1 = {"original_creditor_name": MEDICAL_CREDITOR_NAME if medical
          else (account.original_creditor or account.creditor.name),
          "creditor_classification": CLASSIFICATION.get(account.debt_type, "12")}
    missing = []
    if not account.date_of_first_delinquency:
        missing.append("METRO2_DOFD_MISSING")
    if address is None:
        missing.append("METRO2_ADDRESS_MISSING")
    if not (debtor.last_name and debtor.first_name):
        missing.append("METRO2_NAME_MISSING")
    if account.pk in flags["fraud"]:
        missing.append("FRAUD_CLAIM_HOLD")
    return base, k1, debt_status, missing


def _gate_metro2(base: dict) -> dict:
    return {"account_status": base["account_status"], "current_balance": base["current_balance"],
            "compliance_condition_code": base["compliance_condition_code"],
            "special_comment": base["special_comment"], "payment_rating": base["payment_rating"],
            "account_type": base["account_type"],
            "consumer_information_indicator": base["consumer_information_indicator"],
            "date_of_first_delinquency": base["date_of_first_delinquency"].isoformat()
            if base["date_of_first_delinquency"] else None}


def _gate_requests(pending: list[tuple[dict, list[dict]]]) -> list[dict]:
    out = []
    for item, past in pending:
        last = past[-1] if past else None
        out.append({"account": item["account"], "metro2": _gate_metro2(item["base"]),
                    "previously_furnished": bool(past),
                    "last_furnished": {"compliance_condition_code": last["compliance_condition_code"],
                                       "date_of_first_delinquency": last["date_of_first_delinquency"].isoformat()
                                       if last["date_of_first_delinquency"] else None} if last else None,
                    "debt_status": item["debt_status"]})
    return out


def _decisions(requests: list[dict], *, now: datetime, batched: bool, policy) -> list[dict]:
    """The gate's decision for each request: one chunk at a time (``decide_many``), or account by account."""
    if batched:
        return decide_many(requests, channel="credit_report", at=now, policy=policy)
    return [credit_report_check(account=r["account"], metro2=r["metro2"], now=now,
                                previously_furnished=r["previously_furnished"], last_furnished=r["last_furnished"],
                                debt_status=r["debt_status"]) for r in requests]


def _add_totals(into: dict, more: dict) -> dict:
    for key, value in more.items():
        into[key] = into.get(key, 0) + value
    return into


def metro2_stream(*, creditor, as_of: date, write: Callable[[str], None],
                  on_items: Callable[[list[dict]], None] | None = None, now: datetime | None = None,
                  chunk_size: int = CHUNK_SIZE, batched: bool = True) -> dict:
    """Write the month's file for ``creditor`` line by line through ``write``, a chunk of accounts at a time.

    Accounts are read by keyset (``selectors.reportable_account_chunks``), so memory holds one chunk whatever
    the portfolio's size. For each chunk the run history, payments and flags are read in one query each and
    the gate decides every account that has something to send in one call (``decide_many``: its facts in a
    fixed number of queries, then the same pure engine per account). ``on_items`` receives each chunk's
    per-account outcomes. ``batched=False`` asks the gate account by account (``credit_report_check``): the
    slow reference the batched path must match. Returns the trailer totals and the counts.
    """
    now = now or timezone.now()
    furnisher = furnisher_profile()
    policy = policy_table(on=now.date())
    month_from = selectors.month_start(as_of)
    write(m2.header_record({**{k: v for k, v in furnisher.items() if k != "identification_number"},
                            "activity_date": as_of, "date_created": timezone.localdate(now)}))
    lines, totals, counts = 1, {}, {"records": 0, "blocked": 0, "skipped": 0, "accounts": 0}
    for accounts in selectors.reportable_account_chunks(creditor=creditor, as_of=as_of, size=chunk_size):
        ids = [a.pk for a in accounts]
        history = selectors.furnishing_history(account_ids=ids, before=month_from)
        pays = selectors.payment_facts(account_ids=ids, month_from=month_from, as_of=as_of)
        flags = selectors.reporting_flags(account_ids=ids, debtor_ids=list({a.debtor_id for a in accounts}), now=now)
        items, pending = [], []
        for account in accounts:
            past = history.get(account.pk, [])
            base, k1, debt_status, reasons = account_segments(
                account=account, as_of=as_of, furnisher=furnisher, history=past,
                payments=pays.get(account.pk, {}), flags=flags, now=now)
            item = {"account": account, "reasons": reasons, "detail": ""}
            if base is None:
                items.append({**item, "outcome": Metro2Outcome.SKIPPED})
                continue
            item.update(account_status=base["account_status"], special_comment=base["special_comment"],
                        compliance_condition_code=base["compliance_condition_code"],
                        current_balance=Decimal(base["current_balance"]),
                        date_of_first_delinquency=base["date_of_first_delinquency"],
                        base=base, k1=k1, debt_status=debt_status)
            items.append(item)
            if not reasons:
                pending.append((item, past))
        for (item, _), decision in zip(pending, _decisions(_gate_requests(pending), now=now, batched=batched,
                                                          policy=policy), strict=True):
            if decision["decision"] != "allow":
                item["reasons"] = list(decision.get("reasons") or [])
                item["detail"] = "; ".join(v.get("message", "") for v in decision.get("violations") or [])[:2000]
        bases = []
        for item in items:
            base = item.pop("base", None)
            k1 = item.pop("k1", None)
            item.pop("debt_status", None)
            if "outcome" in item:
                continue
            if item["reasons"]:
                item["outcome"] = Metro2Outcome.BLOCKED
                continue
            write(m2.base_record(base, k1=k1))
            lines += 1
            bases.append(base)
            item.update(outcome=Metro2Outcome.REPORTED, line_no=lines)
        _add_totals(totals, m2.trailer_totals(
            [{**b, "date_of_birth": b["date_of_birth"] and m2.format_date(b["date_of_birth"])} for b in bases],
            k1_count=len(bases)))
        counts["records"] += len(bases)
        counts["accounts"] += len(items)
        counts["blocked"] += sum(1 for i in items if i["outcome"] == Metro2Outcome.BLOCKED)
        counts["skipped"] += sum(1 for i in items if i["outcome"] == Metro2Outcome.SKIPPED)
        if on_items is not None:
            on_items(items)
    totals = totals or m2.trailer_totals([], k1_count=0)
    write(m2.trailer_record(totals))
    return {"totals": totals, **counts}


def metro2_build(*, creditor, as_of: date, now: datetime | None = None, batched: bool = True,
                 chunk_size: int = CHUNK_SIZE) -> dict:
    """The month's file for ``creditor`` in memory, saving nothing: text, per-account outcomes, totals.

    For previews and tests; ``metro2_run_create`` streams to a file instead.
    """
    lines, items = [], []
    summary = metro2_stream(creditor=creditor, as_of=as_of, write=lines.append, on_items=items.extend, now=now,
                            batched=batched, chunk_size=chunk_size)
    return {"text": "\n".join(lines) + "\n", "items": items, **summary}


def _record(run, i: dict) -> Metro2Record:
    return Metro2Record(run=run, account=i["account"], outcome=i["outcome"], line_no=i.get("line_no"),
                        account_status=i.get("account_status", ""), special_comment=i.get("special_comment", ""),
                        compliance_condition_code=i.get("compliance_condition_code", ""),
                        current_balance=i.get("current_balance"),
                        date_of_first_delinquency=i.get("date_of_first_delinquency"),
                        reasons=i["reasons"], detail=i["detail"])


def metro2_run_create(*, creditor, as_of: date, user=None, now: datetime | None = None,
                      meta: dict | None = None, chunk_size: int = CHUNK_SIZE) -> Metro2Run:
    """Build the month's Metro 2 file for ``creditor``, store it with its SHA-256 and every account's outcome.

    The file is streamed to a temporary file (hashed as it is written) and each chunk's outcomes are
    inserted as the chunk completes, so memory stays flat at any portfolio size; one transaction holds the
    whole run, so a failure leaves no partial run behind.
    """
    digest = hashlib.sha256()
    with transaction.atomic(), tempfile.TemporaryFile() as spool:
        run = Metro2Run.objects.create(creditor=creditor, as_of=as_of, sha256="",
                                       created_by=user if getattr(user, "is_authenticated", False) else None)

        def write(line: str) -> None:
            data = (line + "\n").encode("ascii")
            spool.write(data)
            digest.update(data)

        def save_items(items: list[dict]) -> None:
            Metro2Record.objects.bulk_create([_record(run, i) for i in items], batch_size=1000)

        built = metro2_stream(creditor=creditor, as_of=as_of, write=write, on_items=save_items, now=now,
                              chunk_size=chunk_size)
        run.sha256, run.size_bytes = digest.hexdigest(), spool.tell()
        run.records, run.blocked, run.skipped, run.totals = (built["records"], built["blocked"], built["skipped"],
                                                             built["totals"])
        spool.seek(0)
        run.file.save(f"{creditor.code}-{as_of:%Y%m%d}-{run.sha256[:12]}.txt", File(spool), save=False)
        run.save()
        audit_record(user=user, action="export", obj=run, meta=meta,
                     summary=f"Metro 2 file for {creditor.code} as of {as_of}: {run.records} base records, "
                             f"{run.blocked} blocked, {run.skipped} skipped, sha256 {run.sha256}")
    return run
