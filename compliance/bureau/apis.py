"""Credit reporting over HTTP: Metro 2 runs (list, create, detail with the blocked accounts) and the paid list."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import get_object_or_404
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import ACCOUNTING, ADMIN, COMPLIANCE, HasRole
from accounts.api_schema import paginated
from accounts.audit import client_meta
from accounts.models import Creditor
from compliance.models import Metro2Run

from . import selectors, services

REPORTING_ROLES = (ACCOUNTING, COMPLIANCE, ADMIN)


class Metro2RunSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    creditor = serializers.CharField(source="creditor.code")
    as_of = serializers.DateField()
    records = serializers.IntegerField(help_text="Base records written (header and trailer not counted)")
    blocked = serializers.IntegerField()
    skipped = serializers.IntegerField()
    sha256 = serializers.CharField()
    size_bytes = serializers.IntegerField()
    created_at = serializers.DateTimeField()


class Metro2ItemSerializer(serializers.Serializer):
    account_id = serializers.IntegerField()
    creditor_account_number = serializers.CharField(source="account.creditor_account_number")
    outcome = serializers.ChoiceField(choices=["reported", "blocked", "skipped"])
    line_no = serializers.IntegerField(allow_null=True)
    account_status = serializers.CharField()
    special_comment = serializers.CharField()
    compliance_condition_code = serializers.CharField()
    reasons = serializers.ListField(child=serializers.CharField())
    detail = serializers.CharField()


class Metro2RunDetailSerializer(Metro2RunSerializer):
    totals = serializers.DictField(child=serializers.IntegerField())
    items = Metro2ItemSerializer(many=True)


class RunFilterSerializer(serializers.Serializer):
    creditor = serializers.SlugRelatedField(slug_field="code", queryset=Creditor.objects.all(), required=False)
    page = serializers.IntegerField(min_value=1, required=False)


class PaidFilterSerializer(serializers.Serializer):
    creditor = serializers.SlugRelatedField(slug_field="code", queryset=Creditor.objects.all(), required=False)
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)


class Metro2RunListCreateApi(APIView):
    """GET: the furnishing runs, newest first. POST: write the month's Metro 2 file for a creditor."""

    permission_classes = [HasRole.of(*REPORTING_ROLES)]

    class Metro2RunInputSerializer(serializers.Serializer):
        creditor = serializers.SlugRelatedField(slug_field="code", queryset=Creditor.objects.all())
        as_of = serializers.DateField(help_text="Reporting period end")

    @extend_schema(operation_id="metro2_runs_list", responses=paginated(Metro2RunSerializer, name="Metro2RunPage"),
                   parameters=[OpenApiParameter("creditor", str, description="creditor code"),
                               OpenApiParameter("page", int, description="page number (50 a page)")])
    def get(self, request):
        query = RunFilterSerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        creditor = query.validated_data.get("creditor")
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(
            Metro2Run.objects.select_related("creditor").filter(**({"creditor": creditor} if creditor else {})),
            request, view=self)
        return paginator.get_paginated_response(Metro2RunSerializer(page, many=True).data)

    @extend_schema(operation_id="metro2_runs_create", request=Metro2RunInputSerializer,
                   responses={201: Metro2RunDetailSerializer})
    def post(self, request):
        data = self.Metro2RunInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        run = services.metro2_run_create(creditor=data.validated_data["creditor"], as_of=data.validated_data["as_of"],
                                         user=request.user, meta=client_meta(request))
        run = Metro2Run.objects.select_related("creditor").get(pk=run.pk)
        return Response(_detail(run), status=status.HTTP_201_CREATED)


def _detail(run):
    return Metro2RunDetailSerializer({
        **{f: getattr(run, f) for f in ("id", "as_of", "records", "blocked", "skipped", "sha256", "size_bytes",
                                        "created_at", "totals", "creditor")},
        "items": list(selectors.run_items(run=run).exclude(outcome="reported")[:1000])}).data


class Metro2RunDetailApi(APIView):
    """One run with its trailer totals and the accounts it did not report (blocked with reasons, skipped)."""

    permission_classes = [HasRole.of(*REPORTING_ROLES)]

    @extend_schema(responses=Metro2RunDetailSerializer)
    def get(self, request, pk: int):
        return Response(_detail(get_object_or_404(Metro2Run.objects.select_related("creditor"), pk=pk)))


class PaidListRowSerializer(serializers.Serializer):
    account_id = serializers.IntegerField()
    creditor = serializers.CharField()
    creditor_account_number = serializers.CharField()
    debtor = serializers.CharField()
    status = serializers.CharField(help_text="paid or settled")
    date_paid = serializers.DateField(allow_null=True)
    amount_paid = serializers.DecimalField(max_digits=14, decimal_places=2)
    original_balance = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    current_balance = serializers.DecimalField(max_digits=14, decimal_places=2)
    metro2_status = serializers.CharField()
    last_reported = serializers.CharField()


class PaidListApi(APIView):
    """The paid and settled accounts for creditors, with the date paid and the status sent to the bureaus."""

    permission_classes = [HasRole.of(*REPORTING_ROLES)]

    @extend_schema(responses=PaidListRowSerializer(many=True), parameters=[
        OpenApiParameter("creditor", str, description="creditor code"),
        OpenApiParameter("start", OpenApiTypes.DATE, description="paid on or after, YYYY-MM-DD"),
        OpenApiParameter("end", OpenApiTypes.DATE, description="paid on or before, YYYY-MM-DD")])
    def get(self, request):
        query = PaidFilterSerializer(data=request.query_params.dict())
        query.is_valid(raise_exception=True)
        rows = selectors.paid_list_rows(**{k: query.validated_data.get(k) for k in ("creditor", "start", "end")},
                                        limit=1000)
        return Response(PaidListRowSerializer(rows, many=True).data)
