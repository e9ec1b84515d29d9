"""The engine's explanations read in the user's language; the decision record keeps the engine's English.

Each rule's message is read back into its template and parameters (compliance.explanations) and rendered
with gettext where it is shown: the Contact panel, the simulator, a Metro 2 run's blocked accounts."""

import json
from pathlib import Path

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from compliance.engine import evaluate
from compliance.explanations import CATALOGUE, explanation, explanations

DATA = Path(__file__).resolve().parents[2] / "compliance" / "data"


def engine_messages() -> set[str]:
    """Every violation and warning message the worked examples and the issue 12 boundaries produce."""
    found = set()
    for name in ("examples.json", "issue12_boundaries.json"):
        for items in json.loads((DATA / name).read_text()).values():
            for item in items if isinstance(items, list) else []:
                if isinstance(item, dict) and "expected" in item:
                    result = evaluate(item)
                    found |= {v["message"] for v in result.get("violations", []) + result.get("warnings", [])}
    return found


def test_every_worked_example_message_has_a_template_that_gives_back_its_english():
    messages = engine_messages()
    assert len(messages) > 30
    for message in messages:
        key = CATALOGUE.key(message)
        assert key is not None, f"no template in compliance/explanations.py for: {message}"
        assert CATALOGUE.render(key, english=True) == message
        for name, value in key["params"].items():  # the fragments a rule joined are templates too
            if name.endswith(("_text", "_list")):
                assert all(isinstance(v, dict) for v in (value if isinstance(value, list) else [value])), message


def test_every_worked_example_message_reads_in_spanish():
    for message in engine_messages():
        with translation.override("es"):
            spanish = explanation(message)
        assert spanish != message, message
        with translation.override("en"):
            assert explanation(message) == message


def test_nested_fragments_and_joined_messages_are_translated():
    message = ("Validation notice is missing required content: current creditor; itemization date type must be "
               "one of ['charge_off', 'last_payment']; CFPB website reference.")
    detail = f"{message}; Initial furnishing while a timely written dispute awaits verification."
    with translation.override("es"):
        assert explanation(message) == (
            "Al aviso de validación le falta contenido obligatorio: acreedor actual; el tipo de fecha de desglose "
            "debe ser uno de ['charge_off', 'last_payment']; referencia al sitio web de la CFPB.")
        text, translated = explanations(detail)
        assert translated and text.endswith(
            "; Primer informe al buró mientras una disputa escrita presentada a tiempo espera verificación.")
        assert explanations("A new rule's words; not known here.") == ("A new rule's words; not known here.", False)


def test_the_tag_marks_an_unknown_message_as_english():
    page = Template("{% load display %}{% explanation m %}")
    with translation.override("es"):
        assert page.render(Context({"m": "Some new rule said this."})) == \
            '<span lang="en">Some new rule said this.</span>'
        assert page.render(Context({"m": "Payment allocated to disputed debt D-1."})) == \
            "<span>Pago aplicado a la deuda disputada D-1.</span>"
    with translation.override("en"):
        assert page.render(Context({"m": "Some new rule said this."})) == "<span>Some new rule said this.</span>"


@pytest.mark.django_db
def test_the_contact_panel_explains_a_block_in_spanish_and_the_record_stays_english(client):
    from tests.factories import UserFactory
    from tests.gate.support import account_in_zone, zone_where_local_hour

    zone = zone_where_local_hour(range(0, 7))
    account = account_in_zone(zone)
    collector = UserFactory(username="noche", roles=["collector"], language="es")
    client.force_login(collector)
    html = client.get(reverse("account-contact-panel", args=[account.pk])).content.decode()
    assert f"en {zone} está fuera de 08:00–21:00; próxima hora permitida:" in html
    assert "is outside 08:00" not in html


@pytest.mark.django_db
def test_an_unconfirmed_warning_is_refused_in_the_users_language(users):
    from django.core.exceptions import ValidationError

    from compliance.gate import contact_send
    from compliance.models import CallOutcome
    from tests.gate.support import PHONE, at, atlanta_account

    account = atlanta_account()
    contact_send(account=account, channel="call", to=PHONE, user=users["collector"], outcome=CallOutcome.NO_ANSWER,
                 idempotency_key="w1", now=at(2025, 6, 10, 14, 0))
    with translation.override("es"), pytest.raises(ValidationError) as refused:
        contact_send(account=account, channel="call", to=PHONE, user=users["collector"],
                     outcome=CallOutcome.NO_ANSWER, idempotency_key="w2", now=at(2025, 6, 10, 14, 3),
                     confirm_warnings=False)
    with translation.override("es"):
        [text] = refused.value.messages
    assert text.startswith("Confirme las advertencias antes de este envío (llamada): Se llamó a ")
    assert "7 en 7" in text
