"""The state policy table as the engine's policy dict."""

from __future__ import annotations

from datetime import date

from django.db import connection
from django.forms.models import model_to_dict

from accounts.prepared import execute
from compliance.models import StatePolicy
from compliance.policy_table import FEDERAL, join_row

COLUMNS = ["call_cap", "call_cap_days", "allowed_start", "allowed_end", "time_barred_disclosure", "sol_years",
           "rules", "effective_from"]


# (day, fingerprint of the whole table) -> the policy dict built from it; one entry per process
_built: dict[tuple, dict | None] = {}


def fingerprint_sql() -> str:
    """A digest of every row of the table (PostgreSQL): any edit, insert or delete changes it. A scalar
    query, so a caller that reads other things first can fold it in as a column (the worklist pop)."""
    return (f"SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' ORDER BY t.id)), '') "
            f"FROM {StatePolicy._meta.db_table} t")


def _fingerprint() -> str | None:
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        execute(cursor, fingerprint_sql())
        return cursor.fetchone()[0]


def policy_table(*, on: date, fingerprint: str | None = None) -> dict | None:
    """``{"federal", "states"}`` from the rows in force on ``on`` (the latest start per jurisdiction).

    None when the table is empty (e.g. a database flushed by tests): the engine then uses its
    own defaults rather than an empty table that would switch every numeric check off.

    On PostgreSQL the dict is built once per day and table content: each call reads only a digest
    of the rows (one small aggregate), so an edit takes effect at the very next decision while a
    worklist pop does not rebuild the policy from every row each time. The dict is shared: read it,
    never change it (the engine only reads its policy). ``fingerprint``: the digest, when the caller
    has just read it (``fingerprint_sql``) in the same transaction's snapshot or an instant before.
    """
    fingerprint = fingerprint or _fingerprint()
    if fingerprint is None:
        return _build(on=on)
    key = (on, fingerprint)
    if key not in _built:
        _built.clear()
        _built[key] = _build(on=on)
    return _built[key]


def _build(*, on: date) -> dict | None:
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


def sol_years_by_state(*, on: date) -> dict[str, int]:
    """State -> the consumer-credit limitations period in years, from the policy the gate evaluates
    with on ``on`` (the table, else the engine's defaults). The gate's time-barred rules count it
    from the date of first delinquency in the debtor's state; the worklist's score reads the same
    numbers, so a debt the gate treats as time-barred is scored as past its limitations period."""
    from compliance.rules.state_policy import DEFAULT_POLICY

    policy = policy_table(on=on) or DEFAULT_POLICY
    out = {}
    for jurisdiction, entries in (policy.get("states") or {}).items():
        years = (entries or {}).get("consumer_credit_sol_years")
        if len(jurisdiction) == 2 and years is not None:  # states, not cities ("NYC")
            out[jurisdiction.upper()] = int(years)
    return out
