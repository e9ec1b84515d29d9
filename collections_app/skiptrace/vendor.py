"""The skip-trace vendor's batch files: our request out as CSV, their results back as CSV.

The returned file comes from outside, so it is read under hard limits and refused whole when it
breaks one (size, rows, columns, field length); row problems are reported by line and the good rows
still load. Each found phone, address or email becomes a contact point with source
``skip_trace_vendor`` (the gate reads it as ``number_source``: TCPA consent does not pass to it).
"""

from __future__ import annotations

import csv
import hashlib
import io

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.audit import audit_record
from accounts.ledger_csv.exporting import safe_csv_writer
from collections_app.models.skiptrace import (
    ACTIVE_STATUSES,
    SkipLead,
    SkipSearch,
    SkipSource,
    SkipTraceCase,
    SkipVendorBatch,
)

from .services import skip_lead_add, skip_search_record

OUT_HEADER = ["case_id", "account_number", "first_name", "last_name", "business_name", "date_of_birth",
              "ssn_last4", "last_address_line1", "last_city", "last_state", "last_zip", "last_phone"]
IN_COLUMNS = {"case_id", "phone", "address_line1", "city", "state", "zip", "email"}
# Hard limits on a returned file. A vendor answers at most what we sent (OUT_MAX_CASES rows); 2 MB is
# ~10x what 10,000 result rows of ~150 bytes need; no field we read is longer than 200 characters.
OUT_MAX_CASES = 10_000
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = OUT_MAX_CASES
MAX_COLUMNS = 20
MAX_FIELD = 200
MAX_ERRORS = 200  # reported per file; the count is always exact


def vendor_batch_create(*, user, case_ids: list[int] | None = None) -> tuple[SkipVendorBatch, str]:
    """Write the request file for the live cases (or ``case_ids``) and record it: ``(batch, csv_text)``."""
    cases = SkipTraceCase.objects.filter(status__in=ACTIVE_STATUSES).select_related("account__debtor")
    if case_ids is not None:
        cases = cases.filter(pk__in=case_ids)
    cases = list(cases.order_by("pk")[:OUT_MAX_CASES])
    if not cases:
        raise ValidationError(_("No open skip-trace case to send."))
    buffer = io.StringIO()
    writer = safe_csv_writer(buffer)
    writer.writerow(OUT_HEADER)
    for case in cases:
        debtor = case.account.debtor
        address = debtor.addresses.order_by("-is_primary", "-pk").first()
        phone = debtor.phones.order_by("-pk").first()
        writer.writerow([case.pk, case.account.creditor_account_number, debtor.first_name, debtor.last_name,
                         debtor.business_name, debtor.date_of_birth.isoformat() if debtor.date_of_birth else "",
                         debtor.ssn_last4, address.line1 if address else "", address.city if address else "",
                         address.state if address else "", address.zip if address else "",
                         phone.number if phone else ""])
    text = buffer.getvalue()
    with transaction.atomic():
        batch = SkipVendorBatch.objects.create(cases=len(cases), created_by=user,
                                               out_sha256=hashlib.sha256(text.encode()).hexdigest())
        for case in cases:
            skip_search_record(case=case, source=SkipSource.VENDOR_BATCH, user=user, vendor_batch=batch,
                               result=SkipSearch.Result.PENDING, detail=f"sent in vendor batch #{batch.pk}")
        audit_record(user=user, action="export", obj=batch, summary=f"skip-trace vendor batch: {len(cases)} cases")
    return batch, text


