"""Forms name accounts the way people see them (the account number), with an autocomplete."""

import pytest
from django.urls import reverse

from compliance.models import CeaseRequest
from tests.factories import AccountFactory, CreditorFactory, DebtorFactory

pytestmark = pytest.mark.django_db

CEASE = {"whole_debtor": "on", "kind": "cease_communication", "received_at": "2025-06-05T10:00",
         "method": "written_mail", "statement": "Stop calling me"}


def add_cease(client, account_ref):
    return client.post(reverse("compliance:restriction_add", args=["cease"]), {**CEASE, "account_ref": account_ref})


def test_cease_form_asks_for_the_account_number_with_an_autocomplete(client_for):
    page = client_for("compliance").get(reverse("compliance:restriction_add", args=["cease"])).content.decode()
    assert "Account number" in page and "Account #" not in page
    assert f'hx-get="{reverse("accounts:autocomplete")}"' in page and 'list="account-options"' in page
    assert '<datalist id="account-options">' in page


def test_cease_is_recorded_by_the_number_people_see(client_for):
    account = AccountFactory(creditor_account_number="D1-0000386")
    response = add_cease(client_for("compliance"), "d1-0000386")  # as typed, any case
    assert response.status_code == 302
    assert CeaseRequest.objects.get().debtor == account.debtor


def test_an_unknown_number_is_refused_naming_it(client_for):
    AccountFactory(creditor_account_number="D1-0000386")
    response = add_cease(client_for("compliance"), "386")  # the hidden id is not a number people use
    assert response.status_code == 200 and "No account numbered 386." in response.content.decode()
    assert not CeaseRequest.objects.exists()


def test_a_number_two_creditors_share_is_picked_with_the_creditor(client_for):
    first = AccountFactory(creditor_account_number="A-100", creditor=CreditorFactory(code="ACME"))
    AccountFactory(creditor_account_number="A-100", creditor=CreditorFactory(code="BETA"))
    client = client_for("compliance")
    response = add_cease(client, "A-100")
    assert "A-100 is used by more than one creditor" in response.content.decode()
    assert add_cease(client, "A-100 · ACME").status_code == 302
    assert CeaseRequest.objects.get().debtor == first.debtor


def test_autocomplete_offers_accounts_by_number_and_by_name(client_for):
    account = AccountFactory(creditor_account_number="D1-0000386",
                             debtor=DebtorFactory(first_name="Aiyana", last_name="Moore"))
    client = client_for("collector")
    by_number = client.get(reverse("accounts:autocomplete"), {"account_ref": "D1-00003"}).content.decode()
    assert f'value="D1-0000386 · {account.creditor.code}"' in by_number and "Aiyana Moore" in by_number
    by_name = client.get(reverse("accounts:autocomplete"), {"account_ref": "Moore"}).content.decode()
    assert "D1-0000386" in by_name
    assert client.get(reverse("accounts:autocomplete"), {"account_ref": "M"}).content.decode().strip() == ""


def test_after_a_cease_the_account_page_says_contact_is_stopped(client_for):
    account = AccountFactory(creditor_account_number="D1-0000386")
    add_cease(client_for("compliance"), "D1-0000386")
    page = client_for("collector").get(reverse("account-workspace", args=[account.pk])).content.decode()
    assert 'data-testid="account-restriction"' in page and "Collection contact is stopped" in page
    status = page.split('data-testid="account-status"')[1].split("</p>")[0]
    assert 'class="badge block" data-testid="account-restriction"' in status
