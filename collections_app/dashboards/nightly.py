"""The dashboards' part of the night: the month's opening aging snapshot (idempotent: once a month)."""

from datetime import date

from django.db import connection, transaction

from accounts.dates import record_date

from . import summaries


def dashboards_nightly(*, today: date | None = None) -> dict:
    today = today or record_date()
    with transaction.atomic():
        rows = summaries.snapshot_month(today.replace(day=1))
    return {"snapshot_month": today.replace(day=1).isoformat(), "snapshot_rows": rows}


def dashboards_verify() -> dict:
    """Rows where a summary and a direct computation from the base tables disagree, per summary."""
    return {s.table: len(summaries.differences(s)) for s in summaries.summaries(connection.vendor)}
