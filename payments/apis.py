"""Payments, plans, promises and settlements over HTTP (DESIGN.md section 6)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import ACCOUNTING, ADMIN, ALL_ROLES, COLLECTOR, SUPERVISOR, HasRole, has_role
from accounts.models import Account

from . import selectors, services
from .models import Frequency, PaymentMethod, ReturnReason, SettlementKind

TAKE_ROLES = (COLLECTOR, SUPERVISOR, ACCOUNTING, ADMIN)   # may post payments
COMMIT_ROLES = (COLLECTOR, SUPERVISOR, ADMIN)             # may take promises, plans, offers


def _reads_all_writes(*roles):
    class ReadAllWriteSome(BasePermission):
        """Every role reads; only ``roles`` write."""

        def has_permission(self, request, view):
            wanted = ALL_ROLES if request.method in SAFE_METHODS else roles
            return has_role(request.user, *wanted)

    ReadAllWriteSome.roles = frozenset(roles)
    return ReadAllWriteSome


def _invalid(exc: ValidationError) -> ApiValidationError:
    if hasattr(exc, "error_dict"):
        return ApiValidationError(exc.message_dict)
    return ApiValidationError({"detail": exc.messages})


def _account(account_id: int) -> Account:
    return get_object_or_404(Account.objects.select_related("creditor", "debtor"), pk=account_id)


class AllocationSerializer(serializers.Serializer):
    bucket = serializers.CharField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)


class PaymentOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    account = serializers.IntegerField(source="account_id")
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    method = serializers.CharField()
    received_at = serializers.DateTimeField()
    reference = serializers.CharField()
    status = serializers.CharField()
    credit_amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    return_reason = serializers.CharField()
    idempotency_key = serializers.CharField()
    allocation = AllocationSerializer(source="allocations.all", many=True)


class AccountPaymentsApi(APIView):
    """POST: post a payment once per ``Idempotency-Key`` (201 new, 200 the original on a repeat, 409 when the
    same key comes with another body). GET: the account's payments, newest first."""

    permission_classes = [_reads_all_writes(*TAKE_ROLES)]

    class PaymentInputSerializer(serializers.Serializer):
        amount = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=Decimal("0.01"))
        method = serializers.ChoiceField(choices=PaymentMethod.choices)
        received_at = serializers.DateTimeField()
        reference = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)

    @extend_schema(responses=PaymentOutputSerializer(many=True))
    def get(self, request, account_id: int):
        _account(account_id)
        return Response(PaymentOutputSerializer(selectors.account_payments(account_id=account_id), many=True).data)

    @extend_schema(
        request=PaymentInputSerializer,
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=True,
                                     description="The same key twice posts once.")],
        responses={201: PaymentOutputSerializer, 200: PaymentOutputSerializer,
                   409: OpenApiResponse(description="The key was used for a different payment."),
                   400: OpenApiResponse(description="Invalid input, each field named.")})
    def post(self, request, account_id: int):
        account = _account(account_id)
        key = request.headers.get("Idempotency-Key", "")
        if not key.strip():
            raise ApiValidationError({"Idempotency-Key": ["This header is required."]})
        data = self.PaymentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            payment, created = services.payment_post(
                account=account, amount=data.validated_data["amount"], method=data.validated_data["method"],
                received_at=data.validated_data["received_at"], reference=data.validated_data["reference"],
                idempotency_key=key, source="api", user=request.user)
        except services.IdempotencyConflict as exc:
            return Response({"detail": str(exc), "payment": exc.payment.pk}, status=status.HTTP_409_CONFLICT)
        except ValidationError as exc:
            raise _invalid(exc) from None
        return Response(PaymentOutputSerializer(payment).data,
                        status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class PaymentReturnApi(APIView):
    """Accounting: a payment came back (NSF, chargeback, reversal). Returning twice changes nothing."""

    permission_classes = [HasRole.of(ACCOUNTING, ADMIN)]

    class ReturnInputSerializer(serializers.Serializer):
        reason = serializers.ChoiceField(choices=ReturnReason.choices)

    @extend_schema(request=ReturnInputSerializer, responses=PaymentOutputSerializer)
    def post(self, request, payment_id: int):
        from .models import Payment

        payment = get_object_or_404(Payment, pk=payment_id)
        data = self.ReturnInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            payment = services.payment_return(payment=payment, reason=data.validated_data["reason"],
                                              user=request.user)
        except ValidationError as exc:
            raise _invalid(exc) from None
        return Response(PaymentOutputSerializer(payment).data)


class InstallmentSerializer(serializers.Serializer):
    seq = serializers.IntegerField()
    due_date = serializers.DateField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    amount_paid = serializers.DecimalField(max_digits=14, decimal_places=2)
    status = serializers.CharField()


class PlanOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    account = serializers.IntegerField(source="account_id")
    total = serializers.DecimalField(max_digits=14, decimal_places=2)
    down_payment = serializers.DecimalField(max_digits=14, decimal_places=2)
    frequency = serializers.CharField()
    start_date = serializers.DateField()
    status = serializers.CharField()
    missed_count = serializers.IntegerField()
    grace_days = serializers.IntegerField()
    outside_guardrails = serializers.ListField(child=serializers.CharField())
    installments = InstallmentSerializer(source="installments.all", many=True)


class AccountPlansApi(APIView):
    """POST: a plan whose installments sum exactly to the total (201 with the schedule). GET: the plans."""

    permission_classes = [_reads_all_writes(*COMMIT_ROLES)]

    class PlanInputSerializer(serializers.Serializer):
        total = serializers.DecimalField(max_digits=14, decimal_places=2)
        down_payment = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, default=0)
        frequency = serializers.ChoiceField(choices=Frequency.choices)
        installments = serializers.IntegerField(required=False, min_value=1, max_value=520)
        installment_amount = serializers.DecimalField(max_digits=14, decimal_places=2, required=False)
        start_date = serializers.DateField()

        def validate(self, attrs):
            if not attrs.get("installments") and not attrs.get("installment_amount"):
                raise serializers.ValidationError({"installments": "Give installments or installment_amount."})
            return attrs

    @extend_schema(responses=PlanOutputSerializer(many=True))
    def get(self, request, account_id: int):
        _account(account_id)
        return Response(PlanOutputSerializer(selectors.account_plans(account_id=account_id), many=True).data)

    @extend_schema(request=PlanInputSerializer, responses={201: PlanOutputSerializer})
    def post(self, request, account_id: int):
        account = _account(account_id)
        data = self.PlanInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        try:
            plan = services.plan_create(account=account, total=d["total"], down_payment=d["down_payment"],
                                        frequency=d["frequency"], start_date=d["start_date"],
                                        installments=d.get("installments"),
                                        installment_amount=d.get("installment_amount"), user=request.user)
        except ValidationError as exc:
            raise _invalid(exc) from None
        return Response(PlanOutputSerializer(plan).data, status=status.HTTP_201_CREATED)


class PromiseOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    account = serializers.IntegerField(source="account_id")
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)
    due_date = serializers.DateField()
    method = serializers.CharField()
    status = serializers.CharField()
    amount_paid = serializers.DecimalField(max_digits=14, decimal_places=2)
    pickup_start = serializers.DateTimeField(allow_null=True)
    pickup_end = serializers.DateTimeField(allow_null=True)
    pickup_place = serializers.CharField()
    outside_guardrails = serializers.ListField(child=serializers.CharField())


class AccountPromisesApi(APIView):
    """POST: a promise to pay (outside the guardrails it waits for a supervisor). GET: the promises."""

    permission_classes = [_reads_all_writes(*COMMIT_ROLES)]

    class PromiseInputSerializer(serializers.Serializer):
        amount = serializers.DecimalField(max_digits=14, decimal_places=2)
        due_date = serializers.DateField()
        method = serializers.ChoiceField(choices=PaymentMethod.choices)
        pickup_start = serializers.DateTimeField(required=False, allow_null=True, default=None)
        pickup_end = serializers.DateTimeField(required=False, allow_null=True, default=None)
        pickup_place = serializers.CharField(required=False, allow_blank=True, default="", max_length=255)
        override_reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=255)

    @extend_schema(responses=PromiseOutputSerializer(many=True))
    def get(self, request, account_id: int):
        _account(account_id)
        return Response(PromiseOutputSerializer(selectors.account_promises(account_id=account_id), many=True).data)

    @extend_schema(request=PromiseInputSerializer, responses={201: PromiseOutputSerializer})
    def post(self, request, account_id: int):
        account = _account(account_id)
        data = self.PromiseInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            promise = services.promise_create(account=account, user=request.user, **data.validated_data)
        except ValidationError as exc:
            raise _invalid(exc) from None
        return Response(PromiseOutputSerializer(promise).data, status=status.HTTP_201_CREATED)


class SettlementOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    account = serializers.IntegerField(source="account_id")
    kind = serializers.CharField()
    balance_at_offer = serializers.DecimalField(max_digits=14, decimal_places=2)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    discount_pct = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    installments = serializers.IntegerField()
    expires_on = serializers.DateField(allow_null=True)
    new_due_date = serializers.DateField(allow_null=True)
    new_terms_days = serializers.IntegerField(allow_null=True)
    status = serializers.CharField()
    amount_paid = serializers.DecimalField(max_digits=14, decimal_places=2)


class AccountSettlementsApi(APIView):
    """POST: a settlement offer or credit extension (above the authority it waits for approval). GET: offers."""

    permission_classes = [_reads_all_writes(*COMMIT_ROLES)]

    class SettlementInputSerializer(serializers.Serializer):
        kind = serializers.ChoiceField(choices=SettlementKind.choices, required=False, default="settlement")
        amount = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True)
        discount_pct = serializers.DecimalField(max_digits=5, decimal_places=2, required=False, allow_null=True)
        installments = serializers.IntegerField(required=False, default=1, min_value=1, max_value=24)
        expires_on = serializers.DateField(required=False, allow_null=True)
        new_due_date = serializers.DateField(required=False, allow_null=True)
        new_terms_days = serializers.IntegerField(required=False, allow_null=True)
        reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=255)

    @extend_schema(responses=SettlementOutputSerializer(many=True))
    def get(self, request, account_id: int):
        _account(account_id)
        return Response(SettlementOutputSerializer(selectors.account_settlements(account_id=account_id),
                                                   many=True).data)

    @extend_schema(request=SettlementInputSerializer, responses={201: SettlementOutputSerializer})
    def post(self, request, account_id: int):
        account = _account(account_id)
        data = self.SettlementInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            offer = services.settlement_create(account=account, user=request.user, **data.validated_data)
        except ValidationError as exc:
            raise _invalid(exc) from None
        return Response(SettlementOutputSerializer(offer).data, status=status.HTTP_201_CREATED)
