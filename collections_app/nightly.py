"""The night: every nightly job in order, each idempotent and set-based, each timed.

Order matters: promises and plans are judged first (a broken promise changes the score), then
settlement offers expire and interest accrues (balances change the score), then the worklist is
re-prioritised, and last the reminders for tomorrow are queued (their sending happens through the
gate, at each debtor's lawful time, by ``payments.tasks.reminders_dispatch``).
"""

from __future__ import annotations

import time
from datetime import date

from celery import shared_task

from accounts.dates import record_date
from payments import nightly as payments_nightly

from .dashboards.nightly import dashboards_nightly


def _reprioritize(*, today: date) -> dict:
    try:  # the worklist's re-prioritisation (issue 7), when it is installed
        from collections_app.worklist.rescoring import reprioritize_all
    except ImportError:
        return {"skipped": "worklist re-prioritisation is not installed"}
    return reprioritize_all()


def _skip_trace(*, today: date) -> dict:
    """Lost debtors (no usable address or phone) whose accounts have no skip-trace case get one."""
    from collections_app.skiptrace.services import skip_cases_sweep

    return skip_cases_sweep()


STEPS = (
    ("promises", payments_nightly.promises_judge),
    ("plans", payments_nightly.plans_check),
    ("settlements", payments_nightly.settlements_expire),
    ("interest", payments_nightly.interest_accrue),
    ("skip_trace", _skip_trace),  # before the rescoring: a new case takes its account off the list
    ("reprioritize", _reprioritize),
    ("dashboards", dashboards_nightly),  # the month's opening aging snapshot, after the new buckets
    ("reminders", payments_nightly.reminders_queue),
)


def run_night(*, today: date | None = None, only: list[str] | None = None) -> dict:
    """Run the steps in order; returns {step: {counts..., "seconds"}, "seconds": total}."""
    today = today or record_date()
    summary, started = {"date": today.isoformat()}, time.perf_counter()
    for name, step in STEPS:
        if only and name not in only:
            continue
        t0 = time.perf_counter()
        result = step(today=today)
        summary[name] = {**result, "seconds": round(time.perf_counter() - t0, 3)}
    summary["seconds"] = round(time.perf_counter() - started, 3)
    return summary


@shared_task(name="collections_app.nightly.run_nightly", acks_late=True)
def run_nightly_task() -> dict:
    # acks_late is safe: every step is idempotent, so a worker lost mid-night is simply re-run.
    summary = run_night()
    from payments.tasks import reminders_dispatch

    reminders_dispatch.delay()
    return summary
