"""What-if: paste or edit a context and see what the engine decides (nothing is stored)."""

import json
from functools import lru_cache
from pathlib import Path

from django.shortcuts import render
from django.utils import timezone

from accounts.access import ADMIN, COMPLIANCE, allow_roles
from compliance.engine import evaluate
from compliance.forms import SimulatorForm
from compliance.gate.policy import policy_table

EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "examples.json"


@lru_cache(maxsize=1)
def _examples() -> dict[str, dict]:
    """Worked examples (a copy of the shared examples.json), keyed by id, without expected answers."""
    data = json.loads(EXAMPLES.read_text()) if EXAMPLES.exists() else {}
    return {s["id"]: {"id": s["id"], "facts": s["facts"], "action": s["action"]} for s in data.get("scenarios", [])}


@allow_roles(COMPLIANCE, ADMIN)
def simulator(request):
    examples = _examples()
    chosen = request.GET.get("example") or next(iter(examples), "")
    decision = None
    if request.method == "POST":
        form = SimulatorForm(request.POST)
        if form.is_valid():
            # The policy table as edited on the policy screen, so its effect can be tried here.
            decision = evaluate(form.cleaned_data["context"], policy=policy_table(on=timezone.localdate()))
    else:
        initial = json.dumps(examples.get(chosen, {}), indent=2)
        form = SimulatorForm(initial={"context": initial})
    return render(request, "compliance/simulator.html", {
        "form": form, "decision": decision, "examples": list(examples), "chosen": chosen,
        "decision_json": json.dumps(decision, indent=2) if decision else ""})
