"""The collector's day (home, next account, dispositions, skip, contact points) and the supervisor's
queues, teams and weights pages. Views parse, call a service, respond."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.access import ADMIN, COLLECTOR, SUPERVISOR, allow_roles
from accounts.errors import form_errors_text
from accounts.models import Account, Creditor
from accounts.redirects import local_url
from accounts.timezones import is_valid_zone
from collections_app.models import Queue, ScoringWeights, Team, User
from collections_app.worklist import queues as queue_services
from collections_app.worklist import selectors
from collections_app.worklist.contact_points import contact_point_add, contact_point_mark
from collections_app.worklist.dispositions import disposition_record, skip
from collections_app.worklist.forms import (
    ContactPointAddForm,
    ContactPointMarkForm,
    DispositionForm,
    ItemsActionForm,
    QueueForm,
    SkipForm,
    TeamForm,
    WeightsForm,
)
from collections_app.worklist.leasing import StillHolding, next_account
from collections_app.worklist.rescoring import top_scores, weights_current

WORKLIST_ROLES = (COLLECTOR, SUPERVISOR, ADMIN)
MANAGERS = (SUPERVISOR, ADMIN)


def _errors(exc: ValidationError) -> str:
    return "; ".join(exc.messages)


@allow_roles(*WORKLIST_ROLES)
def home(request):
    return render(request, "worklist/home.html", selectors.collector_home(user=request.user))


@require_POST
@allow_roles(*WORKLIST_ROLES)
def next_view(request):
    try:
        lease = next_account(user=request.user)
    except StillHolding as held:
        messages.error(request, str(held))
        return redirect("account-workspace", account_id=held.item.account_id)
    if lease is None:
        messages.info(request, _("Nothing is workable right now: every account in your queues is leased, waiting "
                                 "for its next lawful time, or done for today."))
        return redirect("worklist:home")
    if lease.callback:
        messages.info(request, _("Callback the debtor asked for (%(notes)s).")
                      % {"notes": lease.callback.notes or _("no notes")})
    return redirect("account-workspace", account_id=lease.account.pk)


@require_POST
@allow_roles(*WORKLIST_ROLES)
def dispose(request, account_id: int):
    account = get_object_or_404(Account.objects.select_related("debtor"), pk=account_id)
    form = DispositionForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect("account-workspace", account_id=account.pk)
    data = dict(form.cleaned_data)
    if data.get("callback_at") and data.get("callback_zone") and is_valid_zone(data["callback_zone"]):
        # the time was agreed in the debtor's zone: read the wall-clock time there
        wall = timezone.make_naive(data["callback_at"], timezone.get_current_timezone())
        data["callback_at"] = wall.replace(tzinfo=ZoneInfo(data["callback_zone"]))
    try:
        disposition = disposition_record(account=account, user=request.user, code=data["code"], to=data["to"] or None,
                                         notes=data["notes"], data=data)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
        return redirect("account-workspace", account_id=account.pk)
    blocked = disposition.data.get("gate") == "block"
    done = (_("%(code)s recorded for %(account)s (the gate blocked the call: it is logged as blocked). Press n for "
              "the next account.") if blocked
            else _("%(code)s recorded for %(account)s. Press n for the next account."))
    messages.success(request, done % {"code": disposition.get_code_display(),
                                      "account": account.creditor_account_number})
    return redirect("worklist:home")


@require_POST
@allow_roles(*WORKLIST_ROLES)
def skip_view(request):
    form = SkipForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why you skip the account."))
        return redirect(local_url(request, request.POST.get("back"), "worklist:home"))
    try:
        skip(user=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("worklist:home")


@require_POST
@allow_roles(*WORKLIST_ROLES)
def contact_point_add_view(request, account_id: int):
    account = get_object_or_404(Account.objects.select_related("debtor"), pk=account_id)
    form = ContactPointAddForm(request.POST)
    if form.is_valid():
        try:
            point = contact_point_add(account=account, user=request.user, kind=form.cleaned_data["kind"],
                                      value=form.cleaned_data["value"],
                                      phone_type=form.cleaned_data["phone_type"] or "cell")
            messages.success(request, _("Added %(point)s.") % {"point": point})
        except ValidationError as exc:
            messages.error(request, _errors(exc))
    else:
        messages.error(request, _("Give a phone number or an email address."))
    return redirect("account-workspace", account_id=account.pk)


@require_POST
@allow_roles(*WORKLIST_ROLES)
def contact_point_mark_view(request, account_id: int, kind: str, contact_id: int):
    account = get_object_or_404(Account.objects.select_related("debtor"), pk=account_id)
    form = ContactPointMarkForm(request.POST)
    if form.is_valid():
        try:
            point = contact_point_mark(account=account, user=request.user, kind=kind, contact_id=contact_id,
                                       action=form.cleaned_data["action"])
            messages.success(request, _("%(point)s: %(status)s.") % {"point": point,
                                                                      "status": point.get_status_display()})
        except ValidationError as exc:
            messages.error(request, _errors(exc))
    return redirect("account-workspace", account_id=account.pk)


# --- supervisors ---------------------------------------------------------------------------------------

@allow_roles(*MANAGERS)
def queues(request):
    return render(request, "worklist/queues.html", {"stats": selectors.queue_stats(),
                                                    "teams": Team.objects.prefetch_related("members")})


@allow_roles(*MANAGERS)
def queue_edit(request, queue_id: int | None = None):
    queue = get_object_or_404(Queue, pk=queue_id) if queue_id else Queue()
    form = QueueForm(request.POST or None, instance=queue)
    if request.method == "POST" and form.is_valid():
        try:
            queue_services.queue_save(queue=form.save(commit=False), creditors=form.cleaned_data["creditors"],
                                      teams=form.cleaned_data["teams"], collectors=form.cleaned_data["collectors"])
            messages.success(request, _("Queue %(name)s saved; the accounts are being sorted into it.")
                             % {"name": queue.name})
            return redirect("worklist:queues")
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(request, "worklist/queue_form.html", {"form": form, "queue": queue})


@allow_roles(*MANAGERS)
def queue_items(request, queue_id: int):
    queue = get_object_or_404(Queue, pk=queue_id)
    form = ItemsActionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ids = form.cleaned_data["account_ids"]
        if form.cleaned_data["move_to"]:
            n = queue_services.work_item_move(account_ids=ids, queue=form.cleaned_data["move_to"])
            messages.success(request, _("Moved %(count)s account(s) to %(queue)s.")
                             % {"count": n, "queue": form.cleaned_data["move_to"]})
        if form.cleaned_data["assign_to"]:
            n = queue_services.work_item_assign(account_ids=ids, collector=form.cleaned_data["assign_to"])
            messages.success(request, _("Assigned %(count)s account(s) to %(user)s.")
                             % {"count": n, "user": form.cleaned_data["assign_to"]})
        elif form.cleaned_data["unassign"]:
            n = queue_services.work_item_assign(account_ids=ids, collector=None)
            messages.success(request, _("%(count)s account(s) back to the queue.") % {"count": n})
        if form.cleaned_data["clear_hold"]:
            n = queue_services.work_item_hold_clear(account_ids=ids)
            messages.success(request, _("%(count)s escalated account(s) back on the worklist.") % {"count": n})
        return redirect("worklist:queue_items", queue_id=queue.pk)
    items, after = selectors.queue_items(queue=queue, after=request.GET.get("after", ""))
    return render(request, "worklist/queue_items.html",
                  {"queue": queue, "items": items, "next_after": after, "first_page": not request.GET.get("after"),
                   "form": form})


@allow_roles(*MANAGERS)
def teams(request):
    form = TeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            team = queue_services.team_create(name=form.cleaned_data["name"],
                                              supervisor=form.cleaned_data["supervisor"],
                                              members=form.cleaned_data["members"])
            messages.success(request, _("Team %(team)s created.") % {"team": team})
            return redirect("worklist:teams")
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(request, "worklist/teams.html", {
        "form": form, "teams": Team.objects.select_related("supervisor").prefetch_related("members", "queues"),
        "unassigned": User.objects.filter(groups__name="collector", team__isnull=True)})


def _preview(proposed: dict) -> list[dict]:
    """Top 20 now and under the proposed weights, side by side, with each account's move."""
    current = top_scores(weights=weights_current().weights)
    new = top_scores(weights=proposed)
    ids = {i for i, _ in current} | {i for i, _ in new}
    accounts = Account.objects.select_related("debtor").in_bulk(ids)
    before = {i: rank for rank, (i, _) in enumerate(current, 1)}
    rows = []
    for rank, (account_id, score) in enumerate(new, 1):
        old = before.get(account_id)
        rows.append({"rank": rank, "account": accounts.get(account_id), "score": score, "was": old,
                     "move": "new in the top 20" if old is None else ("up" if old > rank else
                                                                       "down" if old < rank else "same")})
    return rows


@allow_roles(*MANAGERS)
def weights(request):
    current = weights_current()
    codes = list(Creditor.objects.values_list("code", flat=True))
    form = WeightsForm(request.POST or None, weights=current.weights, creditor_codes=codes)
    preview = None
    if request.method == "POST" and form.is_valid():
        proposed = form.weights()
        if request.POST.get("action") == "save":
            try:
                version = queue_services.weights_save(weights=proposed, user=request.user,
                                                      note=form.cleaned_data["note"])
                messages.success(request, _("Weights version %(version)s is in force; every account is being "
                                            "rescored.") % {"version": version.version})
                return redirect("worklist:weights")
            except ValidationError as exc:
                form.add_error(None, exc)
        else:
            preview = _preview(proposed)
    return render(request, "worklist/weights.html", {
        "form": form, "current": current, "preview": preview,
        "versions": ScoringWeights.objects.select_related("created_by")[:10]})
