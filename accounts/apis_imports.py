"""Ledger import API: upload, dry run, start, poll. Thin: parse, call accounts.imports.services, respond."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.generics import get_object_or_404
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from .access import ACCOUNTING, ADMIN, HasRole
from .api_schema import paginated
from .imports import selectors, services
from .ledger_csv import LedgerFileError, MappingSpec
from .models import Creditor, ImportBatch, ImportKind, ImportStatus

IMPORT_ROLES = HasRole.of(ACCOUNTING, ADMIN)


class ImportProgressSerializer(serializers.Serializer):
    status = serializers.CharField()
    rows_done = serializers.IntegerField()
    rows_total = serializers.IntegerField(allow_null=True)
    percent = serializers.IntegerField()
    rate = serializers.FloatField(allow_null=True, help_text="rows per second since the worker started")
    eta_seconds = serializers.IntegerField(allow_null=True)
    finished = serializers.BooleanField()


class ImportConversionSerializer(serializers.Serializer):
    workbook_bytes = serializers.IntegerField(required=False)
    csv_bytes = serializers.IntegerField(required=False, help_text="absent when the workbook was refused")
    seconds = serializers.FloatField(required=False)
    peak_rss_kb = serializers.IntegerField(required=False, help_text="the sandboxed reader's peak memory")


class ImportBatchOutputSerializer(serializers.ModelSerializer):
    status = serializers.CharField(help_text="converting (an XLSX workbook on a worker: poll), uploaded, validating, "
                                             "validated, invalid, queued, running, imported, already_imported or "
                                             "failed")
    restartable = serializers.BooleanField(help_text="false when starting it again cannot succeed: fix the file "
                                                     "and upload it again")
    creditor = serializers.CharField(source="creditor.code")
    uploaded_by = serializers.CharField(source="uploaded_by.username", default=None)
    progress = serializers.SerializerMethodField()
    error_report_url = serializers.SerializerMethodField()
    conversion = ImportConversionSerializer(help_text="XLSX uploads, once converted or refused: the conversion's "
                                                      "figures (empty for CSV uploads and while converting)")

    class Meta:
        model = ImportBatch
        fields = ["id", "status", "creditor", "kind", "original_name", "sha256", "size_bytes", "skip_invalid",
                  "mapping", "duplicate_of", "message", "rows_total", "rows_done", "created", "updated",
                  "duplicates", "errors", "progress", "error_report_url", "uploaded_by", "created_at",
                  "started_at", "finished_at", "heartbeat_at", "restartable", "sheet", "conversion"]

    @extend_schema_field(ImportProgressSerializer)
    def get_progress(self, batch) -> dict:
        return selectors.import_progress(batch=batch).as_dict()

    def get_error_report_url(self, batch) -> str | None:
        if not batch.error_report:
            return None
        url = reverse("accounts:import_error_report", args=[batch.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


def _batch_out(batch, request, status_code=status.HTTP_200_OK, **extra) -> Response:
    data = ImportBatchOutputSerializer(batch, context={"request": request}).data
    return Response({**data, **extra}, status=status_code)


def _file_error(exc: DjangoValidationError) -> ValidationError:
    return ValidationError({"file": exc.messages})


class ImportListCreateApi(APIView):
    permission_classes = [IMPORT_ROLES]
    parser_classes = [MultiPartParser, FormParser]

    class ImportCreateInputSerializer(serializers.Serializer):
        creditor = serializers.CharField(help_text="creditor code")
        kind = serializers.ChoiceField(choices=ImportKind.choices)
        file = serializers.FileField(allow_empty_file=True)  # the service names the empty file
        skip_invalid = serializers.BooleanField(default=False)
        mapping = serializers.JSONField(
            required=False, help_text="the mapping JSON the mapping page downloads and `import_ledger --mapping` "
            "reads ({\"version\": 2, \"fields\": …, \"values\": …, \"options\": …}, see the README), or the "
            "first form {file header: canonical field or null}")
        sheet = serializers.CharField(required=False, allow_blank=True, default="", max_length=100,
                                      help_text="XLSX files: the worksheet's name or number (default: the first)")

        def validate_creditor(self, code):
            creditor = Creditor.objects.filter(code=code).first()
            if creditor is None:
                raise serializers.ValidationError(f"Unknown creditor {code!r}.")
            return creditor

        def validate_mapping(self, mapping):
            if isinstance(mapping, dict) and ("version" in mapping or "fields" in mapping):
                kind = self.initial_data.get("kind")
                try:
                    MappingSpec.parse(mapping, kind if kind in ImportKind.values else ImportKind.TRANSACTIONS)
                except LedgerFileError as exc:
                    raise serializers.ValidationError(exc.message) from None
                return mapping
            if not isinstance(mapping, dict) or not all(isinstance(k, str) and (v is None or isinstance(v, str))
                                                        for k, v in mapping.items()):
                raise serializers.ValidationError("Give the mapping JSON (version 2) or an object of file header "
                                                  "-> canonical field (or null).")
            return mapping

    class ImportColumnsOutputSerializer(serializers.Serializer):
        headers = serializers.ListField(child=serializers.CharField())
        mapping = serializers.DictField(child=serializers.CharField(), source="by_header")
        missing = serializers.ListField(child=serializers.CharField())
        unmapped = serializers.ListField(child=serializers.CharField())
        conflicts = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
        ok = serializers.BooleanField()
        problem = serializers.CharField(source="problem_text", allow_null=True)

    @extend_schema(operation_id="imports_list",
                   responses=paginated(ImportBatchOutputSerializer, name="ImportBatchPage"),
                   parameters=[OpenApiParameter("page", int, description="page number (50 a page)")])
    def get(self, request):
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(selectors.import_batch_list(), request, view=self)
        data = ImportBatchOutputSerializer(page, many=True, context={"request": request}).data
        return paginator.get_paginated_response(data)

    @extend_schema(
        request={"multipart/form-data": ImportCreateInputSerializer},
        responses={
            201: OpenApiResponse(ImportBatchOutputSerializer, description=(
                "A CSV file, stored: the batch (`uploaded`, `invalid` or `already_imported`) with `columns`, how "
                "its headers map (absent for an already-imported file).")),
            202: OpenApiResponse(ImportBatchOutputSerializer, description=(
                "An XLSX workbook, stored: the batch is `converting` while a worker converts it to CSV in a "
                "sandboxed reader. Poll `GET /api/imports/{id}/` until `status` leaves `converting`: `uploaded` "
                "(then dry-run and start it as a CSV upload), `already_imported`, `invalid` (`message` names the "
                "limit or the problem: too many cells, columns or shared strings, a string too long, invalid XML, "
                "a DTD or entities, a corrupt member, a full SSN…) or `failed` (the worker stopped: upload it "
                "again). `conversion` then holds the reader's figures.")),
        },
        description="Upload a ledger file (CSV, or an XLSX workbook converted on a worker).")
    def post(self, request):
        incoming = self.ImportCreateInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        try:
            batch, columns = services.import_upload(
                creditor=data["creditor"], kind=data["kind"], fileobj=data["file"], original_name=data["file"].name,
                user=request.user, skip_invalid=data["skip_invalid"], mapping=data.get("mapping"),
                sheet=data.get("sheet", ""))
        except DjangoValidationError as exc:
            raise _file_error(exc) from exc
        if batch.status == ImportStatus.CONVERTING:
            return _batch_out(selectors.import_batch_get(batch_id=batch.pk), request, status.HTTP_202_ACCEPTED)
        extra = {}
        if columns is not None:
            columns_out = {"headers": columns.headers, "by_header": columns.by_header, "missing": columns.missing,
                           "unmapped": columns.unmapped, "conflicts": columns.conflicts, "ok": columns.ok,
                           "problem_text": columns.problem()}
            extra["columns"] = self.ImportColumnsOutputSerializer(columns_out).data
        return _batch_out(selectors.import_batch_get(batch_id=batch.pk), request, status.HTTP_201_CREATED, **extra)


class ImportDetailApi(APIView):
    permission_classes = [IMPORT_ROLES]

    @extend_schema(responses=ImportBatchOutputSerializer)
    def get(self, request, batch_id: int):
        batch = get_object_or_404(selectors.import_batch_list(), pk=batch_id)
        return _batch_out(batch, request)


class ImportDryRunApi(APIView):
    permission_classes = [IMPORT_ROLES]

    class ImportTypeTotalSerializer(serializers.Serializer):
        count = serializers.IntegerField()
        amount = serializers.DecimalField(max_digits=16, decimal_places=2, coerce_to_string=True)

    class ImportDryRunOutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        status = serializers.CharField()
        rows = serializers.IntegerField()
        valid = serializers.IntegerField()
        invalid = serializers.IntegerField()
        errors = serializers.IntegerField(help_text="lines in the error report (a row may have several)")
        totals = serializers.DictField(help_text="type -> {count, amount}")
        net_change = serializers.CharField(allow_null=True)
        preview = serializers.ListField(child=serializers.DictField())
        error_report_url = serializers.CharField(allow_null=True)

    class ImportProblemSerializer(serializers.Serializer):
        detail = serializers.CharField()

    @extend_schema(
        request=None,
        responses={
            200: ImportDryRunOutputSerializer,
            202: OpenApiResponse(ImportBatchOutputSerializer, description=(
                "The file is over the synchronous limit (LEDGER_DRY_RUN_SYNC_MAX_BYTES, the same as the upload "
                "page's): the dry run runs on a worker. Poll `GET /api/imports/{id}/` (its `progress`, the same "
                "shape as after `start`) until `progress.finished` or `status` is `validated` or `invalid`, then "
                "`GET` this URL for the results.")),
            400: OpenApiResponse(description="The file cannot be read or the database refused its content: "
                                             "`{\"file\": [message]}`; the batch records the same message."),
            409: OpenApiResponse(ImportProblemSerializer, description="The import has already started."),
            503: OpenApiResponse(ImportProblemSerializer, description="The database was unavailable; try again."),
        },
        description="Validate the whole file, writing nothing. Small files answer at once (200); big ones go to "
                    "a worker (202) and are polled like a running import.",
    )
    def post(self, request, batch_id: int):
        batch = get_object_or_404(selectors.import_batch_list(), pk=batch_id)
        try:
            batch, on_worker = services.import_dry_run_request(batch=batch)
        except services.ImportStateError as exc:
            return Response({"detail": exc.messages[0]}, status=status.HTTP_409_CONFLICT)
        except services.ImportDatabaseError as exc:
            if exc.transient:
                return Response({"detail": exc.messages[0]}, status=status.HTTP_503_SERVICE_UNAVAILABLE)
            raise _file_error(exc) from exc
        except DjangoValidationError as exc:
            raise _file_error(exc) from exc
        if on_worker:
            return _batch_out(selectors.import_batch_get(batch_id=batch.pk), request, status.HTTP_202_ACCEPTED)
        return self._results(batch, request)

    @extend_schema(
        responses={
            200: ImportDryRunOutputSerializer,
            202: OpenApiResponse(ImportBatchOutputSerializer, description="The dry run is still on a worker: "
                                                                          "poll again."),
            409: OpenApiResponse(ImportProblemSerializer, description="No dry run has finished for this batch."),
        },
        description="The last dry run's results (after a 202 from POST, once the batch's progress is finished).",
    )
    def get(self, request, batch_id: int):
        batch = get_object_or_404(selectors.import_batch_list(), pk=batch_id)
        if batch.status == ImportStatus.VALIDATING:
            return _batch_out(batch, request, status.HTTP_202_ACCEPTED)
        if not batch.summary:
            return Response({"detail": batch.message or "No dry run has finished for this import yet."},
                            status=status.HTTP_409_CONFLICT)
        return self._results(batch, request)

    def _results(self, batch, request) -> Response:
        _, error_total = selectors.import_error_rows(batch=batch, limit=0)
        summary = batch.summary or {}
        report_url = ImportBatchOutputSerializer(context={"request": request}).get_error_report_url(batch)
        data = {"id": batch.pk, "status": batch.status, **selectors.import_counts(batch=batch),
                "errors": error_total, "totals": summary.get("totals", {}), "net_change": summary.get("net_change"),
                "preview": summary.get("preview", []), "error_report_url": report_url}
        return Response(self.ImportDryRunOutputSerializer(data).data)


class ImportStartApi(APIView):
    permission_classes = [IMPORT_ROLES]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    class ImportStartInputSerializer(serializers.Serializer):
        skip_invalid = serializers.BooleanField(required=False, help_text="change the choice made on upload")

    @extend_schema(request=ImportStartInputSerializer, responses={202: ImportBatchOutputSerializer})
    def post(self, request, batch_id: int):
        batch = get_object_or_404(selectors.import_batch_list(), pk=batch_id)
        incoming = self.ImportStartInputSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        skip_invalid = incoming.validated_data.get("skip_invalid")
        try:
            if skip_invalid is not None and skip_invalid != batch.skip_invalid:
                services.import_skip_invalid_set(batch=batch, skip_invalid=skip_invalid)
            batch = services.import_start(batch=batch)
        except DjangoValidationError as exc:
            return Response({"detail": exc.messages[0]}, status=status.HTTP_409_CONFLICT)
        return _batch_out(batch, request, status.HTTP_202_ACCEPTED)
