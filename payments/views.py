"""Payments pages: accounting's posting (single, batch, returns), the supervisor's approvals and
exceptions, the field collectors' pick-ups, paid accounts (with a formula-safe CSV), receipts."""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from accounts.access import ACCOUNTING, ADMIN, ALL_ROLES, COLLECTOR, SUPERVISOR, allow_roles
from accounts.audit import audit_record
from accounts.ledger_csv.exporting import safe_csv_writer
from accounts.models import Account, Creditor
from accounts.redirects import local_url

from . import selectors, services
from .batch import payment_batch_create
from .documents import receipt_pdf
from .forms import BatchUploadForm, DecisionForm, PostingForm, ReturnForm
from .models import Payment, PaymentBatch, PaymentPlan, Promise, Settlement
from .texts import add_errors, batch_problems, batch_text, error_messages

POSTING_ROLES = (ACCOUNTING, ADMIN)
SUPERVISING = (SUPERVISOR, ADMIN)


@allow_roles(*ALL_ROLES)
def receipt(request, payment_id: int):
    payment = get_object_or_404(Payment.objects.select_related("account__debtor", "account__creditor"), pk=payment_id)
    response = HttpResponse(receipt_pdf(payment), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="receipt-PAY-{payment.pk}.pdf"'
    return response


@allow_roles(*POSTING_ROLES)
def posting(request):
    """Accounting's payment posting: one payment, a batch/lockbox file, and returns of recent payments."""
    form, batch_form = PostingForm(), BatchUploadForm()
    if request.method == "POST" and request.POST.get("action") == "single":
        form = PostingForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            account = Account.objects.filter(creditor__code=d["creditor"],
                                             creditor_account_number=d["account_number"]).first()
            if account is None:
                form.add_error("account_number", _("No account %(number)s for creditor %(creditor)s.")
                               % {"number": d["account_number"], "creditor": d["creditor"]})
            else:
                try:
                    payment, created = services.payment_post(
                        account=account, amount=d["amount"], method=d["method"], received_at=d["received_at"],
                        reference=d["reference"], idempotency_key=d["idempotency_key"], source="posting",
                        user=request.user)
                    messages.success(request, (_("Payment #%(id)s posted.") if created
                                               else _("Payment #%(id)s was already posted.")) % {"id": payment.pk})
                    return redirect("payments:posting")
                except services.IdempotencyConflict as exc:
                    form.add_error(None, batch_text(str(exc)))
                except ValidationError as exc:
                    add_errors(form, exc)
    elif request.method == "POST" and request.POST.get("action") == "batch":
        batch_form = BatchUploadForm(request.POST, request.FILES)
        if batch_form.is_valid():
            creditor = Creditor.objects.filter(code=batch_form.cleaned_data["creditor"]).first()
            if creditor is None:
                batch_form.add_error("creditor", _("Unknown creditor code."))
            else:
                batch = payment_batch_create(creditor=creditor, upload=batch_form.cleaned_data["file"],
                                             user=request.user)
                return redirect("payments:batch", batch.pk)
    recent = (Payment.objects.select_related("account", "creditor").order_by("-created_at", "-id")[:50])
    return render(request, "payments/posting.html", {"form": form, "batch_form": batch_form,
                                                     "recent": recent,
                                                     "return_form": ReturnForm()})


@require_GET
@allow_roles(*POSTING_ROLES)
def batch_status(request, batch_id: int):
    """A batch file's progress while a worker posts it (the page reloads itself until it is done)."""
    batch = get_object_or_404(PaymentBatch.objects.select_related("creditor"), pk=batch_id)
    return render(request, "payments/batch.html", {"batch": batch, "message": batch_text(batch.message),
                                                   "problems": batch_problems(batch)})


@require_POST
@allow_roles(*POSTING_ROLES)
def payment_return(request, payment_id: int):
    payment = get_object_or_404(Payment, pk=payment_id)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.payment_return(payment=payment, reason=form.cleaned_data["reason"], user=request.user)
            messages.success(request, _("Payment #%(id)s returned; what it satisfied is open again.")
                             % {"id": payment.pk})
        except ValidationError as exc:
            messages.error(request, "; ".join(error_messages(exc)))
    else:
        messages.error(request, _("Choose a return reason."))
    return redirect("payments:posting")


@allow_roles(*SUPERVISING)
def approvals(request):
    return render(request, "payments/approvals.html", {**selectors.approval_queue(), "form": DecisionForm()})


_DECIDE = {
    "settlement": (Settlement, services.settlement_approve, services.settlement_reject),
    "promise": (Promise, services.promise_approve, services.promise_reject),
    "plan": (PaymentPlan, services.plan_approve, services.plan_reject),
}


# What a decision says, whole sentences per kind (each language words them its own way).
_DECIDED = {
    ("settlement", "approve"): gettext_lazy("Settlement #%(id)s: approved."),
    ("settlement", "reject"): gettext_lazy("Settlement #%(id)s: rejected."),
    ("promise", "approve"): gettext_lazy("Promise #%(id)s: approved."),
    ("promise", "reject"): gettext_lazy("Promise #%(id)s: rejected."),
    ("plan", "approve"): gettext_lazy("Plan #%(id)s: approved."),
    ("plan", "reject"): gettext_lazy("Plan #%(id)s: rejected."),
}
_REFUSED = {
    ("settlement", "approve"): gettext_lazy("Settlement #%(id)s not approved: %(reasons)s"),
    ("settlement", "reject"): gettext_lazy("Settlement #%(id)s not rejected: %(reasons)s"),
    ("promise", "approve"): gettext_lazy("Promise #%(id)s not approved: %(reasons)s"),
    ("promise", "reject"): gettext_lazy("Promise #%(id)s not rejected: %(reasons)s"),
    ("plan", "approve"): gettext_lazy("Plan #%(id)s not approved: %(reasons)s"),
    ("plan", "reject"): gettext_lazy("Plan #%(id)s not rejected: %(reasons)s"),
}


@require_POST
@allow_roles(*SUPERVISING)
def decide(request, kind: str, pk: int):
    model, approve, reject = _DECIDE.get(kind, (None, None, None))
    if model is None:
        return HttpResponse(status=404)
    obj = get_object_or_404(model, pk=pk)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or reject."))
        return _back(request)
    try:
        kwargs = {kind: obj, "user": request.user}
        if kind != "plan":
            kwargs["note"] = form.cleaned_data["note"]
        (approve if form.cleaned_data["decision"] == "approve" else reject)(**kwargs)
        messages.success(request, _DECIDED[kind, form.cleaned_data["decision"]] % {"id": pk})
    except ValidationError as exc:
        messages.error(request, _REFUSED[kind, form.cleaned_data["decision"]]
                       % {"id": pk, "reasons": "; ".join(error_messages(exc))})
    return _back(request)


def _back(request):
    """Back where the decision was taken (the approvals page, or the dashboard's exceptions list)."""
    return redirect(local_url(request, request.POST.get("next"), "payments:approvals"))


@allow_roles(*SUPERVISING)
def exceptions(request):
    return render(request, "payments/exceptions.html", selectors.exceptions())


@allow_roles(COLLECTOR, *SUPERVISING)
def pickups(request):
    return render(request, "payments/pickups.html", {"pickups": selectors.pickups()})


def _paid_accounts(request):
    qs = (Account.objects.filter(status__in=["paid", "settled"]).select_related("creditor", "debtor")
          .order_by("creditor__code", "-last_payment_date", "id"))
    creditor = request.GET.get("creditor", "").strip()
    if creditor:
        qs = qs.filter(creditor__code=creditor)
    return qs, creditor


@allow_roles(SUPERVISOR, ACCOUNTING, ADMIN)
def paid_accounts(request):
    qs, creditor = _paid_accounts(request)
    return render(request, "payments/paid_accounts.html", {
        "accounts": qs[:500], "creditor": creditor, "total": qs.count(),
        "creditors": Creditor.objects.order_by("code").values_list("code", flat=True)})


@allow_roles(SUPERVISOR, ACCOUNTING, ADMIN)
def paid_accounts_csv(request):
    """Every paid or settled account for the creditor; cells a spreadsheet would run are escaped."""
    qs, creditor = _paid_accounts(request)
    buffer = io.StringIO(newline="")
    writer = safe_csv_writer(buffer)
    writer.writerow(["creditor", "creditor_account_number", "debtor", "status", "last_payment_date",
                     "current_balance"])
    count = 0
    for a in qs.iterator(chunk_size=2000):
        writer.writerow([a.creditor.code, a.creditor_account_number, a.debtor.display_name, a.status,
                         a.last_payment_date.isoformat() if a.last_payment_date else "", str(a.current_balance)])
        count += 1
    audit_record(user=request.user, action="export", obj=None,
                 summary=f"paid accounts CSV ({creditor or 'all creditors'}): {count} rows")
    response = HttpResponse(buffer.getvalue(), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="paid-accounts-{creditor or "all"}.csv"'
    return response
