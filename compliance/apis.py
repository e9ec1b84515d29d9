"""The contact gate over HTTP: log an attempt (POST) and ask before trying (GET)."""

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import ADMIN, COLLECTOR, COMPLIANCE, SUPERVISOR, HasRole
from accounts.audit import client_meta
from accounts.models import Account
from compliance.gate import contact_check, contact_inbound_record, contact_send
from compliance.models import CallOutcome, Channel, Direction

GATE_ROLES = (COLLECTOR, SUPERVISOR, COMPLIANCE, ADMIN)


class ContactViolationSerializer(serializers.Serializer):
    rule = serializers.CharField()
    reason = serializers.CharField()
    citation = serializers.CharField()
    message = serializers.CharField()


class ContactDecisionSerializer(serializers.Serializer):
    # "not_gated": an inbound contact, logged without asking the gate (nothing was sent)
    decision = serializers.ChoiceField(choices=["allow", "block", "not_gated"])
    reasons = serializers.ListField(child=serializers.CharField())
    violations = ContactViolationSerializer(many=True)
    next_allowed_at = serializers.DateTimeField(allow_null=True)
    # CFPB rebuttal signals and HIPAA reminders: they do not block, but an allowed attempt that
    # carries them needs "confirm_warnings": true (else 400 listing them, nothing recorded)
    warnings = ContactViolationSerializer(many=True, required=False, default=list)
    requires_confirmation = serializers.BooleanField(required=False, default=False)
    applied_rule_sets = serializers.ListField(child=serializers.CharField(), required=False, default=list)


def _invalid(exc: ValidationError) -> ApiValidationError:
    return ApiValidationError({"detail": exc.messages})


class ContactAttemptCreateApi(APIView):
    """An attempt through the gate: 201 when allowed, 422 with the reasons when blocked (still logged).

    When the gate allows but warns (``requires_confirmation`` from the check endpoint), a client
    that shows the warnings sends ``"confirm_warnings": true`` (or false, to be refused with 400).

    ``"direction": "inbound"`` logs a contact the consumer made (``to`` is then the number or
    address it came from): not gated, always 201. ``responds_to`` names the inbound contact an
    outbound attempt answers (once, same medium).
    """

    permission_classes = [HasRole.of(*GATE_ROLES)]

    class ContactAttemptInputSerializer(serializers.Serializer):
        channel = serializers.ChoiceField(choices=Channel.choices)
        direction = serializers.ChoiceField(choices=Direction.choices, required=False, default=Direction.OUTBOUND)
        to = serializers.CharField(required=False, allow_blank=True, default="")
        outcome = serializers.ChoiceField(choices=CallOutcome.choices, required=False, allow_blank=True, default="")
        notes = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)
        responds_to = serializers.IntegerField(required=False, allow_null=True, default=None)
        confirm_warnings = serializers.BooleanField(
            required=False, allow_null=True, default=None,
            help_text="true: the collector read and confirms the gate's warnings (logged in the audit trail); "
                      "false: refuse (400) if the gate warns; absent: record with the warnings unconfirmed")

    class ContactAttemptOutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        channel = serializers.CharField()
        direction = serializers.CharField()
        to = serializers.CharField()
        outcome = serializers.CharField()
        responds_to = serializers.IntegerField(source="responds_to_id", allow_null=True)
        status = serializers.CharField()
        requested_at = serializers.DateTimeField()
        idempotency_key = serializers.CharField()
        decision = ContactDecisionSerializer()

    @extend_schema(
        request=ContactAttemptInputSerializer,
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=False)],
        responses={201: ContactAttemptOutputSerializer, 200: ContactAttemptOutputSerializer,
                   422: ContactAttemptOutputSerializer},
    )
    def post(self, request, account_id: int):
        account = get_object_or_404(Account.objects.select_related("debtor"), pk=account_id)
        data = self.ContactAttemptInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        key = request.headers.get("Idempotency-Key")
        try:
            if fields.pop("direction") == Direction.INBOUND:
                fields.pop("confirm_warnings")
                if fields.pop("responds_to"):
                    raise ValidationError("An inbound contact does not respond to anything.")
                attempt = contact_inbound_record(account=account, user=request.user, idempotency_key=key,
                                                 from_=fields.pop("to"), **fields)
            else:
                attempt = contact_send(account=account, user=request.user, idempotency_key=key,
                                       meta=client_meta(request), **fields)
        except ValidationError as exc:
            raise _invalid(exc) from exc
        body = self.ContactAttemptOutputSerializer(attempt).data
        if attempt.decision["decision"] == "block":
            return Response(body, status=status.HTTP_422_UNPROCESSABLE_ENTITY)
        return Response(body, status=status.HTTP_200_OK if attempt.replayed else status.HTTP_201_CREATED)


class ContactCheckApi(APIView):
    """Read-only: would the gate allow this contact now? Drives the enabled/disabled buttons."""

    permission_classes = [HasRole.of(*GATE_ROLES)]

    class ContactCheckInputSerializer(serializers.Serializer):
        channel = serializers.ChoiceField(choices=Channel.choices)
        to = serializers.CharField(required=False, allow_blank=True)

    class ContactCheckOutputSerializer(ContactDecisionSerializer):
        channel = serializers.CharField()
        to = serializers.CharField()

    @extend_schema(parameters=[ContactCheckInputSerializer], responses=ContactCheckOutputSerializer)
    def get(self, request, account_id: int):
        account = get_object_or_404(Account.objects.select_related("debtor"), pk=account_id)
        data = self.ContactCheckInputSerializer(data=request.query_params)
        data.is_valid(raise_exception=True)
        try:
            decision = contact_check(account=account, user=request.user, **data.validated_data)
        except ValidationError as exc:
            raise _invalid(exc) from exc
        return Response(self.ContactCheckOutputSerializer(decision).data)
