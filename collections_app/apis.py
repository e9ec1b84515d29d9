"""The worklist over HTTP: next account (a lease), skip, and contact attempts that count as dispositions."""

from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.access import ADMIN, COLLECTOR, SUPERVISOR, HasRole
from compliance.apis import ContactAttemptCreateApi
from compliance.models import ContactAttempt

from .models.worklist import agency_today
from .worklist import scoring
from .worklist.dispositions import disposition_for_attempt, skip
from .worklist.leasing import StillHolding, next_account

WORKLIST_ROLES = (COLLECTOR, SUPERVISOR, ADMIN)


class LeasedAccountSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    creditor = serializers.CharField(source="creditor.code")
    creditor_account_number = serializers.CharField()
    debtor_name = serializers.CharField(source="debtor.display_name")
    debt_type = serializers.CharField()
    status = serializers.CharField()
    current_balance = serializers.DecimalField(max_digits=14, decimal_places=2)
    bucket = serializers.CharField(source="work_item.bucket")
    days_past_due = serializers.IntegerField(source="work_item.dpd")
    score = serializers.DecimalField(source="work_item.score", max_digits=9, decimal_places=2)


# The next-account answer is built by hand (``next_account_body``): a DRF serializer deep-copies its
# fields on every instance, which cost a seventh of a pop's Python under 32 collectors. These field
# instances format the values exactly as the serializers do; tests/worklist/test_api.py compares the two.
_MONEY = serializers.DecimalField(max_digits=14, decimal_places=2)
_SCORE = serializers.DecimalField(max_digits=9, decimal_places=2)
_WHEN = serializers.DateTimeField()


def next_account_body(lease, *, today) -> dict:
    """``WorklistNextApi.NextOutputSerializer``'s output for a lease (the schema documents that serializer)."""
    account, item = lease.account, lease.item
    parts, dpd = scoring.unpack(item.components, item.bucket, as_of=today), item.dpd_on(today)
    return {
        "account": {
            "id": account.pk, "creditor": str(account.creditor.code),
            "creditor_account_number": str(account.creditor_account_number),
            "debtor_name": str(account.debtor.display_name), "debt_type": str(account.debt_type),
            "status": str(account.status), "current_balance": _MONEY.to_representation(account.current_balance),
            "bucket": str(item.bucket), "days_past_due": int(dpd), "score": _SCORE.to_representation(item.score)},
        "lease_expires_at": _WHEN.to_representation(lease.expires_at),
        "reasons": [str(r) for r in scoring.reasons(parts, dpd=dpd)],
        "headline": str(scoring.headline(parts, dpd=dpd)),
        "callback_due_at": _WHEN.to_representation(lease.callback.due_at) if lease.callback else None}


class HeldSerializer(serializers.Serializer):
    detail = serializers.CharField()
    account_id = serializers.IntegerField()


class WorklistNextApi(APIView):
    """Lease the caller's next workable account: due callbacks first, then assigned accounts, then the
    queues the caller works, best first, passing over accounts the compliance gate cannot contact now.

    200 with the account, when the lease ends and why it comes first; 204 when nothing is workable
    now; 409 while the caller still holds an account without a disposition.
    """

    permission_classes = [HasRole.of(*WORKLIST_ROLES)]

    class NextOutputSerializer(serializers.Serializer):
        account = LeasedAccountSerializer()
        lease_expires_at = serializers.DateTimeField()
        reasons = serializers.ListField(child=serializers.CharField())
        headline = serializers.CharField()
        callback_due_at = serializers.DateTimeField(allow_null=True)

    @extend_schema(request=None, responses={
        200: NextOutputSerializer, 204: OpenApiResponse(description="Nothing workable now"), 409: HeldSerializer})
    def post(self, request):
        try:
            lease = next_account(user=request.user)
        except StillHolding as held:
            return Response({"detail": str(held), "account_id": held.item.account_id}, status=status.HTTP_409_CONFLICT)
        if lease is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(next_account_body(lease, today=agency_today()))


class WorklistSkipApi(APIView):
    """Give back the account the caller holds, with a reason. 200 with the account released; 400 when
    the caller holds none or gives no reason."""

    permission_classes = [HasRole.of(*WORKLIST_ROLES)]

    class SkipInputSerializer(serializers.Serializer):
        reason = serializers.CharField(max_length=2000)

    class SkipOutputSerializer(serializers.Serializer):
        released = serializers.IntegerField(source="account_id")

    @extend_schema(request=SkipInputSerializer, responses={200: SkipOutputSerializer})
    def post(self, request):
        data = self.SkipInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            disposition = skip(user=request.user, reason=data.validated_data["reason"])
        except ValidationError as exc:
            raise ApiValidationError({"detail": exc.messages}) from exc
        return Response(self.SkipOutputSerializer(disposition).data)


class WorklistContactAttemptCreateApi(ContactAttemptCreateApi):
    """An attempt through the gate: 201 when allowed, 422 with the reasons when blocked (still logged).

    It counts as the disposition of the account: the caller's lease on it ends, the account is
    rescored and comes back when the outcome says (a wrong number or a number not in service also
    marks that number, which the gate then no longer offers). ``"direction": "inbound"`` logs a
    contact the consumer made (not gated, always 201, no disposition). A repeated Idempotency-Key
    answers 200 with the first attempt and changes nothing.
    """

    @extend_schema(
        request=ContactAttemptCreateApi.ContactAttemptInputSerializer,
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=False)],
        responses={201: ContactAttemptCreateApi.ContactAttemptOutputSerializer,
                   200: ContactAttemptCreateApi.ContactAttemptOutputSerializer,
                   422: ContactAttemptCreateApi.ContactAttemptOutputSerializer},
    )
    def post(self, request, account_id: int):
        response = super().post(request, account_id)
        if response.status_code in (status.HTTP_201_CREATED, status.HTTP_422_UNPROCESSABLE_ENTITY):
            attempt = ContactAttempt.objects.get(pk=response.data["id"])
            disposition_for_attempt(attempt=attempt, user=request.user)
        return response
