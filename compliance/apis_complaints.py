"""Complaints over HTTP (compliance, admin): log with a deadline, respond, close."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import ADMIN, COMPLIANCE, HasRole
from accounts.audit import client_meta
from accounts.models import Account
from compliance.models import Complaint, ComplaintSource
from compliance.services import complaint_close, complaint_counts, complaint_record, complaint_respond

COMPLAINT_ROLES = (COMPLIANCE, ADMIN)
LIST_LIMIT = 200


def _body_account(account_id: int) -> Account:
    """An account named in the body: unknown is a 400 on that field (404 is for the path)."""
    account = Account.objects.select_related("debtor").filter(pk=account_id).first()
    if account is None:
        raise ApiValidationError({"account": [f"No account {account_id}."]})
    return account


def _invalid(exc: ValidationError) -> ApiValidationError:
    if hasattr(exc, "error_dict"):
        return ApiValidationError(exc.message_dict)
    return ApiValidationError({"detail": exc.messages})


class ComplaintSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    account = serializers.IntegerField(source="account_id")
    source = serializers.CharField()
    regulator = serializers.CharField()
    reference = serializers.CharField()
    received_at = serializers.DateTimeField()
    due_at = serializers.DateTimeField()
    category = serializers.CharField()
    description = serializers.CharField()
    status = serializers.CharField()
    response = serializers.CharField()
    responded_at = serializers.DateTimeField(allow_null=True)
    responded_late = serializers.BooleanField()
    closed_at = serializers.DateTimeField(allow_null=True)


class ComplaintListSerializer(serializers.Serializer):
    open = serializers.IntegerField()
    overdue = serializers.IntegerField()
    results = ComplaintSerializer(many=True)


class ComplaintListCreateApi(APIView):
    """GET: unanswered complaints, soonest deadline first, with the open and overdue counts. POST: log a
    complaint (debtor, regulator, CFPB portal); the deadline follows the source (CFPB portal: 15 days)
    unless an earlier one is given, and the account's records are held until it is closed."""

    permission_classes = [HasRole.of(*COMPLAINT_ROLES)]

    class ComplaintInputSerializer(serializers.Serializer):
        account = serializers.IntegerField(min_value=1)
        source = serializers.ChoiceField(choices=ComplaintSource.choices)
        description = serializers.CharField(max_length=5000)
        received_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
        due_at = serializers.DateTimeField(required=False, allow_null=True, default=None)
        regulator = serializers.CharField(required=False, allow_blank=True, default="", max_length=120)
        reference = serializers.CharField(required=False, allow_blank=True, default="", max_length=64)
        category = serializers.CharField(required=False, allow_blank=True, default="", max_length=80)

    @extend_schema(responses=ComplaintListSerializer)
    def get(self, request):
        rows = Complaint.objects.filter(status__in=["open", "investigating"]).order_by("due_at", "id")[:LIST_LIMIT]
        return Response(ComplaintListSerializer({**complaint_counts(), "results": rows}).data)

    @extend_schema(request=ComplaintInputSerializer, responses={201: ComplaintSerializer})
    def post(self, request):
        data = self.ComplaintInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        account = _body_account(fields.pop("account"))
        try:
            complaint = complaint_record(account=account, user=request.user, meta=client_meta(request), **fields)
        except ValidationError as exc:
            raise _invalid(exc) from exc
        return Response(ComplaintSerializer(complaint).data, status=status.HTTP_201_CREATED)


class ComplaintRespondApi(APIView):
    """Record the response sent (a response after the deadline is kept as late)."""

    permission_classes = [HasRole.of(*COMPLAINT_ROLES)]

    class RespondInputSerializer(serializers.Serializer):
        response = serializers.CharField(max_length=5000)

    @extend_schema(request=RespondInputSerializer, responses=ComplaintSerializer)
    def post(self, request, complaint_id: int):
        complaint = get_object_or_404(Complaint, pk=complaint_id)
        data = self.RespondInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            complaint = complaint_respond(complaint=complaint, user=request.user, meta=client_meta(request),
                                          **data.validated_data)
        except ValidationError as exc:
            raise _invalid(exc) from exc
        return Response(ComplaintSerializer(complaint).data)


class ComplaintCloseApi(APIView):
    """Close a responded complaint; its legal hold is released."""

    permission_classes = [HasRole.of(*COMPLAINT_ROLES)]

    @extend_schema(request=None, responses=ComplaintSerializer)
    def post(self, request, complaint_id: int):
        complaint = get_object_or_404(Complaint, pk=complaint_id)
        try:
            complaint = complaint_close(complaint=complaint, user=request.user, meta=client_meta(request))
        except ValidationError as exc:
            raise _invalid(exc) from exc
        return Response(ComplaintSerializer(complaint).data)
