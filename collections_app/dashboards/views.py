"""The supervisor dashboard, its drill-downs, goals, approvals from the exceptions list, CSV exports,
and accounting's remittance view. Views parse filters, call selectors or services, respond."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from accounts.access import ACCOUNTING, ADMIN, SUPERVISOR, allow_roles
from accounts.dates import record_date
from accounts.errors import form_errors_text
from accounts.ledger_csv.exporting import safe_csv_writer
from accounts.models import Account, DebtType
from compliance.models import ContactAttempt
from payments.models import Payment, Promise

from ..models import BucketChange, CollectorGoal, Disposition, User, WorkItem
from . import selectors
from .selectors import Filters, add_months, month_start
from .summaries import OPEN_STATUSES

MANAGERS = (SUPERVISOR, ADMIN)
DRILL_LIMIT = 50


class FilterForm(forms.Form):
    start = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}), label=_("From"))
    end = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}), label=_("To"))
    creditor = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label=_("Creditor"))
    debt_type = forms.ChoiceField(required=False, label=_("Debt type"))
    team = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label=_("Team"))
    collector = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, label=_("Collector"))

    def __init__(self, *args, choices: dict, **kwargs):
        super().__init__(*args, **kwargs)
        anyone = [("", _("All"))]
        self.fields["creditor"].choices = anyone + choices["creditors"]
        self.fields["debt_type"].choices = anyone + choices["debt_types"]
        self.fields["team"].choices = anyone + choices["teams"]
        self.fields["collector"].choices = anyone + choices["collectors"]

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise ValidationError(_("“From” must not be after “To”."))
        return data


def _filters(request, today: date) -> tuple[Filters, FilterForm]:
    form = FilterForm(request.GET or None, choices=selectors.filter_choices())
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    start = data.get("start") or month_start(today)
    end = data.get("end") or today
    return Filters(start=start, end=end, creditor_id=data.get("creditor"), debt_type=data.get("debt_type") or None,
                   team_id=data.get("team"), user_id=data.get("collector")), form


def _csv(name: str, header: list[str], rows: list[list]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    writer = safe_csv_writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow(row)
    return response


def _pct(value) -> str:
    return "" if value is None else f"{value}"


EXPORTS = {
    "aging": (["bucket", "accounts", "balance"],
              lambda d: [[r["label"], r["accounts"], r["balance"]] for r in d["aging"]["rows"]]),
    "aging_by_creditor": (["creditor", "debt_type", "accounts", "balance"],
                          lambda d: [[r["creditor"], r["debt_type"], r["accounts"], r["balance"]]
                                     for r in d["aging"]["by_creditor"]]),
    "roll_rates": (["from_bucket", "opening_accounts", "to_bucket", "accounts", "pct"],
                   lambda d: [[row["label"], row["opening"], c["to"], c["accounts"], _pct(c["pct"])]
                              for row in d["roll"]["matrix"] for c in row["cells"]]),
    "liquidation": (["placement_month", "placed", "collected", "liquidation_pct"],
                    lambda d: [[c["month"].isoformat(), c["placed"], c["collected"], _pct(c["rate"])]
                               for c in d["liquidation"]["curves"]]),
    "cei": (["month", "begin", "placed", "end", "end_current", "cei_pct"],
            lambda d: [[r["month"].isoformat(), r.get("begin", ""), r.get("placed", ""), r.get("end", ""),
                        r.get("end_current", ""), _pct(r["cei"])] for r in d["cei"]]),
    "collectors": (["collector", "attempts", "rpc", "promises", "promised", "kept_rate_pct", "collected", "worked",
                    "seconds_per_account"],
                   lambda d: [[r["user"].username if r["user"] else r["user_id"], r["attempts"], r["rpc"],
                               r["promises"], r["promised"], _pct(r["kept_rate"]), r["collected"], r["worked"],
                               r["seconds_per_account"] if r["seconds_per_account"] is not None else ""]
                              for r in d["collectors"]]),
    "queues": (["queue", "accounts", "workable_now"],
               lambda d: [[r["queue"].name if r["queue"] else "(no queue)", r["items"], r["ready"]]
                          for r in d["queues"]]),
}


def dashboard_data(f: Filters, today: date) -> dict:
    buckets = selectors.bucket_order()
    roll_month = month_start(today)
    return {
        "aging": selectors.aging(f, buckets),
        "roll": selectors.roll_rates(roll_month, buckets),
        "liquidation": selectors.liquidation(f, today),
        "cei": selectors.cei(f, today),
        "promises": selectors.promise_rates(f),
        "contacts": selectors.contact_rates(f),
        "collected_total": selectors.collected_total(f),
        "collectors": selectors.collector_kpis(f),
        "queues": selectors.queue_sizes(),
        "exceptions": selectors.exceptions(f, today),
    }


def _charts(data: dict) -> dict:
    """Plain numbers for the charts script (json_script; no inline JavaScript)."""
    return {
        "aging": {"labels": [r["label"] for r in data["aging"]["rows"]],
                  "accounts": [r["accounts"] for r in data["aging"]["rows"]],
                  "balance": [float(r["balance"]) for r in data["aging"]["rows"]]},
        "liquidation": [{"label": date_format(c["month"], "M Y"),
                         "points": [float(p) if p is not None else None for p in c["points"]]}
                        for c in data["liquidation"]["curves"]],
        "cei": {"labels": [date_format(r["month"], "M Y") for r in data["cei"]],
                "values": [float(r["cei"]) if r["cei"] is not None else None for r in data["cei"]]},
        # the charts' own words, in the reader's language
        "text": {"balance": str(_("Open balance ($)")), "month": str(_("Month %(n)s")),
                 "placed": str(_("Percent of placed")), "cei": str(_("CEI (percent)"))},
    }


@allow_roles(*MANAGERS)
def dashboard(request):
    today = record_date()
    f, form = _filters(request, today)
    data = dashboard_data(f, today)
    export = request.GET.get("export")
    if export:
        if export not in EXPORTS:
            return HttpResponse(f"Unknown export {export!r}; use one of {', '.join(EXPORTS)}.", status=400,
                                content_type="text/plain")
        header, rows = EXPORTS[export]
        return _csv(f"{export}-{f.start}-{f.end}", header, rows(data))
    query = f.query()
    return render(request, "dashboards/dashboard.html", {
        **data, "form": form, "filters": f, "query": query, "charts": _charts(data), "today": today,
        "exports": list(EXPORTS), "goal_metrics": CollectorGoal.Metric.choices,
        "goals": CollectorGoal.objects.filter(user__isnull=True),
    })


def _drill_accounts(request, f: Filters):
    bucket = request.GET.get("bucket", "")
    qs = WorkItem.objects.filter(bucket=bucket, account__status__in=OPEN_STATUSES)
    if f.creditor_id:
        qs = qs.filter(account__creditor_id=f.creditor_id)
    if f.debt_type:
        qs = qs.filter(account__debt_type=f.debt_type)
    after = _int(request.GET.get("after"))
    if after:
        qs = qs.filter(account_id__gt=after)
    items = list(qs.select_related("account__debtor", "account__creditor").order_by("account_id")[:DRILL_LIMIT])
    return {"title": _("Open accounts in bucket %(bucket)s") % {"bucket": _bucket_label(bucket)}, "kind": "accounts",
            "rows": [i.account for i in items],
            "more": items[-1].account_id if len(items) == DRILL_LIMIT else None, "keep": {"bucket": bucket}}


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _drill_promises(request, f: Filters):
    if request.GET.get("taken") == "1":  # the collector table's count: promises taken in the range
        status = ""
        qs = Promise.objects.filter(created_at__gte=_midnight(f.start),
                                    created_at__lt=_midnight(f.end + timedelta(days=1)))
    else:  # the kept-rate figures: promises due in the range, by outcome
        status = request.GET.get("status", "broken")
        qs = Promise.objects.filter(status=status, due_date__range=(f.start, f.end))
    if f.user_id:
        qs = qs.filter(created_by_id=f.user_id)
    if f.creditor_id:
        qs = qs.filter(account__creditor_id=f.creditor_id)
    rows = list(qs.select_related("account__debtor", "created_by").order_by("-due_date", "-id")[:DRILL_LIMIT])
    if status:
        label = str(dict(Promise._meta.get_field("status").choices).get(status, status.replace("_", " "))).lower()
        title = _("Promises %(status)s due %(start)s – %(end)s") % {"status": label, "start": f.start, "end": f.end}
    else:
        title = _("Promises taken %(start)s – %(end)s") % {"start": f.start, "end": f.end}
    return {"title": title, "kind": "promises", "rows": rows,
            "keep": {"status": status} if status else {"taken": "1"}}


def _drill_collected(request, f: Filters):
    qs = Payment.objects.filter(received_at__date__range=(f.start, f.end))
    if f.user_id:
        qs = qs.filter(created_by_id=f.user_id)
    if f.creditor_id:
        qs = qs.filter(creditor_id=f.creditor_id)
    rows = list(qs.select_related("account__debtor", "created_by").order_by("-received_at", "-id")[:DRILL_LIMIT])
    return {"title": _("Payments received %(start)s – %(end)s") % {"start": f.start, "end": f.end}, "kind": "payments",
            "rows": rows}


def _drill_worked(request, f: Filters):
    qs = Disposition.objects.filter(at__date__range=(f.start, f.end)).exclude(code="skipped")
    if f.user_id:
        qs = qs.filter(user_id=f.user_id)
    code = request.GET.get("code")
    if code:
        qs = qs.filter(code=code)
    rows = list(qs.select_related("account__debtor", "user").order_by("-at", "-id")[:DRILL_LIMIT])
    return {"title": _("Accounts worked %(start)s – %(end)s") % {"start": f.start, "end": f.end},
            "kind": "dispositions", "rows": rows}


def _month(request, f: Filters) -> date:
    """The month a drill asks about (?month=YYYY-MM or YYYY-MM-DD), else the range's first month."""
    raw = (request.GET.get("month") or "")[:10]
    try:
        return month_start(date.fromisoformat(raw if len(raw) == 10 else f"{raw}-01"))
    except ValueError:
        return month_start(f.start)


