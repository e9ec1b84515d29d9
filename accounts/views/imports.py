"""Ledger import screens: upload → map columns → dry run → import → live progress; history and error
reports. Every write goes through accounts.imports.services."""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..access import ACCOUNTING, ADMIN, allow_roles
from ..audit import audit_request
from ..forms import ImportUploadForm
from ..forms_mapping import MappingForm
from ..imports import selectors, services, texts
from ..keyset import keyset_page
from ..ledger_csv import CANONICAL_HEADERS
from ..models import ImportBatch, ImportStatus

HISTORY_PAGE_SIZE = 25
MAPPING_FILE_MAX_BYTES = 1024 * 1024
ERRORS_ON_PAGE = 200  # the rest are in the downloadable report; a page of 100k rows helps nobody
MAPPABLE = (ImportStatus.UPLOADED, ImportStatus.VALIDATED, ImportStatus.INVALID)
REVIEWABLE = (*MAPPABLE, ImportStatus.VALIDATING)


def _batch(batch_id: int) -> ImportBatch:
    try:
        return selectors.import_batch_get(batch_id=batch_id)
    except ImportBatch.DoesNotExist as exc:
        raise Http404("No such import.") from exc


@allow_roles(ACCOUNTING, ADMIN)
@require_GET
def import_list(request):
    page = keyset_page(selectors.import_batch_list(), field="created_at", after=request.GET.get("after"),
                       before=request.GET.get("before"), size=HISTORY_PAGE_SIZE)
    return render(request, "accounts/import_list.html", {"page": page})


@allow_roles(ACCOUNTING, ADMIN)
@require_http_methods(["GET", "POST"])
def import_upload(request):
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["file"]
        try:
            batch, _created = services.import_upload(creditor=data["creditor"], kind=data["kind"], fileobj=upload,
                                              original_name=upload.name, user=request.user,
                                              skip_invalid=data["skip_invalid"], sheet=data["sheet"])
        except services.ImportFileError as exc:
            form.add_error("file", [texts.message_text(m) for m in exc.messages])
        else:
            if batch.status == ImportStatus.ALREADY_IMPORTED:
                return redirect("accounts:import_status", batch_id=batch.pk)
            # A workbook still converting is sent on to its status page, which polls until the form can show.
            return redirect("accounts:import_columns", batch_id=batch.pk)
    return render(request, "accounts/import_upload.html", {"form": form})


@allow_roles(ACCOUNTING, ADMIN)
@require_http_methods(["GET", "POST"])
def import_columns(request, batch_id: int):
    batch = _batch(batch_id)
    if batch.status not in MAPPABLE:
        return redirect("accounts:import_status", batch_id=batch.pk)
    try:
        columns = services.import_columns(batch=batch)
        found, codes = services.import_column_samples(batch=batch, plan=columns)
    except services.ImportFileError as exc:
        return render(request, "accounts/import_columns.html",
                      {"batch": batch, "file_error": texts.message_text(exc.messages[0])})
    form = MappingForm(request.POST or None, plan=columns, samples=found, codes=codes)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.import_mapping_save(batch=batch, mapping=form.cleaned_data["mapping"])
        except services.ImportFileError as exc:
            form.add_error(None, texts.message_text(exc.messages[0]))
        else:
            messages.success(request, _("Mapping saved; it will be used for %(creditor)s's next %(kind)s files.")
                             % {"creditor": batch.creditor.name, "kind": batch.get_kind_display().lower()})
            _samples, new_codes = services.import_column_samples(batch=batch, plan=saved)
            if any(new_codes.get(name) != codes.get(name) for name in new_codes):
                messages.info(request, _("A coded column changed: check what its codes mean below."))
                return redirect("accounts:import_columns", batch_id=batch.pk)
            return redirect("accounts:import_review", batch_id=batch.pk)
    return render(request, "accounts/import_columns.html", {"batch": batch, "columns": columns, "form": form})


