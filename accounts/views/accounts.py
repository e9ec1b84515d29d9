from django.shortcuts import render

from .. import selectors
from ..access import ALL_ROLES, WORKSPACE_ROLES, allow_roles, has_role
from ..audit import audit_request
from ..forms import AccountSearchForm
from ..keyset import keyset_page, other_params

PAGE_SIZE = 25


@allow_roles(*ALL_ROLES)
def account_list(request):
    """Search (the best matches, ranked) or, without a query, the newest accounts a page at a time."""
    form = AccountSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    scope = {"creditor_id": getattr(filters.get("creditor"), "pk", None), "status": filters.get("status", ""),
             "debt_type": filters.get("debt_type", "")}
    q = filters.get("q", "").strip()
    context = {"form": form, "q": q}
    if q:
        results = selectors.account_search(q=q, limit=selectors.search.SEARCH_LIMIT + 1, **scope)
        context.update(rows=results[:selectors.search.SEARCH_LIMIT],
                       more=len(results) > selectors.search.SEARCH_LIMIT, limit=selectors.search.SEARCH_LIMIT)
    else:
        context["page"] = context["rows"] = keyset_page(selectors.account_list(**scope), after=request.GET.get("after"),
                                      before=request.GET.get("before"), size=PAGE_SIZE, count=True,
                                      params=other_params(request))
    audit_request(request, action="view", object_type="accounts.Account")  # a search shows personal data
    context["can_open_workspace"] = has_role(request.user, *WORKSPACE_ROLES)
    template = "accounts/_account_rows.html" if request.htmx else "accounts/account_list.html"
    return render(request, template, context)


AUTOCOMPLETE_LIMIT = 10


@allow_roles(*ALL_ROLES)
def account_autocomplete(request):
    """<option>s for a form's account field (HTMX, into a <datalist>): what people see, never an id.

    Reads the first non-empty query value, whatever the field's name, so any form can use it.
    """
    q = next((v.strip() for v in request.GET.values() if v.strip()), "")
    results = selectors.account_search(q=q, limit=AUTOCOMPLETE_LIMIT) if len(q) >= 2 else []
    audit_request(request, action="view", object_type="accounts.Account")
    return render(request, "accounts/_account_options.html", {"results": results})
