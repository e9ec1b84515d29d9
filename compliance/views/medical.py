"""The full medical record of a medical account: permission-gated, every view audited."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from accounts.access import ALL_ROLES, allow_roles
from accounts.audit import client_meta
from accounts.models import Account
from compliance.medical import medical_record_view
from compliance.models import MedicalDetail


@allow_roles(*ALL_ROLES)
def medical_record(request, account_id: int):
    """Any role may ask; only the view_full_medical_record permission (compliance, admin) is shown it."""
    account = get_object_or_404(Account.objects.select_related("debtor", "creditor"), pk=account_id)
    try:
        detail = medical_record_view(account=account, user=request.user, meta=client_meta(request))
    except PermissionError as exc:
        raise PermissionDenied(str(exc)) from exc
    except MedicalDetail.DoesNotExist as exc:
        raise Http404("No medical record for this account.") from exc
    return render(request, "compliance/medical_record.html", {"account": account, "detail": detail})
