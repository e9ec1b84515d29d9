"""Promise and plan facts for the score: broken and kept promises in the last 90 days, a defaulted plan.

The ``payments`` app owns promises and plans; until its tables exist these facts are empty (the
score then counts nothing for them) and the SQL below is the one place to fold them in.
"""

from __future__ import annotations

from datetime import date

PROMISE_WINDOW_DAYS = 90

_EMPTY = ("SELECT NULL::bigint AS account_id, 0 AS broken, NULL::int AS since_broken, 0 AS kept, "
          "false AS plan_defaulted WHERE false")


def chunk_sql(*, as_of: date, lo: int, hi: int) -> tuple[str, list]:
    """SQL (and its parameters) giving one row per account in lo..hi with promise/plan facts."""
    return _EMPTY, []


def facts_python(*, account_ids, as_of: date) -> dict[int, dict]:
    """The same facts for the portable path: account id -> {"broken", "since_broken", "kept", "plan_defaulted"}."""
    return {}
