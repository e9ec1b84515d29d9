"""HIPAA minimum necessary on the workspace, and the audited full medical record."""

from datetime import date

import pytest
from django.urls import reverse

from accounts.models import AuditEvent, DebtType
from compliance.demo import medical_demo_create
from compliance.models import MedicalDetail
from tests.factories import AccountFactory

from .support import atlanta_account

pytestmark = pytest.mark.django_db


@pytest.fixture
def medical_account():
    account = atlanta_account(debt_type=DebtType.MEDICAL, original_creditor="Atlanta Oncology Associates")
    MedicalDetail.objects.create(account=account, provider_name="Atlanta Oncology Associates",
                                 generic_provider_name="Peachtree Health Services", date_of_service=date(2025, 3, 1),
                                 diagnosis_codes=["C50.911"], procedure_codes=["77067"], insurance_status="pending")
    return account


def test_collector_sees_only_what_collection_needs(client_for, medical_account):
    page = client_for("collector").get(reverse("account-workspace", args=[medical_account.pk])).content.decode()
    assert "Peachtree Health Services" in page
    assert "2025-03-01" in page or "March 1, 2025" in page
    assert "Oncology" not in page and "C50.911" not in page and "77067" not in page
    assert 'data-testid="insurance-hold"' in page
    assert 'data-testid="medical-record-link"' not in page


def test_collector_is_refused_the_full_record_and_nothing_is_shown(client_for, medical_account):
    response = client_for("collector").get(reverse("compliance:medical_record", args=[medical_account.pk]))
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(object_type="compliance.MedicalDetail").exists()


def test_compliance_sees_the_full_record_and_every_view_is_audited(client_for, users, medical_account):
    client = client_for("compliance")
    workspace = client.get(reverse("account-workspace", args=[medical_account.pk])).content.decode()
    assert 'data-testid="medical-record-link"' in workspace
    for _ in range(2):
        page = client.get(reverse("compliance:medical_record", args=[medical_account.pk])).content.decode()
        assert "Atlanta Oncology Associates" in page and "C50.911" in page and "77067" in page
    events = AuditEvent.objects.filter(object_type="compliance.MedicalDetail", action="view")
    assert events.count() == 2
    assert {e.user for e in events} == {users["compliance"]}
    assert all("PHI" in e.summary for e in events)


def test_the_permission_alone_opens_the_full_record_to_another_role(client_for, users, medical_account):
    from django.contrib.auth.models import Permission

    users["supervisor"].user_permissions.add(Permission.objects.get(codename="view_full_medical_record"))
    response = client_for("supervisor").get(reverse("compliance:medical_record", args=[medical_account.pk]))
    assert response.status_code == 200


def test_demo_seed_gives_every_medical_account_a_record_once():
    accounts = [AccountFactory(creditor_account_number=f"D7-{i:07d}", debt_type=DebtType.MEDICAL) for i in range(3)]
    AccountFactory(creditor_account_number="D7-0000099", debt_type=DebtType.CREDIT_CARD)
    assert medical_demo_create(seed=7) == 3
    assert medical_demo_create(seed=7) == 0
    assert set(MedicalDetail.objects.values_list("account_id", flat=True)) == {a.pk for a in accounts}