def _decode(raw: bytes) -> str:
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _rows(text: str):
    """(line number, row dict) under the limits; raises ValidationError for a file that breaks one."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise ValidationError(_("The file is empty.")) from None
    except csv.Error as exc:
        raise ValidationError(_("Line 1: %(problem)s") % {"problem": exc}) from None
    if len(header) > MAX_COLUMNS:
        raise ValidationError(_("The file has %(columns)s columns; at most %(max_columns)s are read.")
                              % {"columns": len(header), "max_columns": MAX_COLUMNS})
    names = [h.strip().lower() for h in header]
    if "case_id" not in names:
        raise ValidationError(_("The file has no case_id column."))
    count = 0
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ValidationError(_("Line %(line)s: %(problem)s") % {"line": reader.line_num, "problem": exc}) from None
        count += 1
        if count > MAX_ROWS:
            raise ValidationError(_("The file has more than %(max_rows)s rows.") % {"max_rows": MAX_ROWS})
        if len(row) > MAX_COLUMNS:
            raise ValidationError(_("Line %(line)s has %(fields)s fields; at most %(max_columns)s.")
                                  % {"line": reader.line_num, "fields": len(row), "max_columns": MAX_COLUMNS})
        if any(len(v) > MAX_FIELD for v in row):
            raise ValidationError(_("Line %(line)s has a field longer than %(max_field)s characters.")
                                  % {"line": reader.line_num, "max_field": MAX_FIELD})
        yield reader.line_num, {n: (row[i].strip() if i < len(row) else "") for i, n in enumerate(names)
                                if n in IN_COLUMNS}


def vendor_batch_load(*, batch: SkipVendorBatch, file, user) -> dict:
    """Load the vendor's results for ``batch`` (a binary file). Idempotent: a batch loads once.

    ``{"rows", "hits", "errors": [{"line", "message"}], "error_count"}``.
    """
    raw = file.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise ValidationError(_("The file is larger than %(megabytes)s MB.")
                              % {"megabytes": MAX_BYTES // (1024 * 1024)})
    digest = hashlib.sha256(raw).hexdigest()
    if batch.status == SkipVendorBatch.Status.RETURNED:
        if batch.in_sha256 == digest:
            return {"rows": batch.in_rows, "hits": batch.in_hits, "errors": batch.in_errors,
                    "error_count": len(batch.in_errors), "replayed": True}
        raise ValidationError(_("Vendor batch #%(batch)s already has its results loaded.") % {"batch": batch.pk})
    rows = list(_rows(_decode(raw)))  # the whole file passes the limits before anything is written
    searches = {s.case_id: s for s in SkipSearch.objects.filter(vendor_batch=batch).select_related("case")}
    errors, hits, found_cases = [], 0, set()
    for line, row in rows:
        try:
            case_id = int(row.get("case_id") or "")
        except ValueError:
            errors.append({"line": line, "message": f"case_id {row.get('case_id')!r} is not a number"})
            continue
        search = searches.get(case_id)
        if search is None:
            errors.append({"line": line, "message": f"case {case_id} was not in batch #{batch.pk}"})
            continue
        leads = []
        if row.get("phone"):
            leads.append({"kind": SkipLead.Kind.PHONE, "value": row["phone"]})
        if row.get("email"):
            leads.append({"kind": SkipLead.Kind.EMAIL, "value": row["email"]})
        if row.get("address_line1"):
            leads.append({"kind": SkipLead.Kind.ADDRESS, "line1": row["address_line1"], "city": row.get("city", ""),
                          "state": row.get("state", ""), "zip_code": row.get("zip", "")})
        for lead in leads:
            try:
                with transaction.atomic():
                    skip_lead_add(case=search.case, source=SkipSource.VENDOR_BATCH, user=user, search=search, **lead)
                hits += 1
                found_cases.add(case_id)
            except ValidationError as exc:
                errors.append({"line": line, "message": f"{lead['kind']}: {'; '.join(exc.messages)}"})
    with transaction.atomic():
        SkipSearch.objects.filter(vendor_batch=batch, result=SkipSearch.Result.PENDING).exclude(
            case_id__in=found_cases).update(result=SkipSearch.Result.NO_HIT)
        SkipVendorBatch.objects.filter(pk=batch.pk).update(
            status=SkipVendorBatch.Status.RETURNED, in_sha256=digest, in_rows=len(rows), in_hits=hits,
            in_errors=errors[:MAX_ERRORS], returned_at=timezone.now())
        audit_record(user=user, action="update", obj=batch,
                     summary=f"vendor results loaded: {len(rows)} rows, {hits} contact points, {len(errors)} errors")
    batch.refresh_from_db()
    return {"rows": len(rows), "hits": hits, "errors": errors[:MAX_ERRORS], "error_count": len(errors),
            "replayed": False}
