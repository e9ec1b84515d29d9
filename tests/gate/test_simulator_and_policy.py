"""The simulator for people (scenario form -> engine) and the readable state policy page."""

from datetime import datetime

import pytest
from django.urls import reverse

from compliance.engine import evaluate
from compliance.policy_table import describe_entries
from compliance.rules.state_policy import DEFAULT_POLICY
from compliance.simulation import scenario_context

pytestmark = pytest.mark.django_db

BASE = {"now": datetime(2025, 6, 10, 22, 30), "name": "Pat Doe", "debtor_kind": "person", "debt_kind": "consumer",
        "balance": "1843.27", "state": "GA", "address_zone": "America/New_York", "phone_zone": "America/New_York",
        "line_type": "cell", "calls_today": 0, "minutes_since_last_call": 60, "calls_earlier_this_week": 0,
        "channel": "call", "dialer": "manual_live_agent"}


def test_scenario_at_2230_local_is_blocked_for_a_person_and_allowed_for_a_company():
    assert evaluate(scenario_context(BASE))["reasons"] == ["INCONVENIENT_TIME"]
    company = evaluate(scenario_context({**BASE, "debtor_kind": "company", "debt_kind": "commercial"}))
    assert company["decision"] == "allow"
    assert company["scope"] == {"D1": {"kind": "commercial", "debtor": "company"}}


def test_scenario_history_and_restrictions_reach_the_engine():
    day = {**BASE, "now": datetime(2025, 6, 10, 11, 0)}
    assert evaluate(scenario_context({**day, "calls_earlier_this_week": 7}))["reasons"] == ["CALL_FREQ_7_IN_7"]
    assert evaluate(scenario_context({**day, "conversation_days_ago": 6}))["reasons"] == [
        "CALL_WITHIN_7_DAYS_OF_CONVERSATION"]
    assert evaluate(scenario_context({**day, "conversation_days_ago": 7}))["decision"] == "allow"
    assert set(evaluate(scenario_context({**day, "cease": True, "attorney": True}))["reasons"]) == {
        "CEASE_COMMUNICATION", "ATTORNEY_REPRESENTED"}
    warned = evaluate(scenario_context({**day, "calls_today": 1, "minutes_since_last_call": 2}))
    assert [w["reason"] for w in warned["warnings"]] == ["CALLS_IN_RAPID_SUCCESSION"]
    vm = evaluate(scenario_context({**day, "voicemail_elements": ["request_to_reply", "amount_owed"]}))
    assert vm["reasons"] == ["VOICEMAIL_NOT_LIMITED_CONTENT"]
    assert evaluate(scenario_context({**day, "debt_kind": "medical", "insurance_pending": True}))["reasons"] == [
        "MEDICAL_INSURANCE_PENDING"]


def test_scenario_money_is_never_float():
    context = scenario_context(BASE)
    assert context["facts"]["debts"][0]["balance"] == "1843.27"


def test_simulator_form_page_evaluates_and_shows_scope(client_for):
    client = client_for("compliance")
    assert 'data-testid="scenario-form"' in client.get(reverse("compliance:simulator")).content.decode()
    data = {k: v for k, v in BASE.items()}
    data.update(mode="scenario", now="2025-06-10T22:30", debtor_kind="company", debt_kind="commercial")
    page = client.post(reverse("compliance:simulator"), data).content.decode()
    assert 'data-testid="simulator-verdict">ALLOW' in page
    assert "FDCPA / Regulation F" in page and "consumer debts of natural persons only" in page
    assert "&quot;kind&quot;: &quot;company&quot;" in page  # the generated JSON is ready for raw editing


def test_simulator_raw_json_still_works(client_for):
    import json

    from tests.compliance.factories import context

    page = client_for("compliance").post(reverse("compliance:simulator"), {
        "mode": "json", "context": json.dumps(context("2025-06-10T22:30:00-04:00"))}).content.decode()
    assert 'data-testid="simulator-verdict">BLOCK' in page and "INCONVENIENT_TIME" in page


def test_policy_entries_read_as_sentences():
    lines = describe_entries(DEFAULT_POLICY["states"]["MA"])
    assert lines[0] == ("At most 2 telephone communications per 7 days to a home or cell number, per debt "
                        "(from 2013-01-01)")
    assert describe_entries({"something_new": {"max": 3}}) == ["Something new: max 3"]
    assert describe_entries({"conversation_block_days": 7}) == [
        "No call for 7 days after a telephone conversation (the conversation day counts)"]


