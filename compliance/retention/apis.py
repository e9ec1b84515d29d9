"""Retention over HTTP: policies, legal holds (place, release), the purge preview and the purge certificates."""

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import ADMIN, COMPLIANCE, HasRole
from accounts.audit import client_meta
from accounts.models import Account
from compliance.models import HoldKind, LegalHold, PurgeRun, RecordKind, RetentionPolicy
from compliance.services.holds import place_hold, release_hold

from .services import purge_plan

RETENTION_ROLES = (COMPLIANCE, ADMIN)


class RetentionPolicySerializer(serializers.ModelSerializer):
    kind = serializers.CharField(help_text="record kind: " + ", ".join(RecordKind.values))
    action = serializers.CharField(help_text="anonymise or delete")

    class Meta:
        model = RetentionPolicy
        fields = ["id", "kind", "retention_days", "measured_from", "action", "basis", "is_active", "updated_at"]


class LegalHoldSerializer(serializers.ModelSerializer):
    class Meta:
        model = LegalHold
        fields = ["id", "account", "kind", "reason", "ref", "placed_by", "placed_at", "released_at", "released_by"]


class PurgePlanKindSerializer(serializers.Serializer):
    policy_days = serializers.IntegerField()
    basis = serializers.CharField()
    action = serializers.CharField()
    cutoff = serializers.DateTimeField()
    count = serializers.IntegerField()
    held_back = serializers.IntegerField()
    first = serializers.ListField(child=serializers.CharField())


class PurgeRunSerializer(serializers.ModelSerializer):
    counts = serializers.DictField(child=serializers.IntegerField())
    certificate = serializers.DictField()

    class Meta:
        model = PurgeRun
        fields = ["id", "dry_run", "started_at", "finished_at", "counts", "certificate", "user"]


class RetentionPolicyListApi(APIView):
    permission_classes = [HasRole.of(*RETENTION_ROLES)]

    @extend_schema(responses=RetentionPolicySerializer(many=True))
    def get(self, request):
        return Response(RetentionPolicySerializer(RetentionPolicy.objects.order_by("kind"), many=True).data)


class LegalHoldListCreateApi(APIView):
    """GET: active holds. POST: place a hold on an account (stops its purge; fraud holds also stop reporting)."""

    permission_classes = [HasRole.of(*RETENTION_ROLES)]

    class LegalHoldInputSerializer(serializers.Serializer):
        account = serializers.PrimaryKeyRelatedField(queryset=Account.objects.all())
        kind = serializers.ChoiceField(choices=HoldKind.choices)
        reason = serializers.CharField(max_length=2000)
        ref = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")

    @extend_schema(responses=LegalHoldSerializer(many=True))
    def get(self, request):
        return Response(LegalHoldSerializer(LegalHold.objects.active()[:1000], many=True).data)

    @extend_schema(request=LegalHoldInputSerializer, responses={201: LegalHoldSerializer})
    def post(self, request):
        data = self.LegalHoldInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        try:
            hold = place_hold(v["account"], v["kind"], v["reason"], ref=v["ref"], user=request.user,
                              meta=client_meta(request))
        except ValidationError as exc:
            raise ApiValidationError({"detail": exc.messages}) from exc
        return Response(LegalHoldSerializer(hold).data, status=status.HTTP_201_CREATED)


class LegalHoldReleaseApi(APIView):
    permission_classes = [HasRole.of(*RETENTION_ROLES)]

    @extend_schema(request=None, responses=LegalHoldSerializer)
    def post(self, request, pk: int):
        hold = get_object_or_404(LegalHold, pk=pk)
        try:
            hold = release_hold(hold, user=request.user, meta=client_meta(request))
        except ValidationError as exc:
            raise ApiValidationError({"detail": exc.messages}) from exc
        return Response(LegalHoldSerializer(hold).data)


class PurgePreviewApi(APIView):
    """The dry run: per record kind, what the purge would take now and what holds keep back. Changes nothing."""

    permission_classes = [HasRole.of(*RETENTION_ROLES)]

    @extend_schema(responses=inline_serializer(name="PurgePreview", fields={
        kind: PurgePlanKindSerializer(required=False) for kind in RecordKind.values}))
    def get(self, request):
        return Response({k: PurgePlanKindSerializer(v).data for k, v in purge_plan().items()})


class PurgeRunListApi(APIView):
    """Purge runs with their certificates (what, how many, which policy, held back), newest first."""

    permission_classes = [HasRole.of(*RETENTION_ROLES)]

    @extend_schema(responses=PurgeRunSerializer(many=True))
    def get(self, request):
        return Response(PurgeRunSerializer(PurgeRun.objects.all()[:100], many=True).data)
