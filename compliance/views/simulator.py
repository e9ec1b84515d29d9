"""What-if: paste or edit a context and see what the engine decides (nothing is stored)."""

import json
from functools import lru_cache
from pathlib import Path

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import ADMIN, COMPLIANCE, allow_roles
from compliance.engine import evaluate
from compliance.forms import SimulatorForm, SimulatorScenarioForm
from compliance.gate.policy import policy_table
from compliance.simulation import scenario_context, shape_problem, shapes_seen

EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "examples.json"
SCENARIO_INITIAL = {"name": "Pat Doe", "debtor_kind": "person", "debt_kind": "consumer", "balance": "1843.27",
                    "state": "GA", "address_zone": "America/New_York", "phone_zone": "America/New_York",
                    "line_type": "cell", "calls_today": 0, "minutes_since_last_call": 60,
                    "calls_earlier_this_week": 0, "channel": "call", "dialer": "manual_live_agent"}


@lru_cache(maxsize=1)
def _examples() -> dict[str, dict]:
    """Worked examples (a copy of the shared examples.json), keyed by id, without expected answers."""
    data = json.loads(EXAMPLES.read_text()) if EXAMPLES.exists() else {}
    return {s["id"]: {"id": s["id"], "facts": s["facts"], "action": s["action"]} for s in data.get("scenarios", [])}


@lru_cache(maxsize=1)
def _shapes() -> dict[str, set[str]]:
    return shapes_seen(_examples().values())


def _decide(form: SimulatorForm, context: dict) -> dict | None:
    """The engine's decision on a pasted context, or None with the reason on the form: a part of the
    wrong kind (judged against the worked examples) or the engine's own refusal, never a server error."""
    problem = None
    if shape := shape_problem(context, _shapes()):
        part, kinds = shape
        if "object" in kinds:
            said = (_("%(part)s must be a JSON object or null") if "null" in kinds
                    else _("%(part)s must be a JSON object"))
        elif "list" in kinds:
            said = _("%(part)s must be a list or null") if "null" in kinds else _("%(part)s must be a list")
        else:
            said = _("%(part)s must be one value (text, a number, true or false), not an object or a list")
        problem = said % {"part": part}
    else:
        try:
            # The policy table as edited on the policy screen, so its effect can be tried here.
            return evaluate(context, policy=policy_table(on=timezone.localdate()))
        except ValueError as exc:  # the engine names the part: "facts.now must be an ISO-8601 datetime …"
            problem = str(exc).removeprefix(f"{context.get('id')}: ")
        except (TypeError, KeyError, AttributeError, IndexError) as exc:
            problem = _("a part of facts or action is not what the engine reads (%(detail)s)") % {"detail": exc}
    form.add_error("context", _("The engine cannot decide on this context: %(problem)s")
                   % {"problem": problem})
    return None


@allow_roles(COMPLIANCE, ADMIN)
def simulator(request):
    """Two ways in: a form for people (``mode=scenario``) or a raw context JSON (``mode=json``)."""
    examples = _examples()
    chosen = request.GET.get("example") or next(iter(examples), "")
    mode = request.POST.get("mode") or request.GET.get("mode") or (
        "json" if "context" in request.POST or "example" in request.GET else "scenario")
    decision = context = None
    scenario_form = SimulatorScenarioForm(initial={**SCENARIO_INITIAL, "now": timezone.localtime().replace(
        second=0, microsecond=0, tzinfo=None)})
    form = SimulatorForm(initial={"context": json.dumps(examples.get(chosen, {}), indent=2)})
    if request.method == "POST" and mode == "scenario":
        scenario_form = SimulatorScenarioForm(request.POST)
        if scenario_form.is_valid():
            context = scenario_context(scenario_form.cleaned_data)
            form = SimulatorForm(initial={"context": json.dumps(context, indent=2)})
    elif request.method == "POST":
        form = SimulatorForm(request.POST)
        if form.is_valid():
            context = form.cleaned_data["context"]
            decision = _decide(form, context)
    if context is not None and mode == "scenario":
        # The policy table as edited on the policy screen, so its effect can be tried here.
        decision = evaluate(context, policy=policy_table(on=timezone.localdate()))
    return render(request, "compliance/simulator.html", {
        "form": form, "scenario_form": scenario_form, "mode": mode, "decision": decision,
        "examples": list(examples), "chosen": chosen,
        "decision_json": json.dumps(decision, indent=2) if decision else ""})