@allow_roles(ACCOUNTING, ADMIN)
@require_GET
def import_mapping_export(request, batch_id: int):
    """The batch's mapping as the JSON file `import_ledger --mapping` reads."""
    batch = _batch(batch_id)
    body = json.dumps(services.import_mapping_export(batch=batch), indent=2, ensure_ascii=False)
    response = HttpResponse(body, content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{batch.creditor.code}-{batch.kind}-mapping.json"'
    return response


@allow_roles(ACCOUNTING, ADMIN)
@require_POST
def import_mapping_upload(request, batch_id: int):
    """Use a saved mapping file for this batch (and remember it for the creditor)."""
    batch = _batch(batch_id)
    upload = request.FILES.get("mapping")
    try:
        if upload is None or upload.size > MAPPING_FILE_MAX_BYTES:
            raise ValueError(_("choose a mapping file (JSON, at most 1 MB)"))
        mapping = json.loads(upload.read().decode("utf-8"))
        services.import_mapping_save(batch=batch, mapping=mapping)
    except UnicodeDecodeError:
        messages.error(request, _("The mapping file cannot be used: %(reason)s")
                       % {"reason": _("it is not UTF-8 text (save it as UTF-8 JSON)")})
    except json.JSONDecodeError as exc:
        messages.error(request, _("The mapping file cannot be used: %(reason)s")
                       % {"reason": _("it is not valid JSON (line %(line)s, column %(column)s)")
                          % {"line": exc.lineno, "column": exc.colno}})
    except ValueError as exc:
        messages.error(request, _("The mapping file cannot be used: %(reason)s") % {"reason": exc})
    except services.ImportFileError as exc:
        messages.error(request, texts.message_text(exc.messages[0]))
    else:
        messages.success(request, _("Mapping loaded from the file."))
    return redirect("accounts:import_columns", batch_id=batch.pk)


@allow_roles(ACCOUNTING, ADMIN)
@require_GET
def import_review(request, batch_id: int):
    batch = _batch(batch_id)
    if batch.status not in REVIEWABLE:
        return redirect("accounts:import_status", batch_id=batch.pk)
    checked = batch.status in (ImportStatus.VALIDATED, ImportStatus.INVALID) and bool(batch.summary)
    errors, error_total = selectors.import_error_rows_shown(batch=batch, limit=ERRORS_ON_PAGE) if checked \
        else ([], 0)
    preview = (batch.summary or {}).get("preview", []) if checked else []
    preview_columns = _preview_columns(batch, preview)
    context = {
        "batch": batch, "checked": checked, "counts": selectors.import_counts(batch=batch),
        "totals": selectors.import_totals(batch=batch), "net_change": (batch.summary or {}).get("net_change"),
        "warnings": selectors.import_warnings(batch=batch) if checked else [],
        "preview": [[row.get(c, "") for c in preview_columns] for row in preview], "preview_columns": preview_columns,
        "errors": errors, "error_total": error_total, "errors_shown": len(errors),
        "can_import": batch.status != ImportStatus.VALIDATING
        and (batch.status != ImportStatus.INVALID or batch.skip_invalid),
        "validating": batch.status == ImportStatus.VALIDATING,
        **(_status_context(batch) if batch.status == ImportStatus.VALIDATING else {}),
    }
    return render(request, "accounts/import_review.html", context)


@allow_roles(ACCOUNTING, ADMIN)
@require_POST
def import_dry_run(request, batch_id: int):
    batch = _batch(batch_id)
    try:
        services.import_dry_run_request(batch=batch)  # a big file's progress shows on the review page
    except ValidationError as exc:
        messages.error(request, texts.message_text(exc.messages[0]))
    return redirect("accounts:import_review", batch_id=batch.pk)


@allow_roles(ACCOUNTING, ADMIN)
@require_POST
def import_start(request, batch_id: int):
    batch = _batch(batch_id)
    skip_invalid = request.POST.get("skip_invalid") in ("on", "true", "1")
    try:
        if skip_invalid != batch.skip_invalid:
            services.import_skip_invalid_set(batch=batch, skip_invalid=skip_invalid)
        services.import_start(batch=batch)
    except ValidationError as exc:
        messages.error(request, texts.message_text(exc.messages[0]))
        return redirect("accounts:import_review", batch_id=batch.pk)
    return redirect("accounts:import_status", batch_id=batch.pk)


@allow_roles(ACCOUNTING, ADMIN)
@require_GET
def import_status(request, batch_id: int):
    batch = _batch(batch_id)
    return render(request, "accounts/import_status.html", _status_context(batch))


@allow_roles(ACCOUNTING, ADMIN)
@require_GET
def import_progress(request, batch_id: int):
    """The polled partial: it carries hx-trigger only while the import is still going. A finished dry
    run sends the browser back to the review page, which then shows its results; a converted workbook
    to its mapping form (or, refused, to its status page with the reason)."""
    batch = _batch(batch_id)
    if request.GET.get("review") and batch.status != ImportStatus.VALIDATING:
        return _hx_redirect(reverse("accounts:import_review", args=[batch.pk]))
    if request.GET.get("converted") and batch.status != ImportStatus.CONVERTING:
        mappable = batch.status in MAPPABLE and bool(batch.file)
        return _hx_redirect(reverse("accounts:import_columns" if mappable else "accounts:import_status",
                                    args=[batch.pk]))
    return render(request, "accounts/_import_progress.html", {**_status_context(batch),
                                                              "review": bool(request.GET.get("review"))})


@allow_roles(ACCOUNTING, ADMIN)
@require_GET
def import_error_report(request, batch_id: int):
    """The full error report (cells formula-escaped by ledger_csv's writer)."""
    batch = _batch(batch_id)
    if not batch.error_report:
        raise Http404("This import has no error report.")
    audit_request(request, action="export", object_type="accounts.ImportBatch", object_id=batch.pk)
    return FileResponse(batch.error_report.open("rb"), as_attachment=True, content_type="text/csv",
                        filename=f"import-{batch.pk}-errors.csv")


def _hx_redirect(url: str) -> HttpResponse:
    response = HttpResponse(status=204)
    response["HX-Redirect"] = url
    return response


def _preview_columns(batch: ImportBatch, preview: list[dict]) -> list[str]:
    """Line first, then the canonical order of the file kind, then derived values (ledger_amount)."""
    order = {name: i for i, name in enumerate(("line", *CANONICAL_HEADERS[batch.kind]))}
    return sorted(preview[0], key=lambda name: order.get(name, len(order))) if preview else []


def _status_context(batch: ImportBatch) -> dict:
    return {"batch": batch, "progress": selectors.import_progress(batch=batch),
            "in_progress": batch.status in selectors.IN_PROGRESS, "message": selectors.import_message(batch=batch),
            "not_started": batch.status in MAPPABLE and batch.started_at is None,
            "converting": batch.status == ImportStatus.CONVERTING,
            # refused at the door (an unreadable workbook, a full SSN, a dead converter): no file is kept
            "refused": batch.status in (ImportStatus.INVALID, ImportStatus.FAILED) and not batch.file}
