import pytest
from django.contrib import admin
from django.urls import reverse

from accounts.models import Debtor
from compliance.admin import AuditedAdminMixin
from compliance.models import AuditEvent
from tests.factories import DebtorFactory

pytestmark = pytest.mark.django_db


def test_every_personal_data_admin_is_audited():
    from compliance.admin import PERSONAL_DATA_MODELS
    for model in PERSONAL_DATA_MODELS:
        assert isinstance(admin.site._registry[model], AuditedAdminMixin), model


def test_changing_a_debtor_in_the_admin_is_audited_with_fields_who_and_where(client_for, users):
    debtor = DebtorFactory(first_name="Ana", last_name="Lopez")
    client = client_for("admin")
    url = reverse("admin:accounts_debtor_change", args=[debtor.pk])
    assert client.get(url, REMOTE_ADDR="10.9.8.7").status_code == 200
    form = {"debtor_type": "consumer", "first_name": "Ana", "last_name": "Lopez-Diaz", "business_name": "",
            "date_of_birth": "", "ssn_last4": "", "preferred_language": "en", "stated_time_zone": ""}
    for prefix in ("phones", "emails", "addresses"):
        form.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    response = client.post(url, form, REMOTE_ADDR="10.9.8.7")
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Debtor.objects.get(pk=debtor.pk).last_name == "Lopez-Diaz"
    view, change = AuditEvent.objects.order_by("id")
    assert (view.action, view.object_type, view.object_id, view.ip_address) == (
        "view", "accounts.Debtor", str(debtor.pk), "10.9.8.7")
    assert (change.action, change.user, change.summary) == ("update", users["admin"], "admin: changed last_name "
                                                            "Ana Lopez-Diaz")