def _midnight(day: date) -> datetime:
    """The start of `day` in the agency's zone (a range on the column itself keeps its index usable)."""
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


def _bucket_label(code: str) -> str:
    return dict(selectors.bucket_order()).get(code, code) or _("not yet scored")


def _month_name(month: date) -> str:
    """'November 2026' in the active language (Django's month names are translated)."""
    return date_format(month, "F Y")


def _drill_roll(request, f: Filters):
    """A roll-rate cell: the accounts that moved from one bucket to another during the month, or (the
    diagonal) those still in their opening bucket with no move that month."""
    month, frm, to = _month(request, f), request.GET.get("from", ""), request.GET.get("to", "")
    after = _int(request.GET.get("after")) or 0
    moved = BucketChange.objects.filter(changed_on__gte=month, changed_on__lt=add_months(month, 1))
    if frm != to:
        ids = list(moved.filter(from_bucket=frm, to_bucket=to, account_id__gt=after)
                   .order_by("account_id").values_list("account_id", flat=True).distinct()[:DRILL_LIMIT])
        accounts = Account.objects.filter(pk__in=ids)
        title = _("Accounts that rolled from %(from)s to %(to)s in %(month)s") % {
            "from": _bucket_label(frm), "to": _bucket_label(to), "month": _month_name(month)}
    else:
        accounts = (Account.objects.filter(work_item__bucket=frm, pk__gt=after)
                    .exclude(pk__in=moved.values("account_id")))
        title = _("Accounts that stayed in %(bucket)s through %(month)s") % {
            "bucket": _bucket_label(frm), "month": _month_name(month)}
    rows = list(accounts.select_related("debtor", "creditor").order_by("pk")[:DRILL_LIMIT])
    return {"title": title, "kind": "accounts", "rows": rows,
            "more": rows[-1].pk if len(rows) == DRILL_LIMIT else None,
            "keep": {"month": month.isoformat(), "from": frm, "to": to}}


