from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import get_object_or_404
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from . import selectors
from .access import ALL_ROLES, HasRole
from .audit import audit_request
from .models import Account


class AccountListApi(APIView):
    permission_classes = [HasRole.of(*ALL_ROLES)]

    class AccountListFilterSerializer(serializers.Serializer):
        q = serializers.CharField(required=False, allow_blank=True)
        creditor = serializers.CharField(required=False, help_text="creditor code")
        status = serializers.CharField(required=False, allow_blank=True)
        debt_type = serializers.CharField(required=False, allow_blank=True)

    class AccountListOutputSerializer(serializers.ModelSerializer):
        creditor = serializers.CharField(source="creditor.code")
        debtor_name = serializers.CharField(source="debtor.display_name")

        class Meta:
            model = Account
            fields = ["id", "creditor", "creditor_account_number", "debtor_name", "debt_type", "status",
                      "current_balance"]

    @extend_schema(parameters=[AccountListFilterSerializer], responses=AccountListOutputSerializer(many=True))
    def get(self, request):
        filters = self.AccountListFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        qs = selectors.account_search(q=data.get("q", ""), status=data.get("status", ""),
                                      debt_type=data.get("debt_type", ""))
        if data.get("creditor"):
            qs = qs.filter(creditor__code=data["creditor"])
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(qs, request, view=self)
        audit_request(request, action="view", object_type="accounts.Account")
        return paginator.get_paginated_response(self.AccountListOutputSerializer(page, many=True).data)


class AccountDetailApi(APIView):
    permission_classes = [HasRole.of(*ALL_ROLES)]

    class AccountDetailOutputSerializer(serializers.ModelSerializer):
        creditor = serializers.CharField(source="creditor.code")
        debtor = serializers.SerializerMethodField()
        balance_by_kind = serializers.SerializerMethodField()
        time_zones = serializers.SerializerMethodField()

        class Meta:
            model = Account
            fields = ["id", "creditor", "creditor_account_number", "debt_type", "status", "original_creditor",
                      "itemization_date", "itemization_balance", "charge_off_date", "date_of_first_delinquency",
                      "last_payment_date", "due_date", "terms_days", "current_balance", "balance_by_kind",
                      "debtor", "time_zones"]

        def get_debtor(self, account) -> dict:
            d = account.debtor
            return {"id": d.id, "name": d.display_name, "debtor_type": d.debtor_type,
                    "preferred_language": d.preferred_language}

        def get_balance_by_kind(self, account) -> dict:
            balances = selectors.account_balance_by_kind(account=account)
            return {k: str(v) for k, v in balances.items()}

        def get_time_zones(self, account) -> list[str]:
            return selectors.debtor_zones(debtor=account.debtor)

    @extend_schema(responses=AccountDetailOutputSerializer)
    def get(self, request, account_id: int):
        get_object_or_404(Account, pk=account_id)
        account = selectors.account_get(account_id=account_id)
        audit_request(request, action="view", object_type="accounts.Account", object_id=account_id)
        return Response(self.AccountDetailOutputSerializer(account).data)
