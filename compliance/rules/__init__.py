"""The compliance checks, one small class per FDCPA / Reg F / state / TCPA rule.

``DEFAULT_RULES`` is the ordered list ``compliance.engine.evaluate`` runs; each module groups
the checks for one topic of COMPLIANCE.md section 2.
"""

from __future__ import annotations

from compliance.rules import (
    attorney,
    bankruptcy,
    cease,
    credit_reporting,
    deceased,
    disputes,
    electronic,
    electronic_delivery,
    fraud,
    frequency,
    inputs,
    medical,
    rebuttal,
    scra,
    state,
    tcpa,
    third_party,
    time_barred,
    time_place,
    validation,
)
from compliance.rules.base import Rule, Violation

DEFAULT_RULES: list[Rule] = [
    *inputs.RULES,
    *fraud.RULES,
    *frequency.RULES,
    *time_place.RULES,
    *validation.RULES,
    *disputes.RULES,
    *cease.RULES,
    *attorney.RULES,
    *third_party.RULES,
    *deceased.RULES,
    *electronic.RULES,
    *electronic_delivery.RULES,
    *time_barred.RULES,
    *credit_reporting.RULES,
    *medical.RULES,
    *bankruptcy.RULES,
    *scra.RULES,
    *state.RULES,
    *tcpa.RULES,
    *rebuttal.RULES,
]

__all__ = ["DEFAULT_RULES", "Rule", "Violation"]