def _drill_placed(request, f: Filters):
    """A liquidation row: the accounts placed in that month (under the dashboard's creditor and debt
    type filters), oldest placement first."""
    month = _month(request, f)
    qs = Account.objects.filter(placed_at__gte=_midnight(month), placed_at__lt=_midnight(add_months(month, 1)))
    if f.creditor_id:
        qs = qs.filter(creditor_id=f.creditor_id)
    if f.debt_type:
        qs = qs.filter(debt_type=f.debt_type)
    after = _int(request.GET.get("after"))
    if after:
        qs = qs.filter(pk__gt=after)
    rows = list(qs.select_related("debtor", "creditor").order_by("pk")[:DRILL_LIMIT])
    return {"title": _("Accounts placed in %(month)s") % {"month": _month_name(month)}, "kind": "accounts",
            "rows": rows,
            "more": rows[-1].pk if len(rows) == DRILL_LIMIT else None, "keep": {"month": month.isoformat()}}


def _drill_attempts(request, f: Filters):
    """Attempts and right-party contacts (?rpc=1) behind the contact rates and the collector table:
    outbound attempts the gate did not block, in the range."""
    qs = ContactAttempt.objects.filter(requested_at__gte=_midnight(f.start),
                                       requested_at__lt=_midnight(f.end + timedelta(days=1)),
                                       direction="outbound").exclude(status="blocked")
    rpc = request.GET.get("rpc") == "1"
    if rpc:
        qs = qs.filter(outcome="conversation")
    if f.user_id:
        qs = qs.filter(user_id=f.user_id)
    if f.creditor_id:
        qs = qs.filter(account__creditor_id=f.creditor_id)
    if f.debt_type:
        qs = qs.filter(account__debt_type=f.debt_type)
    rows = list(qs.select_related("account__debtor", "user").order_by("-requested_at", "-id")[:DRILL_LIMIT])
    dates = {"start": f.start, "end": f.end}
    title = _("Right-party contacts %(start)s – %(end)s") % dates if rpc else \
        _("Contact attempts %(start)s – %(end)s") % dates
    return {"title": title, "kind": "attempts", "rows": rows, "keep": {"rpc": "1"} if rpc else {}}