def test_policy_page_shows_no_python_dicts(client_for):
    from compliance.models import StatePolicy
    from compliance.policy_table import split_policy

    if not StatePolicy.objects.filter(state="WA").exists():  # seeded by a migration; a flushed DB has none
        row = next(r for r in split_policy(DEFAULT_POLICY) if r["state"] == "WA")
        StatePolicy.objects.create(**row)
    page = client_for("compliance").get(reverse("compliance:policy")).content.decode()
    assert "At most 1 communication(s) at the workplace per 7 days (from 2000-01-01)" in page
    assert "{&#x27;" not in page and "{'" not in page


def test_an_edit_to_the_policy_table_reaches_the_very_next_decision():
    """policy_table keeps the built dict per day and table digest: an edit must not be served stale."""
    from datetime import date, time

    from compliance.gate.policy import policy_table
    from compliance.models import StatePolicy

    day = date(2026, 6, 1)
    federal = StatePolicy.objects.filter(state="US", city="").order_by("-effective_from").first()
    if federal is None:  # a flushed database: seed the baseline the migration would have
        federal = StatePolicy.objects.create(state="US", city="", allowed_start=time(8), allowed_end=time(21),
                                             call_cap=7, call_cap_days=7, effective_from=date(2000, 1, 1))
    from django.db import connection

    first = policy_table(on=day)
    if connection.vendor == "postgresql":
        assert policy_table(on=day) is first  # built once per day and digest, shared
    before = first["federal"]["contact_window"]["end"]
    federal.allowed_end = time(20, 0)
    federal.save(update_fields=["allowed_end"])
    edited = policy_table(on=day)
    assert edited["federal"]["contact_window"]["end"] == "20:00" != before
    federal.delete()
    assert policy_table(on=day) != edited  # a deleted row is gone at once too


def _pasted(client, context):
    import json

    return client.post(reverse("compliance:simulator"), {"mode": "json", "context": json.dumps(context)})


@pytest.mark.parametrize("context, said", [
    ({"facts": [], "action": {}}, "facts must be a JSON object"),
    ({"facts": {"now": "2025-06-09T10:00:00-04:00", "debts": 5}, "action": {}}, "facts.debts must be a list"),
    ({"facts": {"now": "2025-06-09T10:00:00-04:00", "debts": [5]}, "action": {}},
     "facts.debts[] must be a JSON object"),
    ({"facts": {"now": "2025-06-09T10:00:00-04:00", "cease_notice": "yes"}, "action": {}},
     "facts.cease_notice must be a JSON object or null"),
    ({"facts": {"now": "2025-06-09T10:00:00-04:00"}, "action": {"channel": ["call"]}},
     "action.channel must be one value (text, a number, true or false), not an object or a list"),
    ({"facts": {"now": "yesterday"}, "action": {"channel": "call"}},
     "facts.now must be an ISO-8601 datetime with an offset"),
])
def test_a_pasted_context_the_engine_cannot_read_is_a_form_error_naming_the_part(client_for, context, said):
    response = _pasted(client_for("compliance"), context)
    assert response.status_code == 200
    assert response.context["form"].errors["context"] == [f"The engine cannot decide on this context: {said}"]
    assert response.context["decision"] is None


def test_every_fact_and_action_of_a_worked_example_of_any_json_kind_never_answers_500(client_for):
    """Each part of a worked example replaced by each JSON kind: a decision or a form error, never a 500."""
    import copy

    from compliance.views.simulator import _examples

    client = client_for("compliance")
    example = _examples()["FREQ-01"]
    kinds = (7, "zz", [1], {"a": 1}, None, True)
    answered = 0
    for part in ("facts", "action"):
        for key in example[part]:
            for kind in kinds:
                context = copy.deepcopy(example)
                context[part][key] = kind
                response = _pasted(client, context)
                assert response.status_code == 200, (part, key, kind)
                assert (response.context["decision"] is None) == bool(response.context["form"].errors)
                answered += 1
    assert answered == 6 * (len(example["facts"]) + len(example["action"]))


def test_a_refused_context_reads_in_spanish(client_for, users):
    users["compliance"].language = "es"
    users["compliance"].save(update_fields=["language"])
    response = _pasted(client_for("compliance"), {"facts": {"now": "2025-06-09T10:00:00-04:00", "debts": 5},
                                                  "action": {}})
    assert response.context["form"].errors["context"] == [
        "El motor no puede decidir sobre este contexto: facts.debts debe ser una lista"]
