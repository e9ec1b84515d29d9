"""Validation notice pages: preview (HTML), PDF download, generate-and-mail. Compliance and admin only."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from accounts.access import ADMIN, COMPLIANCE, allow_roles
from accounts.models import Account
from compliance.models import ValidationNotice
from compliance.services import client_meta

from .content import REQUIRED_ITEMS, NoticeContentIncomplete, validate_notice_content
from .forms import NoticeOptionsForm
from .render import render_notice_html, render_notice_pdf
from .selectors import validation_notice_content_for_account
from .services import ValidationNoticeBlocked, validation_notice_generate

NOTICE_ROLES = (COMPLIANCE, ADMIN)


def _account(account_id) -> Account:
    return get_object_or_404(Account.objects.select_related("creditor", "debtor"), pk=account_id)


def _options(request, account: Account) -> tuple[NoticeOptionsForm, dict]:
    form = NoticeOptionsForm(request.GET or None, default_language=account.debtor.preferred_language)
    return form, form.options()


@allow_roles(*NOTICE_ROLES)
@require_GET
def notice_preview(request, account_id):
    account = _account(account_id)
    form, options = _options(request, account)
    content = validation_notice_content_for_account(account=account, **options)
    missing = validate_notice_content(content)
    return render(request, "compliance/notices/notice_preview.html", {
        "account": account, "form": form, "options": options, "content": content,
        "missing": [(name, REQUIRED_ITEMS[name]) for name in missing],
        "notice_html": render_notice_html(content, style_nonce=str(request.csp_nonce)),
        "sent_notices": ValidationNotice.objects.filter(account_id=account.pk).select_related("created_by"),
    })


@allow_roles(*NOTICE_ROLES)
@require_GET
def notice_pdf(request, account_id):
    """The notice as PDF: a stored one (``?notice=<id>``) or a fresh render of the chosen options."""
    account = _account(account_id)
    if request.GET.get("notice"):
        notice_id = request.GET["notice"].strip()
        if not notice_id.isascii() or not notice_id.isdigit() or int(notice_id) > 2 ** 63 - 1:
            raise Http404("No such notice: its id is a number.")
        notice = get_object_or_404(ValidationNotice, pk=int(notice_id), account_id=account.pk)
        if not notice.pdf.name or not default_storage.exists(notice.pdf.name):
            raise Http404("The stored PDF of this notice is missing.")
        return FileResponse(default_storage.open(notice.pdf.name, "rb"), as_attachment=True,
                            filename=notice.pdf.name.rsplit("/", 1)[-1], content_type="application/pdf")
    _, options = _options(request, account)
    content = validation_notice_content_for_account(account=account, **options)
    missing = validate_notice_content(content)
    if missing:  # never hand out an incomplete notice: the preview lists what is missing
        messages.error(request, str(NoticeContentIncomplete(missing)))
        return redirect(f"{reverse('compliance:notice_preview', args=[account.pk])}?{request.GET.urlencode()}")
    filename = f"validation-notice-{account.pk}-{options['sent_on'].isoformat()}-{options['language']}.pdf"
    response = HttpResponse(render_notice_pdf(content), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@allow_roles(*NOTICE_ROLES)
@require_POST
def notice_generate(request, account_id):
    account = _account(account_id)
    form = NoticeOptionsForm(request.POST, default_language=account.debtor.preferred_language)
    back = reverse("compliance:notice_preview", args=[account.pk])
    if not form.is_valid():
        messages.error(request, "; ".join(e for errors in form.errors.values() for e in errors))
        return redirect(back)
    options = form.cleaned_data
    try:
        notice, _ = validation_notice_generate(account=account, language=options["language"],
                                               sent_on=options["sent_on"], user=request.user,
                                               meta=client_meta(request))
    except (NoticeContentIncomplete, ValidationNoticeBlocked, ValidationError) as exc:
        messages.error(request, "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc))
        return redirect(f"{back}?language={options['language']}&sent_on={options['sent_on'].isoformat()}")
    messages.success(request, gettext("Validation notice mailed %(sent)s (%(language)s); the validation period ends "
                                "%(end)s.") % {"sent": f"{notice.sent_on:%Y-%m-%d}", "language": notice.language,
                                               "end": f"{notice.stated_end_date:%Y-%m-%d}"})
    return redirect(back)