DRILLS = {"accounts": _drill_accounts, "promises": _drill_promises, "payments": _drill_collected,
          "dispositions": _drill_worked, "roll": _drill_roll, "placed": _drill_placed, "attempts": _drill_attempts}


@allow_roles(*MANAGERS)
def drill(request, kind: str):
    if kind not in DRILLS:
        return render(request, "dashboards/drill.html", {"title": _("Unknown figure"), "kind": "", "rows": []},
                      status=404)
    f, _form = _filters(request, record_date())
    context = DRILLS[kind](request, f)
    more_query = urlencode({**f.query(), **context.pop("keep", {}), "after": context.get("more")})
    return render(request, "dashboards/drill.html", {**context, "query": f.query(), "more_query": more_query,
                                                     "debt_types": dict(DebtType.choices)})


class GoalForm(forms.Form):
    metric = forms.ChoiceField(choices=CollectorGoal.Metric.choices, label=_("Metric"))
    target = forms.DecimalField(min_value=0, max_digits=14, decimal_places=2, label=_("Target"))
    collector = forms.ModelChoiceField(queryset=User.objects.filter(groups__name="collector"), required=False,
                                       empty_label=_("Every collector"), label=_("Collector"))


@require_POST
@allow_roles(*MANAGERS)
def goal_set(request):
    form = GoalForm(request.POST)
    if form.is_valid():
        CollectorGoal.objects.update_or_create(user=form.cleaned_data["collector"], metric=form.cleaned_data["metric"],
                                               defaults={"target": form.cleaned_data["target"]})
        messages.success(request, _("Goal saved."))
    else:
        problems = form_errors_text(form)
        messages.error(request, _("Goal not saved:") + " " + problems)
    return redirect(reverse("dashboard:home") + "#collectors")


@allow_roles(ACCOUNTING, SUPERVISOR, ADMIN)
def remittance(request):
    today = record_date()
    creditor_id = _int(request.GET.get("creditor"))
    rows = selectors.remittance(today, creditor_id=creditor_id)
    if request.GET.get("export") == "csv":
        return _csv(f"remittance-{today}", ["month", "creditor", "collected", "fee_pct", "fee", "net_to_remit"],
                    [[r["month"].strftime("%Y-%m"), r["creditor"], r["collected"], r["fee_pct"], r["fee"], r["net"]]
                     for r in rows])
    return render(request, "dashboards/remittance.html", {
        "rows": rows, "creditors": selectors.filter_choices()["creditors"], "creditor_id": creditor_id,
        "since": add_months(month_start(today), -11), "today": today})

