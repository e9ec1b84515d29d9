"""The state policy table as the engine's policy dict."""

from __future__ import annotations

from datetime import date

from django.forms.models import model_to_dict

from compliance.models import StatePolicy
from compliance.policy_table import FEDERAL, join_row

COLUMNS = ["call_cap", "call_cap_days", "allowed_start", "allowed_end", "time_barred_disclosure", "sol_years",
           "rules", "effective_from"]


def policy_table(*, on: date) -> dict | None:
    """``{"federal", "states"}`` from the rows in force on ``on`` (the latest start per jurisdiction).

    None when the table is empty (e.g. a database flushed by tests): the engine then uses its
    own defaults rather than an empty table that would switch every numeric check off.
    """
    rows = list(StatePolicy.objects.filter(effective_from__lte=on).order_by("state", "city", "-effective_from"))
    if not rows:
        return None
    policy: dict = {"federal": {}, "states": {}}
    seen: set[str] = set()
    for row in rows:
        key = row.jurisdiction
        if key in seen:
            continue
        seen.add(key)
        entries = join_row(key, model_to_dict(row, fields=COLUMNS))
        if key == FEDERAL:
            policy["federal"] = entries
        else:
            policy["states"][key] = entries
    if not policy["federal"]:
        return None  # states without a federal baseline would disable the federal numbers
    return policy
