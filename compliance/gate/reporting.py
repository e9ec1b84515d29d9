"""The gate's door for credit-bureau furnishing (``channel: credit_report``).

A Metro 2 run asks here whether each record it is about to write may be furnished; the same engine and
rules as every other channel decide (COMPLIANCE.md J, K, L). ``credit_report_check`` decides for one
account; ``decide_many`` for a whole run, a chunk at a time, reading the facts of each chunk in a fixed
number of queries (``compliance.gate.batch``) and giving each account the decision ``credit_report_check``
would. Read-only: the run keeps the decision on its own record (``Metro2Record``), as the contact log does
for messages.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from accounts.models import Account
from compliance.engine import evaluate

from .batch import CHUNK_SIZE, build_contexts
from .policy import policy_table
from .snapshot import build_context

__all__ = ["credit_report_check", "decide_many"]


def _action(*, metro2: dict, previously_furnished: bool) -> dict:
    return {"channel": "credit_report", "recipient": "cra", "purpose": "collection", "direction": "outbound",
            "report_type": "update" if previously_furnished else "initial", "metro2": metro2}


def _with_reporting(context: dict, *, previously_furnished: bool, last_furnished: dict | None,
                    debt_status: dict | None) -> dict:
    context["facts"]["credit_reporting"] = {**context["facts"].get("credit_reporting", {}),
                                            "previously_furnished": previously_furnished,
                                            "last_furnished": last_furnished}
    if debt_status:
        context["facts"]["debts"][0].update(debt_status)
    return context


def credit_report_check(*, account: Account, metro2: dict, now: datetime, previously_furnished: bool = False,
                        last_furnished: dict | None = None, debt_status: dict | None = None) -> dict:
    """The engine's decision on furnishing ``metro2`` (the Base segment's codes) for ``account`` now.

    ``previously_furnished`` / ``last_furnished`` come from the run history (initial furnishing is held to
    the passive-collection wait and pending disputes); ``debt_status`` adds what the account's status says
    (``paid_in_full_on``, ``settled_on``, ``settled_for_less``, ``recalled_on``) so FED-CR-04 can check the
    status code against the facts.
    """
    context = build_context(account=account, action=_action(metro2=metro2, previously_furnished=previously_furnished),
                            now=now)
    _with_reporting(context, previously_furnished=previously_furnished, last_furnished=last_furnished,
                    debt_status=debt_status)
    return evaluate(context, policy=policy_table(on=now.date()))


def decide_many(requests: Iterable[dict], *, channel: str, at: datetime, policy: dict | None = None,
                chunk_size: int = CHUNK_SIZE) -> list[dict]:
    """The gate's decision for each request, in order: the batch form of the channel's one-account check.

    ``channel`` must be ``credit_report`` (the only batch channel so far); each request is
    ``{"account", "metro2", "previously_furnished", "last_furnished", "debt_status"}`` as
    ``credit_report_check`` takes them. The facts are read a chunk at a time (``chunk_size`` accounts, a
    fixed number of queries each) and the state policy table once (or pass ``policy``, the table in force
    ``at``, to read it once per run); each account is then judged by the same pure engine.
    """
    if channel != "credit_report":
        raise ValueError(f"decide_many supports channel 'credit_report' only, not {channel!r}.")
    requests = list(requests)
    if policy is None:
        policy = policy_table(on=at.date())
    decisions: list[dict] = []
    for start in range(0, len(requests), chunk_size):
        chunk = requests[start:start + chunk_size]
        contexts = build_contexts(accounts=[r["account"] for r in chunk], now=at)
        for request in chunk:
            previously = bool(request.get("previously_furnished"))
            context = contexts[request["account"].pk]
            context["action"] = {**_action(metro2=request["metro2"], previously_furnished=previously),
                                 "debt_ids": context["action"]["debt_ids"]}
            _with_reporting(context, previously_furnished=previously, last_furnished=request.get("last_furnished"),
                            debt_status=request.get("debt_status"))
            decisions.append(evaluate(context, policy=policy))
    return decisions
