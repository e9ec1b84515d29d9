"""The payments services refuse in English (the API answers with that English); the pages show each refusal,
the guardrail breaches stored on a promise or a plan, and their own messages in the user's language
(payments.texts)."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from payments.models import Promise, PromiseStatus
from payments.services import (
    credit_refund,
    payment_post,
    payment_return,
    plan_create,
    promise_create,
    settlement_create,
)
from payments.texts import CATALOGUE, error_messages, guardrails_text

from .support import funded_account

pytestmark = pytest.mark.django_db


def _refusals(call) -> list[str]:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.messages


def _spanish(user):
    user.language = "es"
    user.save(update_fields=["language"])


def test_every_refusal_of_the_services_has_its_template(users):
    """Each message matches a template and renders back to the same English (what the API keeps)."""
    account = funded_account(principal="100.00", debt_type="credit_card")
    today = timezone.localdate()
    naive = timezone.now().replace(tzinfo=None)
    future = timezone.now() + timedelta(days=2)
    refusals = [
        *_refusals(lambda: payment_post(account=account, amount="abc", method="pigeon", received_at=naive,
                                        idempotency_key="", source="posting")),
        *_refusals(lambda: payment_post(account=account, amount="1.234", method="ach", received_at=future,
                                        idempotency_key="k1", source="posting")),
        *_refusals(lambda: payment_post(account=account, amount="-5", method="ach", received_at=timezone.now(),
                                        idempotency_key="k2", source="posting")),
        *_refusals(lambda: credit_refund(account=account, amount="0", method="ach", idempotency_key="r1")),
        *_refusals(lambda: credit_refund(account=account, amount="5", method="pigeon", idempotency_key="r2")),
        *_refusals(lambda: credit_refund(account=account, amount="5", method="ach", idempotency_key="r3")),
        *_refusals(lambda: plan_create(account=account, total="500.00", down_payment="x", frequency="hourly",
                                       start_date=today - timedelta(days=1), installments=0, user=users["collector"])),
        *_refusals(lambda: promise_create(account=account, amount="0", due_date=today - timedelta(days=1),
                                          method="pigeon", user=users["collector"], pickup_place="Main St")),
        *_refusals(lambda: promise_create(account=account, amount="500", due_date=today, method="cash",
                                          user=users["collector"], pickup_start=future,
                                          pickup_end=future - timedelta(hours=1), pickup_place="Main St")),
        *_refusals(lambda: settlement_create(account=account, user=users["collector"], kind="barter")),
        *_refusals(lambda: settlement_create(account=account, user=users["collector"], amount="150.00",
                                             installments=30, expires_on=today - timedelta(days=1))),
        *_refusals(lambda: settlement_create(account=account, user=users["collector"])),
        *_refusals(lambda: settlement_create(account=account, user=users["collector"], kind="extension",
                                             new_terms_days=7)),
    ]
    payment, _ = payment_post(account=account, amount="10.00", method="ach", received_at=timezone.now(),
                              idempotency_key="k3", source="posting")
    refusals += _refusals(lambda: payment_return(payment=payment, reason="moon"))
    assert len(refusals) >= 25
    for message in refusals:
        key = CATALOGUE.key(message)
        assert key is not None and CATALOGUE.render(key, english=True) == message, message
        with translation.override("es"):
            assert CATALOGUE.render(message) != message, message  # the catalogue has its Spanish


def test_refusals_and_guardrails_in_spanish_and_unknown_text_as_raised():
    with translation.override("es"):
        assert error_messages(ValidationError({"amount": "'abc' is not an amount.",
                                               "method": "Something new."})) == [
            "'abc' no es un importe.", "Something new."]
        assert guardrails_text(["due date is more than 30 days away", "amount is below the minimum of 25.00"]) \
            == "la fecha de pago está a más de 30 días; el importe es inferior al mínimo de 25.00"
    with translation.override("en"):
        assert guardrails_text(["due date is more than 30 days away"]) == "due date is more than 30 days away"


def test_the_posting_form_answers_in_spanish(client_for, users):
    _spanish(users["accounting"])
    account = funded_account(principal="100.00")
    client = client_for("accounting")
    base = {"action": "single", "creditor": account.creditor.code, "amount": "10.00", "method": "ach",
            "received_at": (timezone.localtime() - timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"), "reference": "",
            "idempotency_key": "post-1"}
    html = client.post(reverse("payments:posting"), {**base, "account_number": "NOPE-1"}).content.decode()
    assert f"No hay cuenta NOPE-1 del acreedor {account.creditor.code}." in html
    later = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    html = client.post(reverse("payments:posting"), {**base, "account_number": account.creditor_account_number,
                                                     "received_at": later}).content.decode()
    assert "received_at está en el futuro." in html and "is in the future" not in html
    response = client.post(reverse("payments:posting"), {**base, "account_number": account.creditor_account_number})
    assert response.status_code == 302, response.context["form"].errors
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message.startswith("Pago n.º ") and message.endswith(" registrado.")


def test_the_payments_panel_shows_a_service_refusal_in_spanish(client_for, users):
    _spanish(users["collector"])
    account = funded_account(principal="100.00")
    html = client_for("collector").post(
        reverse("account-promise-take", args=[account.pk]),
        {"amount": "500.00", "due_date": timezone.localdate().isoformat(), "method": "ach"},
        HTTP_HX_REQUEST="true").content.decode()
    assert "El importe prometido es mayor que el saldo (100.00)." in html
    assert "The promised amount" not in html and not Promise.objects.exists()


def test_a_refused_decision_and_the_guardrails_read_in_spanish(client_for, users):
    _spanish(users["supervisor"])
    account = funded_account(principal="100.00")
    promise = promise_create(account=account, amount="10.00", due_date=timezone.localdate() + timedelta(days=3),
                             method="ach", user=users["supervisor"])  # below the minimum, no override reason
    assert promise.status == PromiseStatus.AWAITING_APPROVAL
    assert promise.outside_guardrails == ["amount is below the minimum of 25.00"]  # the record stays English
    client = client_for("supervisor")
    html = client.get(reverse("payments:approvals")).content.decode()
    assert "el importe es inferior al mínimo de 25.00" in html and "amount is below" not in html
    response = client.post(reverse("payments:decide", args=["promise", promise.pk]), {"decision": "approve"})
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message == f"Promesa n.º {promise.pk} no aprobada: Quien registró una promesa no puede aprobarla."
