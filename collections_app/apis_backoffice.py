"""Skip-trace cases and escalations over HTTP (collectors, supervisors, admin). Views parse, call, respond."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import ADMIN, COLLECTOR, SUPERVISOR, HasRole
from accounts.models import Account
from collections_app.escalations import services as esc
from collections_app.models import (
    Escalation,
    EscalationKind,
    SkipLead,
    SkipSource,
    SkipStatus,
    SkipTraceCase,
    SuitStage,
    User,
)
from collections_app.skiptrace import services as skip
from compliance.apis import ContactDecisionSerializer
from compliance.models import CallOutcome

BACK_OFFICE_ROLES = (COLLECTOR, SUPERVISOR, ADMIN)
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


# --- skip trace ------------------------------------------------------------------------------------

class SkipSearchSerializer(serializers.Serializer):
    source = serializers.CharField()
    result = serializers.CharField()
    detail = serializers.CharField()
    at = serializers.DateTimeField()


class SkipLeadSerializer(serializers.Serializer):
    source = serializers.CharField()
    kind = serializers.CharField()
    value = serializers.CharField()
    at = serializers.DateTimeField()


class SkipCaseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    account = serializers.IntegerField(source="account_id")
    status = serializers.CharField()
    reason = serializers.CharField()
    owner = serializers.CharField(source="owner.username", allow_null=True, default=None)
    opened_at = serializers.DateTimeField()
    located_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    notes = serializers.CharField()


class SkipCaseDetailSerializer(SkipCaseSerializer):
    searches = SkipSearchSerializer(many=True, source="searches.all")
    leads = SkipLeadSerializer(many=True, source="leads.all")


class SkipCaseListCreateApi(APIView):
    """GET: live skip-trace cases (open, searching, not found), oldest first. POST: open a case on an account
    (returns the live one, 200, if there is already one)."""

    permission_classes = [HasRole.of(*BACK_OFFICE_ROLES)]

    class SkipCaseOpenSerializer(serializers.Serializer):
        account = serializers.IntegerField(min_value=1)
        notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)

    @extend_schema(responses=SkipCaseSerializer(many=True))
    def get(self, request):
        cases = (SkipTraceCase.objects.filter(status__in=[SkipStatus.OPEN, SkipStatus.SEARCHING,
                                                          SkipStatus.NOT_FOUND])
                 .select_related("owner").order_by("opened_at", "id")[:LIST_LIMIT])
        return Response(SkipCaseSerializer(cases, many=True).data)

    @extend_schema(request=SkipCaseOpenSerializer, responses={201: SkipCaseSerializer, 200: SkipCaseSerializer})
    def post(self, request):
        data = self.SkipCaseOpenSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        account = _body_account(data.validated_data["account"])
        before = SkipTraceCase.objects.filter(account=account, status__in=[SkipStatus.OPEN, SkipStatus.SEARCHING])
        existed = before.exists()
        try:
            case = skip.skip_case_open(account=account, user=request.user, notes=data.validated_data["notes"])
        except ValidationError as exc:
            raise _invalid(exc) from exc
        return Response(SkipCaseSerializer(case).data,
                        status=status.HTTP_200_OK if existed else status.HTTP_201_CREATED)


class SkipCaseDetailApi(APIView):
    """One case with the sources tried and the contact points found."""

    permission_classes = [HasRole.of(*BACK_OFFICE_ROLES)]

    @extend_schema(responses=SkipCaseDetailSerializer)
    def get(self, request, case_id: int):
        case = get_object_or_404(SkipTraceCase.objects.select_related("owner"), pk=case_id)
        return Response(SkipCaseDetailSerializer(case).data)


class SkipCaseStatusApi(APIView):
    """Move a case (``to_status``): ``located`` (needs a usable address or phone; the account returns to its queue),
    ``not_found`` or ``closed``."""

    permission_classes = [HasRole.of(*BACK_OFFICE_ROLES)]

    class SkipStatusInputSerializer(serializers.Serializer):
        to_status = serializers.ChoiceField(choices=[SkipStatus.LOCATED, SkipStatus.NOT_FOUND, SkipStatus.CLOSED])
        notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)

    @extend_schema(request=SkipStatusInputSerializer, responses=SkipCaseSerializer)
    def post(self, request, case_id: int):
        case = get_object_or_404(SkipTraceCase, pk=case_id)
        data = self.SkipStatusInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        action = {SkipStatus.LOCATED: skip.skip_case_locate, SkipStatus.NOT_FOUND: skip.skip_case_not_found,
                  SkipStatus.CLOSED: skip.skip_case_close}[data.validated_data["to_status"]]
        try:
            case = action(case=case, user=request.user, notes=data.validated_data["notes"])
        except ValidationError as exc:
            raise _invalid(exc) from exc
        return Response(SkipCaseSerializer(case).data)


class SkipLeadCreateApi(APIView):
    """Record a contact point a source gave (phone, email or address); it is added to the debtor with that
    source, which the gate reads as ``number_source``."""

    permission_classes = [HasRole.of(*BACK_OFFICE_ROLES)]

    class SkipLeadInputSerializer(serializers.Serializer):
        source = serializers.ChoiceField(choices=[c for c in SkipSource.choices if c[0] != SkipSource.LOCATION_CALL])
        kind = serializers.ChoiceField(choices=SkipLead.Kind.choices)
        value = serializers.CharField(required=False, allow_blank=True, default="", max_length=254)
        line1 = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
        city = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
        state = serializers.CharField(required=False, allow_blank=True, default="", max_length=2)
        zip_code = serializers.CharField(required=False, allow_blank=True, default="", max_length=10)

    @extend_schema(request=SkipLeadInputSerializer, responses={201: SkipLeadSerializer})
    def post(self, request, case_id: int):
        case = get_object_or_404(SkipTraceCase, pk=case_id)
        data = self.SkipLeadInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            lead = skip.skip_lead_add(case=case, user=request.user, **data.validated_data)
        except ValidationError as exc:
            raise _invalid(exc) from exc
        return Response(SkipLeadSerializer(lead).data, status=status.HTTP_201_CREATED)


class LocationCallSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    to = serializers.CharField()
    third_party_id = serializers.CharField()
    third_party_name = serializers.CharField()
    outcome = serializers.CharField()
    status = serializers.CharField()
    requested_at = serializers.DateTimeField()
    decision = ContactDecisionSerializer()


class LocationCallCreateApi(APIView):
    """A location call to a third party through the gate (15 USC 1692b: once per third party unless they
    ask for more). 201 when allowed; 422 with the reasons when blocked (logged: do not dial)."""

    permission_classes = [HasRole.of(*BACK_OFFICE_ROLES)]

    class LocationCallInputSerializer(serializers.Serializer):
        to = serializers.CharField(max_length=32)
        name = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
        relationship = serializers.CharField(required=False, allow_blank=True, default="", max_length=40)
        outcome = serializers.ChoiceField(choices=CallOutcome.choices)
        earlier_answer_wrong = serializers.BooleanField(required=False, default=False)
        asked_to_be_called_again = serializers.BooleanField(required=False, default=False)
        notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)

    @extend_schema(request=LocationCallInputSerializer,
                   parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=False)],
                   responses={201: LocationCallSerializer, 422: LocationCallSerializer})
    def post(self, request, case_id: int):
        case = get_object_or_404(SkipTraceCase, pk=case_id)
        data = self.LocationCallInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            attempt = skip.skip_location_call(case=case, user=request.user,
                                              idempotency_key=request.headers.get("Idempotency-Key"),
                                              **data.validated_data)
        except ValidationError as exc:
            raise _invalid(exc) from exc
        blocked = attempt.decision.get("decision") != "allow"
        return Response(LocationCallSerializer(attempt).data,
                        status=status.HTTP_422_UNPROCESSABLE_ENTITY if blocked else status.HTTP_201_CREATED)


# --- escalations -----------------------------------------------------------------------------------

class EscalationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    account = serializers.IntegerField(source="account_id")
    kind = serializers.CharField()
    status = serializers.CharField()
    reason = serializers.CharField()
    owner = serializers.CharField(source="owner.username")
    due_on = serializers.DateField()
    created_at = serializers.DateTimeField()
    resolved_at = serializers.DateTimeField(allow_null=True)
    resolution = serializers.CharField()
    attorney_name = serializers.CharField()
    attorney_firm = serializers.CharField()
    suit_stage = serializers.CharField()
    court_case_number = serializers.CharField()
    fraud_claim_id = serializers.IntegerField(allow_null=True)
    disputed_amount = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    adjustment_amount = serializers.DecimalField(max_digits=14, decimal_places=2, allow_null=True)
    adjustment_status = serializers.CharField()
    adjustment_entry_id = serializers.IntegerField(allow_null=True)


def _owner(username: str):
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise ApiValidationError({"owner": [f"No active user {username!r}."]})
    return user


class EscalationListCreateApi(APIView):
    """GET: open escalations, soonest due first. POST: escalate an account (legal, fraud, management,
    senior collector, billing discrepancy) with a reason, an owner and a due date. A fraud escalation
    records a fraud claim: the gate then holds every channel, credit reporting included."""

    permission_classes = [HasRole.of(*BACK_OFFICE_ROLES)]

    class EscalationInputSerializer(serializers.Serializer):
        account = serializers.IntegerField(min_value=1)
        kind = serializers.ChoiceField(choices=EscalationKind.choices)
        reason = serializers.CharField(max_length=2000)
        owner = serializers.CharField(max_length=150, help_text="Username of the owner")
        due_on = serializers.DateField()
        attorney_name = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
        attorney_firm = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
        suit_stage = serializers.ChoiceField(choices=SuitStage.choices, required=False, allow_blank=True, default="")
        court_case_number = serializers.CharField(required=False, allow_blank=True, default="", max_length=60)
        disputed_amount = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True,
                                                   default=None)
        identity_theft_report = serializers.BooleanField(required=False, default=False)

    @extend_schema(responses=EscalationSerializer(many=True))
    def get(self, request):
        rows = (Escalation.objects.filter(status__in=["open", "in_progress"]).select_related("owner")
                .order_by("due_on", "id")[:LIST_LIMIT])
        return Response(EscalationSerializer(rows, many=True).data)

    @extend_schema(request=EscalationInputSerializer, responses={201: EscalationSerializer})
    def post(self, request):
        data = self.EscalationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        account = _body_account(fields.pop("account"))
        fields["owner"] = _owner(fields["owner"])
        try:
            escalation = esc.escalation_create(account=account, user=request.user, **fields)
        except ValidationError as exc:
            raise _invalid(exc) from exc
        return Response(EscalationSerializer(escalation).data, status=status.HTTP_201_CREATED)


class EscalationDetailApi(APIView):
    """GET one escalation. POST: reassign, re-date, start work or move a legal referral's suit stage
    (a filed suit places a legal hold on the account)."""

    permission_classes = [HasRole.of(*BACK_OFFICE_ROLES)]

    class EscalationUpdateSerializer(serializers.Serializer):
        owner = serializers.CharField(required=False, max_length=150)
        due_on = serializers.DateField(required=False)
        start_work = serializers.BooleanField(required=False, default=False,
                                              help_text="Move an open escalation to in progress")
        suit_stage = serializers.ChoiceField(choices=SuitStage.choices, required=False)
        attorney_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
        attorney_firm = serializers.CharField(required=False, allow_blank=True, max_length=200)
        court_case_number = serializers.CharField(required=False, allow_blank=True, max_length=60)

    @extend_schema(responses=EscalationSerializer)
    def get(self, request, escalation_id: int):
        return Response(EscalationSerializer(get_object_or_404(Escalation, pk=escalation_id)).data)

    @extend_schema(request=EscalationUpdateSerializer, responses=EscalationSerializer,
                   operation_id="escalation_update")
    def post(self, request, escalation_id: int):
        escalation = get_object_or_404(Escalation, pk=escalation_id)
        data = self.EscalationUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        if "owner" in fields:
            fields["owner"] = _owner(fields["owner"])
        if fields.pop("start_work") and escalation.status == "open":
            fields["status"] = "in_progress"
        try:
            escalation = esc.escalation_update(escalation=escalation, user=request.user, **fields)
        except ValidationError as exc:
            raise _invalid(exc) from exc
        return Response(EscalationSerializer(escalation).data)


class EscalationResolveApi(APIView):
    """Resolve (or cancel) with what was done; the account returns to its queue if nothing else holds it."""

    permission_classes = [HasRole.of(*BACK_OFFICE_ROLES)]

    class ResolveInputSerializer(serializers.Serializer):
        resolution = serializers.CharField(max_length=2000)
        cancel = serializers.BooleanField(required=False, default=False)

    @extend_schema(request=ResolveInputSerializer, responses=EscalationSerializer)
    def post(self, request, escalation_id: int):
        escalation = get_object_or_404(Escalation, pk=escalation_id)
        data = self.ResolveInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            escalation = esc.escalation_resolve(escalation=escalation, user=request.user, **data.validated_data)
        except ValidationError as exc:
            raise _invalid(exc) from exc
        return Response(EscalationSerializer(escalation).data)


class EscalationAdjustmentApi(APIView):
    """Billing-discrepancy research: POST proposes a signed adjustment (negative lowers the debt); it is
    posted to the ledger only when a supervisor other than the proposer approves it (``.../decide/``)."""

    permission_classes = [HasRole.of(*BACK_OFFICE_ROLES)]

    class AdjustmentInputSerializer(serializers.Serializer):
        amount = serializers.DecimalField(max_digits=14, decimal_places=2)
        memo = serializers.CharField(max_length=200)

    @extend_schema(request=AdjustmentInputSerializer, responses=EscalationSerializer)
    def post(self, request, escalation_id: int):
        escalation = get_object_or_404(Escalation, pk=escalation_id)
        data = self.AdjustmentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            escalation = esc.discrepancy_adjustment_propose(escalation=escalation, user=request.user,
                                                            **data.validated_data)
        except ValidationError as exc:
            raise _invalid(exc) from exc
        return Response(EscalationSerializer(escalation).data)


class EscalationAdjustmentDecideApi(APIView):
    """A supervisor (not the proposer) approves the adjustment, which posts the ledger entry, or rejects it."""

    permission_classes = [HasRole.of(SUPERVISOR, ADMIN)]

    class DecideInputSerializer(serializers.Serializer):
        approve = serializers.BooleanField()
        note = serializers.CharField(required=False, allow_blank=True, default="", max_length=255)

    @extend_schema(request=DecideInputSerializer, responses=EscalationSerializer)
    def post(self, request, escalation_id: int):
        escalation = get_object_or_404(Escalation, pk=escalation_id)
        data = self.DecideInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            escalation = esc.discrepancy_adjustment_decide(escalation=escalation, user=request.user,
                                                           **data.validated_data)
        except ValidationError as exc:
            raise _invalid(exc) from exc
        return Response(EscalationSerializer(escalation).data)

