from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.generics import get_object_or_404
from rest_framework.response import Response
from rest_framework.views import APIView

from . import search, selectors
from .access import ALL_ROLES, HasRole
from .audit import audit_request
from .keyset import COUNT_CAP, keyset_page, other_params
from .models import Account, Creditor
from .money import money_str

API_PAGE_SIZE = 50


class AccountListApi(APIView):
    permission_classes = [HasRole.of(*ALL_ROLES)]

    class AccountListFilterSerializer(serializers.Serializer):
        q = serializers.CharField(required=False, allow_blank=True)
        creditor = serializers.CharField(required=False, allow_blank=True,
                                         help_text="creditor code (empty: every creditor)")
        status = serializers.CharField(required=False, allow_blank=True)
        debt_type = serializers.CharField(required=False, allow_blank=True)

    class AccountListOutputSerializer(serializers.ModelSerializer):
        creditor = serializers.CharField(source="creditor.code")
        debtor_name = serializers.CharField(source="debtor.display_name")

        class Meta:
            model = Account
            fields = ["id", "creditor", "creditor_account_number", "debtor_name", "debt_type", "status",
                      "current_balance"]

    @extend_schema(
        operation_id="accounts_list",
        parameters=[AccountListFilterSerializer,
                    OpenApiParameter("after", str, description="cursor: the page after (older than) this one"),
                    OpenApiParameter("before", str, description="cursor: the page before (newer than) this one")],
        responses=inline_serializer("AccountListPage", fields={
            "count": serializers.IntegerField(
                help_text=f"accounts in the list, capped at {COUNT_CAP + 1:,} (read: more than {COUNT_CAP:,})"),
            "next": serializers.URLField(allow_null=True, help_text="the next (older) page; null on the last"),
            "previous": serializers.URLField(allow_null=True, help_text="the previous (newer) page; null on the first"),
            "results": AccountListOutputSerializer(many=True)}),
        description=f"With `q`: the best {search.SEARCH_LIMIT} matches, ranked (exact account number, phone or "
                    "email first, then account-number prefix, then names), in one page. Without `q`: every account "
                    "under the filters, newest first, in keyset pages of 50 (`next`/`previous` links).")
    def get(self, request):
        filters = self.AccountListFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        creditor_id = None
        if data.get("creditor"):
            creditor_id = Creditor.objects.filter(code=data["creditor"]).values_list("pk", flat=True).first() or -1
        scope = {"creditor_id": creditor_id, "status": data.get("status", ""), "debt_type": data.get("debt_type", "")}
        if data.get("q", "").strip():
            rows = selectors.account_search(q=data["q"], **scope)
            count, next_url, previous_url = len(rows), None, None
        else:
            page = keyset_page(selectors.account_list(**scope), after=request.query_params.get("after"),
                               before=request.query_params.get("before"), size=API_PAGE_SIZE, count=True,
                               params=other_params(request))
            rows, count = page.items, page.count
            next_url = request.build_absolute_uri(request.path + page.next_url) if page.next_url else None
            previous_url = request.build_absolute_uri(request.path + page.previous_url) if page.previous_url else None
        audit_request(request, action="view", object_type="accounts.Account")
        return Response({"count": count, "next": next_url, "previous": previous_url,
                         "results": self.AccountListOutputSerializer(rows, many=True).data})


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
            return {k: money_str(v) for k, v in balances.items()}

        def get_time_zones(self, account) -> list[str]:
            return selectors.debtor_zones(debtor=account.debtor)

    @extend_schema(responses=AccountDetailOutputSerializer)
    def get(self, request, account_id: int):
        get_object_or_404(Account, pk=account_id)
        account = selectors.account_get(account_id=account_id)
        audit_request(request, action="view", object_type="accounts.Account", object_id=account_id)
        return Response(self.AccountDetailOutputSerializer(account).data)
