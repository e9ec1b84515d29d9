"""Transactions import: stream-parse → COPY into a TEMP staging table → validate in SQL → one merge.

Nothing is written to the ledger until the merge, which runs in one transaction together with the
balance update and the batch's final status: a file lands whole or not at all, and a rerun after a
worker died repeats the work with the same result (references are unique per creditor).
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from ..ledger_csv import RowError, Summary, cents_to_decimal, open_ledger
from .staging import Staging

OK, UNKNOWN_ACCOUNT, REFERENCE_CONFLICT, DUPLICATE = 0, 1, 2, 3
# Progress is written once per this many rows: often enough for a live bar, cheap at 1M rows.
PROGRESS_EVERY = 50_000


@dataclass
class StageResult:
    rows: int = 0
    staged: int = 0
    summary: Summary | None = None


def stage_file(*, path, mapping, max_bytes, staging: Staging, progress: Callable[[int], None],
               error_sink: Callable[[RowError], None], preview: int = 20) -> StageResult:
    """Parse the whole file into staging; row errors go to `error_sink` in line order. The summary
    counts rows and errors and keeps a preview; totals by type come from SQL (staged_totals)."""
    summary = Summary(preview_size=preview)
    result = StageResult(summary=summary)
    staging.create()
    with open_ledger(path, kind="transactions", mapping=mapping, max_bytes=max_bytes) as ledger:
        staging.load(_valid_rows(ledger, summary, error_sink, progress, preview))
    result.rows = summary.rows
    result.staged = staging.count
    progress(summary.rows)
    return result


def _valid_rows(items, summary: Summary, error_sink, progress, preview: int) -> Iterator:
    """Tally every item, send row errors to the sink, yield the valid rows. The hot loop does only
    what SQL can't do later: valid rows past the preview are just counted."""
    add_summary = summary.add
    seen = valid_unsummarised = 0
    for item in items:
        seen += 1
        if item.__class__ is RowError:
            add_summary(item)
            error_sink(item)
        elif len(summary.preview) < preview:
            add_summary(item)
            yield item
        else:
            valid_unsummarised += 1
            yield item
        if seen % PROGRESS_EVERY == 0:
            progress(seen)
    summary.valid += valid_unsummarised


def staged_totals(*, staging: Staging) -> tuple[dict[str, dict], str]:
    """Count and sum (as written in the file) by type, and the net change to balances."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT kind, COUNT(*), SUM(amount_cents), SUM(signed_cents) FROM {staging.name}"
                       " GROUP BY kind ORDER BY kind")
        rows = cursor.fetchall()
    totals = {kind: {"count": n, "amount": str(cents_to_decimal(int(cents)))} for kind, n, cents, _ in rows}
    net = cents_to_decimal(sum(int(signed) for *_, signed in rows))
    return totals, str(net)


def classify(*, staging: Staging, creditor_id: int) -> dict[str, int]:
    """Resolve accounts and check references against the ledger, set-based. Returns state counts."""
    t = staging.name
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {t}")  # fresh statistics: the planner must see millions of rows, not 1,000
        cursor.execute(
            f"UPDATE {t} SET account_id = a.id FROM accounts_account a"
            f" WHERE a.creditor_id = %s AND a.creditor_account_number = {t}.account_number", [creditor_id])
        cursor.execute(f"UPDATE {t} SET state = {UNKNOWN_ACCOUNT} WHERE account_id IS NULL")
        cursor.execute(
            f"UPDATE {t} SET state = CASE WHEN l.fingerprint = {t}.fingerprint AND l.account_id = {t}.account_id"
            f" THEN {DUPLICATE} ELSE {REFERENCE_CONFLICT} END"
            f" FROM accounts_ledgerentry l WHERE {t}.state = {OK} AND l.creditor_id = %s"
            f" AND l.reference = {t}.reference", [creditor_id])
        cursor.execute(f"SELECT state, COUNT(*) FROM {t} GROUP BY state")
        return {state: n for state, n in cursor.fetchall()}


def database_errors(*, staging: Staging, creditor_code: str) -> Iterator[RowError]:
    """Row errors only the database can see, in line order."""
    t = staging.name
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT line, state, account_number, reference FROM {t}"
                       f" WHERE state IN ({UNKNOWN_ACCOUNT}, {REFERENCE_CONFLICT}) ORDER BY line")
        while batch := cursor.fetchmany(5000):
            for line, state, number, reference in batch:
                if state == UNKNOWN_ACCOUNT:
                    yield RowError(line, "creditor_account_number", number,
                                   f"unknown account {number!r} for creditor {creditor_code}")
                else:
                    yield RowError(line, "reference", reference,
                                   f"reference {reference!r} was already imported with different content")


def merge(*, staging: Staging, creditor_id: int, batch_id: int, user_id: int | None) -> dict[str, int]:
    """Append the staged rows that are OK and move balances; caller holds the transaction."""
    assert transaction.get_connection().in_atomic_block, "merge must run inside the batch's transaction"
    t = staging.name
    now = timezone.now()
    insert = (
        "INSERT INTO accounts_ledgerentry (account_id, creditor_id, kind, amount, posted_date, reference, memo,"
        " source, import_batch_id, fingerprint, created_by_id, created_at)"
        f" SELECT s.account_id, %s, s.kind, s.signed_cents / 100.0, s.posted_date, s.reference,"
        " COALESCE(SUBSTR(s.memo, 1, 255), ''),"
        f" 'import', %s, s.fingerprint, %s, %s FROM {t} s WHERE s.state = {OK}")
    # No ON CONFLICT (it costs a third of the insert): classify() already set aside references in
    # the ledger, and if another import wrote one since, the unique index raises IntegrityError,
    # the transaction rolls back and the service classifies and merges again.
    params = [creditor_id, batch_id, user_id, now]
    balance_update = (
        "UPDATE accounts_account SET current_balance = accounts_account.current_balance + d.total,"
        " last_payment_date = CASE WHEN d.last_payment IS NOT NULL AND (accounts_account.last_payment_date IS NULL"
        " OR d.last_payment > accounts_account.last_payment_date) THEN d.last_payment"
        " ELSE accounts_account.last_payment_date END, updated_at = %s"
        " FROM (SELECT account_id, SUM(amount) AS total, MAX(CASE WHEN kind = 'payment' THEN posted_date END)"
        " AS last_payment FROM {source} GROUP BY account_id) d WHERE accounts_account.id = d.account_id")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One statement: balances move by exactly the rows this INSERT wrote (RETURNING).
            cursor.execute(
                f"WITH inserted AS ({insert} RETURNING account_id, amount, kind, posted_date),"
                " counted AS (SELECT COUNT(*) AS n FROM inserted),"
                f" moved AS ({balance_update.format(source='inserted')} RETURNING 1)"
                " SELECT (SELECT n FROM counted), (SELECT COUNT(*) FROM moved)", params + [now])
            created, updated = cursor.fetchone()
        else:
            # SQLite holds the database lock for the whole transaction: no other batch can interleave.
            cursor.execute(insert, params)
            created = cursor.rowcount
            cursor.execute(balance_update.format(
                source=f"(SELECT account_id, kind, posted_date, signed_cents / 100.0 AS amount FROM {t}"
                       f" WHERE state = {OK})"), [now])
            updated = cursor.rowcount
    return {"created": created, "accounts_updated": updated}
