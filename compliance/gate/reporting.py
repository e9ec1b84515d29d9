"""The gate's door for credit-bureau furnishing (``channel: credit_report``).

A Metro 2 run asks here, account by account, whether the record it is about to write may be furnished;
the same engine and rules as every other channel decide (COMPLIANCE.md J, K, L). Read-only: the run keeps
the decision on its own record (``Metro2Record``), as the contact log does for messages.
"""

from __future__ import annotations

from datetime import datetime

from accounts.models import Account
from compliance.engine import evaluate

from .policy import policy_table
from .snapshot import build_context


def credit_report_check(*, account: Account, metro2: dict, now: datetime, previously_furnished: bool = False,
                        last_furnished: dict | None = None, debt_status: dict | None = None) -> dict:
    """The engine's decision on furnishing ``metro2`` (the Base segment's codes) for ``account`` now.

    ``previously_furnished`` / ``last_furnished`` come from the run history (initial furnishing is held to
    the passive-collection wait and pending disputes); ``debt_status`` adds what the account's status says
    (``paid_in_full_on``, ``settled_on``, ``settled_for_less``, ``recalled_on``) so FED-CR-04 can check the
    status code against the facts.
    """
    action = {"channel": "credit_report", "recipient": "cra", "purpose": "collection", "direction": "outbound",
              "report_type": "update" if previously_furnished else "initial", "metro2": metro2}
    context = build_context(account=account, action=action, now=now)
    context["facts"]["credit_reporting"] = {**context["facts"].get("credit_reporting", {}),
                                            "previously_furnished": previously_furnished,
                                            "last_furnished": last_furnished}
    if debt_status:
        context["facts"]["debts"][0].update(debt_status)
    return evaluate(context, policy=policy_table(on=now.date()))
