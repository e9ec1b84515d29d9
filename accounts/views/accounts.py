from django.core.paginator import Paginator
from django.shortcuts import render

from .. import selectors
from ..access import ALL_ROLES, allow_roles
from ..audit import audit_request
from ..forms import AccountSearchForm

PAGE_SIZE = 25


@allow_roles(*ALL_ROLES)
def account_list(request):
    form = AccountSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    accounts = selectors.account_search(
        q=filters.get("q", ""), creditor_id=getattr(filters.get("creditor"), "pk", None),
        status=filters.get("status", ""), debt_type=filters.get("debt_type", ""))
    page = Paginator(accounts, PAGE_SIZE).get_page(request.GET.get("page"))
    audit_request(request, action="view", object_type="accounts.Account")  # a search shows personal data
    context = {"form": form, "page": page, "query_string": _without_page(request)}
    template = "accounts/_account_rows.html" if request.htmx else "accounts/account_list.html"
    return render(request, template, context)


def _without_page(request) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
