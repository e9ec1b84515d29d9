"""Transactions import: stream-parse → COPY into a TEMP staging table → validate in SQL → one merge.

Nothing is written to the ledger until the merge, which runs in one transaction together with the
balance update and the batch's final status: a file lands whole or not at all, and a rerun after a
worker died repeats the work with the same result (references are unique per creditor).
"""

import io
import queue
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from ..ledger_csv import NO_LIMITS, FieldLimits, RowError, Summary, TransactionRow, cents_to_decimal, open_ledger
from ..ledger_csv import parallel as ledger_parallel
from ..ledger_csv.limits import format_limit
from .staging import COLUMNS, READ_SIZE, Staging

OK, UNKNOWN_ACCOUNT, REFERENCE_CONFLICT, DUPLICATE = 0, 1, 2, 3
REVERSAL_SIGN, REVERSAL_UNKNOWN, REPEATED_REFERENCE, BALANCE_OVERFLOW = 4, 5, 6, 7
INVALID_STATES = (UNKNOWN_ACCOUNT, REFERENCE_CONFLICT, REVERSAL_SIGN, REVERSAL_UNKNOWN, REPEATED_REFERENCE,
                  BALANCE_OVERFLOW)
# A dry run's warnings: an average amount this many times the creditor's usual is implausible.
IMPLAUSIBLE_RATIO = 100
EARLIEST_PLAUSIBLE_YEAR = 1990
# Progress is written once per this many rows: often enough for a live bar, cheap at 1M rows.
PROGRESS_EVERY = 50_000


@dataclass
class StageResult:
    rows: int = 0
    staged: int = 0
    summary: Summary | None = None
    generated_references: bool = False
    has_reverses: bool = False
    repeated_references_in_sql: bool = False  # the parse did not index references (parallel parsing)
    created: int = 0  # entries a pipeline wrote while staging (see Pipeline)


def stage_file(*, path, mapping, max_bytes, staging: Staging, progress: Callable[[int], None],
               error_sink: Callable[[RowError], None], preview: int = 20,
               creditor_currency: str | None = None, parallel: bool = False,
               limits: FieldLimits = NO_LIMITS, pipeline: "Pipeline | None" = None) -> StageResult:
    """Parse the whole file into staging; row errors go to `error_sink` in line order. The summary
    counts rows and parse errors; totals, preview and the checks only SQL can do come after.
    With a ``pipeline`` the staged rows are also written to the ledger as they land (see Pipeline);
    a file the pipeline cannot take as it is raises PipelineAbort before any row is read."""
    summary = Summary(preview_size=preview)
    result = StageResult(summary=summary)
    staging.create()
    with open_ledger(path, kind="transactions", mapping=mapping, max_bytes=max_bytes,
                     creditor_currency=creditor_currency, limits=limits) as ledger:
        result.generated_references = ledger.plan.generates_references
        result.has_reverses = "reverses" in ledger.plan.sources
        if pipeline is not None:
            pipeline.check(staging=staging, plan_generates_references=result.generated_references,
                           has_reverses=result.has_reverses, summary=summary)
        parts = ledger_parallel.split(path, header_line=ledger.header_line, encoding=ledger.encoding) \
            if parallel and staging.postgres else None
        if parts is None:
            staging.load(_valid_rows(ledger, summary, error_sink, progress, preview), pipeline=pipeline)
        else:
            _stage_in_two(ledger, parts, path=path, mapping=mapping, creditor_currency=creditor_currency,
                          staging=staging, summary=summary, error_sink=error_sink, progress=progress,
                          preview=preview, pipeline=pipeline)
            result.repeated_references_in_sql = True
    if pipeline is not None:
        result.created = pipeline.created
    if result.generated_references:
        staging.generate_references()
    result.rows = summary.rows
    result.staged = staging.count
    progress(summary.rows)
    return result


def _stage_in_two(ledger, parts, *, path, mapping, creditor_currency, staging: Staging, summary: Summary,
                  error_sink, progress, preview, pipeline: "Pipeline | None" = None) -> None:
    """Both cores: a helper process parses the second half while this one parses the first; both stream
    into the one COPY. Row errors reach the sink in line order (the helper's lines all come later)."""
    own, theirs = parts
    helper = ledger_parallel.Helper(path=path, part=theirs, encoding=ledger.encoding, delimiter=ledger.delimiter,
                                    headers=list(ledger.headers), kind="transactions", mapping=mapping,
                                    creditor_currency=creditor_currency, limits=ledger.limits)
    try:
        items = ledger.validate(ledger_parallel.records(path, own, encoding=ledger.encoding,
                                                        delimiter=ledger.delimiter), check_duplicates=False)
        reader = ledger_parallel.Interleaved(
            _valid_rows(items, summary, error_sink, lambda n: progress(2 * n), preview), helper)
        staging.load_from(reader, pipeline=pipeline)
        counts = helper.finish()
        for line, column, value, message in helper.errors():
            error_sink(RowError(line, column or None, value, message))
    finally:
        helper.close()
    summary.valid += counts["valid"]
    summary.invalid += counts["invalid"]
    summary.errors += counts["errors"]


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


def staged_stats(*, staging: Staging, today, all_written: bool = False) -> list[tuple]:
    """One pass over the rows the import writes (not rows the database checks rejected, not duplicates of
    earlier imports), by type: count, sum as written, signed sum, average size, all whole numbers?, rows
    dated in the future / before 1990 (with the first line of each), reversals naming nothing.
    ``all_written``: every staged row was written (a pipelined import): no filter on the state, whose
    selectivity the planner cannot see on the chunk tables (it then sorts a million rows for 5 groups)."""
    early = f"{EARLIEST_PLAUSIBLE_YEAR}-01-01"
    which = "" if all_written else f" WHERE state = {OK}"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT kind, COUNT(*), SUM(amount_cents), SUM(signed_cents), AVG(ABS(amount_cents)),"
            " MIN(CASE WHEN amount_cents %% 100 = 0 THEN 1 ELSE 0 END) = 1, COUNT(*) FILTER (WHERE posted_date > %s),"
            " MIN(line) FILTER (WHERE posted_date > %s), COUNT(*) FILTER (WHERE posted_date < %s),"
            " MIN(line) FILTER (WHERE posted_date < %s),"
            " COUNT(*) FILTER (WHERE kind = 'reversal' AND COALESCE(reverses, '') = '')"
            f" FROM {staging.name}{which} GROUP BY kind ORDER BY kind", [today, today, early, early])
        return cursor.fetchall()


def staged_totals(*, stats: list[tuple]) -> tuple[dict[str, dict], str]:
    """Count and sum (as written in the file) by type, and the net change to balances."""
    totals = {row[0]: {"count": row[1], "amount": str(cents_to_decimal(int(row[2])))} for row in stats}
    return totals, str(cents_to_decimal(sum(int(row[3]) for row in stats)))


def staged_preview(*, staging: Staging, limit: int) -> list[dict]:
    """The first rows the import writes, for the dry-run preview."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT line, account_number, posted_date, kind, amount_cents, signed_cents, reference, memo"
                       f" FROM {staging.name} WHERE state = {OK} ORDER BY line LIMIT %s", [limit])
        rows = cursor.fetchall()
    return [_preview_row(*row) for row in rows]


def parsed_preview(*, summary: Summary, limit: int) -> list[dict] | None:
    """The same preview without a pass over a million staged rows, when every valid row was written (a
    pipelined import): the parse kept the first valid rows of the part this process read, which is the
    start of the file, in line order. None when it kept fewer than ``limit`` (ask staged_preview)."""
    rows = summary.preview[:limit]
    if len(rows) < limit or any(row.__class__ is not TransactionRow for row in rows):
        return None
    return [_preview_row(row.line, row.creditor_account_number, row.posted_date, row.kind, row.amount_cents,
                         row.signed_amount_cents, row.reference, row.memo) for row in rows]


def _preview_row(line, number, posted, kind, cents, signed, reference, memo) -> dict:
    return {"line": str(line), "creditor_account_number": number, "posted_date": str(posted), "kind": kind,
            "amount": str(cents_to_decimal(int(cents))), "ledger_amount": str(cents_to_decimal(int(signed))),
            "reference": reference, "memo": memo or ""}


def mark_repeated_references(*, staging: Staging) -> None:
    """A reference used on several lines of the file: every line after the first is an error."""
    t = staging.name
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {t} SET state = {REPEATED_REFERENCE} FROM (SELECT reference, MIN(line) AS first FROM {t}"
            f" GROUP BY reference HAVING COUNT(*) > 1) d WHERE {t}.reference = d.reference AND {t}.line > d.first")


def classify(*, staging: Staging, creditor_id: int, check_reversals: bool = False,
             balance_max_cents: int | None = None) -> dict[str, int]:
    """Resolve accounts and check references against the ledger, set-based; with ``balance_max_cents``,
    check that no account's balance would leave what its column holds once the rows land (every row
    of such an account is set aside: which to drop is the creditor's decision). Returns state counts."""
    t = staging.name
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {t}")  # fresh statistics: the planner must see millions of rows, not 1,000
        # Only rows with a problem are written: rewriting every staged row with its account id cost more
        # than joining accounts again in the merge.
        cursor.execute(
            f"UPDATE {t} SET state = {UNKNOWN_ACCOUNT} WHERE state = {OK} AND NOT EXISTS (SELECT 1 FROM"
            f" accounts_account a WHERE a.creditor_id = %s AND a.creditor_account_number = {t}.account_number)",
            [creditor_id])
        # The fingerprint covers the account number, date, type and signed amount: same reference and
        # fingerprint is the same entry again (a duplicate), same reference otherwise is a conflict.
        cursor.execute(
            f"UPDATE {t} SET state = CASE WHEN l.fingerprint = {t}.fingerprint THEN {DUPLICATE}"
            f" ELSE {REFERENCE_CONFLICT} END"
            f" FROM accounts_ledgerentry l WHERE {t}.state = {OK} AND l.creditor_id = %s"
            f" AND l.reference = {t}.reference", [creditor_id])
        if check_reversals:
            # A reversal naming the entry it undoes must move the balance the other way, on the same
            # account; the entry may be in the ledger or earlier in this file.
            cursor.execute(
                f"UPDATE {t} SET state = CASE WHEN o.amount IS NULL THEN {REVERSAL_UNKNOWN} ELSE {REVERSAL_SIGN} END"
                f" FROM (SELECT r.line, COALESCE(l.amount * 100, s.signed_cents) AS amount,"
                f" COALESCE(la.creditor_account_number, s.account_number) AS account_number FROM {t} r"
                " LEFT JOIN accounts_ledgerentry l ON l.creditor_id = %s AND l.reference = r.reverses"
                " LEFT JOIN accounts_account la ON la.id = l.account_id"
                f" LEFT JOIN {t} s ON s.reference = r.reverses AND s.line <> r.line"
                f" WHERE r.kind = 'reversal' AND r.reverses <> '' AND r.state = {OK}) o"
                f" WHERE {t}.line = o.line AND (o.amount IS NULL OR SIGN(o.amount) = SIGN({t}.signed_cents)"
                f" OR o.account_number <> {t}.account_number)", [creditor_id])
        if balance_max_cents is not None:
            # Staging holds the file's account number, not the id: join the account by its number.
            cursor.execute(
                f"UPDATE {t} SET state = {BALANCE_OVERFLOW} FROM ("
                f" SELECT s.account_number FROM {t} s JOIN accounts_account a"
                " ON a.creditor_id = %s AND a.creditor_account_number = s.account_number"
                f" WHERE s.state = {OK} GROUP BY s.account_number, a.current_balance"
                " HAVING ABS(a.current_balance * 100 + SUM(s.signed_cents)) > %s) o"
                f" WHERE {t}.account_number = o.account_number AND {t}.state = {OK}",
                [creditor_id, balance_max_cents])
        cursor.execute(f"SELECT state, COUNT(*) FROM {t} GROUP BY state")
        return {state: n for state, n in cursor.fetchall()}


def near_misses(*, staging: Staging, creditor_id: int, limit: int = 1000) -> dict[str, str]:
    """Unknown account numbers that match an existing account once leading zeros, surrounding
    spaces and letter case are ignored (a spreadsheet strips 0000611365 to 611365): {file: ours}."""
    t = staging.name
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT u.n, MIN(a.creditor_account_number) FROM (SELECT DISTINCT account_number AS n FROM {t}"
            f" WHERE state = {UNKNOWN_ACCOUNT} LIMIT %s) u JOIN accounts_account a ON a.creditor_id = %s"
            " AND LTRIM(LOWER(TRIM(a.creditor_account_number)), '0') = LTRIM(LOWER(TRIM(u.n)), '0')"
            " GROUP BY u.n", [limit, creditor_id])
        return dict(cursor.fetchall())


def database_errors(*, staging: Staging, creditor_code: str, hints: dict[str, str] | None = None,
                    balance_max_cents: int | None = None) -> Iterator[RowError]:
    """Row errors only the database can see, in line order."""
    t = staging.name
    hints = hints or {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s.line, s.state, s.account_number, s.reference, s.reverses, s.amount_cents, o.balance_cents"
            f" FROM {t} s LEFT JOIN ("
            f" SELECT x.account_number, a.current_balance * 100 + SUM(x.signed_cents) AS balance_cents FROM {t} x"
            " JOIN accounts_account a ON a.creditor_account_number = x.account_number"
            " AND a.creditor_id = (SELECT id FROM accounts_creditor WHERE code = %s)"
            f" WHERE x.state = {BALANCE_OVERFLOW}"
            " GROUP BY x.account_number, a.current_balance) o ON o.account_number = s.account_number"
            f" WHERE s.state IN ({', '.join(map(str, INVALID_STATES))}) ORDER BY s.line", [creditor_code])
        limit = format_limit(balance_max_cents) if balance_max_cents is not None else ""
        while batch := cursor.fetchmany(5000):
            for line, state, number, reference, reverses, amount_cents, balance_cents in batch:
                if state == UNKNOWN_ACCOUNT:
                    hint = hints.get(number)
                    yield RowError(line, "creditor_account_number", number,
                                   f"unknown account {number!r} for creditor {creditor_code}"
                                   + (f"; did you mean {hint!r}? (they differ only by leading zeros, spaces or"
                                      " letter case)" if hint else ""))
                elif state == BALANCE_OVERFLOW:
                    cents = int(balance_cents)
                    balance = ("-" if cents < 0 else "") + format_limit(abs(cents))
                    yield RowError(line, "amount", str(cents_to_decimal(amount_cents)),
                                   f"account {number!r} would reach a balance of {balance}, over the largest "
                                   f"balance an account holds ({limit}); none of its rows can be imported")
                elif state == REFERENCE_CONFLICT:
                    yield RowError(line, "reference", reference,
                                   f"reference {reference!r} was already imported with different content")
                elif state == REPEATED_REFERENCE:
                    yield RowError(line, "reference", reference, f"reference {reference!r} is used on an earlier"
                                   " line of this file")
                elif state == REVERSAL_UNKNOWN:
                    yield RowError(line, "reverses", reverses, f"reverses {reverses!r}: no such reference in the"
                                   " ledger or in this file")
                else:
                    yield RowError(line, "amount", reference, f"reversal of {reverses!r} has the wrong sign or"
                                   " account: a reversal must move the balance the opposite way to the entry it"
                                   " reverses, on the same account")


def creditor_usual_amounts(*, creditor_id: int) -> dict[str, tuple[float, int]]:
    """The creditor's usual amounts by type (average size in cents, entries sampled): a bounded sample of
    its ledger (the reference index's creditor prefix), never a walk over other creditors' entries."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT kind, AVG(ABS(amount)) * 100, COUNT(*) FROM (SELECT kind, amount FROM"
                       " accounts_ledgerentry WHERE creditor_id = %s LIMIT 20000) sample GROUP BY kind", [creditor_id])
        return {kind: (float(average or 0), n) for kind, average, n in cursor.fetchall()}


def staged_warnings(*, staging: Staging, stats: list[tuple], creditor_id: int, hints: dict[str, str],
                    generated_references: bool, balances: bool = True,
                    usual_amounts: dict[str, tuple[float, int]] | None = None) -> list[str]:
    """What is allowed but probably wrong, for the clerk to look at before importing. ``balances``: also
    compare payments with the accounts' balances (a join over every staged account: dry runs only).
    ``usual_amounts``: creditor_usual_amounts() taken before this file's rows were written, if they were."""
    t = staging.name
    warnings: list[str] = []
    future = sum(row[6] for row in stats)
    old = sum(row[8] for row in stats)
    unchecked = sum(row[10] for row in stats)
    if future:
        first = min(row[7] for row in stats if row[7] is not None)
        warnings.append(f"{future:,} row(s) are dated in the future (first on line {first}).")
    if old:
        first = min(row[9] for row in stats if row[9] is not None)
        warnings.append(f"{old:,} row(s) are dated before {EARLIEST_PLAUSIBLE_YEAR} (first on line {first}).")
    if unchecked:
        warnings.append(f"{unchecked:,} reversal(s) do not name the entry they reverse (map a 'reverses' "
                        "column): their sign cannot be checked.")
    usual_by_kind = creditor_usual_amounts(creditor_id=creditor_id) if usual_amounts is None \
        else usual_amounts
    with connection.cursor() as cursor:
        for kind, count, _, _, average, whole, *_ in stats:
            average = float(average or 0)
            usual, history = usual_by_kind.get(kind, (0.0, 0))
            if history >= 20 and usual and average >= IMPLAUSIBLE_RATIO * usual:
                warnings.append(f"{kind}: the average amount, {average / 100:,.2f}, is {average / usual:,.0f} times"
                                f" this creditor's usual {usual / 100:,.2f}; are the amounts in minor units (cents)?")
            elif history < 20 and whole and count >= 10 and average >= 10_000_000:
                warnings.append(f"{kind}: every amount is a whole number and the average is {average / 100:,.2f};"
                                " if 89900 means 899.00, choose 'amounts in minor units' in the mapping.")
        if not balances:
            over = 0
        else:
            cursor.execute(
                f"SELECT COUNT(*), MIN(a.creditor_account_number) FROM (SELECT account_number,"
                " SUM(CASE WHEN kind = 'payment' THEN -signed_cents ELSE 0 END) AS paid,"
                " SUM(CASE WHEN signed_cents > 0 THEN signed_cents ELSE 0 END) AS raised"
                f" FROM {t} WHERE state = {OK} GROUP BY account_number) p JOIN accounts_account a"
                " ON a.creditor_id = %s AND a.creditor_account_number = p.account_number"
                " WHERE p.paid > a.current_balance * 100 + p.raised", [creditor_id])
            over, example = cursor.fetchone()
        if over:
            warnings.append(f"Payments exceed the balance on {over:,} account(s) (e.g. {example!r}).")
    if hints:
        examples = ", ".join(f"{k!r} → {v!r}" for k, v in list(hints.items())[:3])
        warnings.append(f"{len(hints):,} unknown account number(s) look like existing accounts with leading zeros,"
                        f" spaces or case changed ({examples}): was the file opened in a spreadsheet?")
    if generated_references:
        warnings.append("The file has no reference column: each row's reference is generated from account, date,"
                        " type, amount and its occurrence number (a re-sent file stays a no-op).")
    return warnings


def _has_linked_reversals(cursor, t: str, linked: str) -> bool:
    cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {t} s WHERE s.state = {OK} AND {linked})")
    return bool(cursor.fetchone()[0])


def merge(*, staging: Staging, creditor_id: int, batch_id: int, user_id: int | None) -> dict[str, int]:
    """Append the staged rows that are OK and move balances; caller holds the transaction."""
    assert transaction.get_connection().in_atomic_block, "merge must run inside the batch's transaction"
    t = staging.name
    now = timezone.now()
    # Two passes: a reversal that names the entry it undoes stores the link (reverses_id), and the entry
    # may be earlier in this same file, so reversals with a `reverses` go in after everything else.
    linked = "(s.kind = 'reversal' AND COALESCE(s.reverses, '') <> '')"
    insert = (
        "INSERT INTO accounts_ledgerentry (account_id, creditor_id, kind, amount, posted_date, reference, memo,"
        " source, import_batch_id, fingerprint, created_by_id, created_at, reverses_id)"
        " SELECT a.id, a.creditor_id, s.kind, s.signed_cents / 100.0, s.posted_date, s.reference,"
        " COALESCE(SUBSTR(s.memo, 1, 255), ''),"
        " 'import', %s, s.fingerprint, %s, %s, {reverses} FROM {t} s JOIN accounts_account a ON a.creditor_id = %s"
        " AND a.creditor_account_number = s.account_number{join} WHERE s.state = {ok} AND {which}")
    passes = [
        {"reverses": "NULL", "join": "", "which": f"NOT {linked}"},
        {"reverses": "r.id", "join": " LEFT JOIN accounts_ledgerentry r ON r.creditor_id = a.creditor_id"
                                     " AND r.reference = s.reverses", "which": linked},
    ]
    # No ON CONFLICT (it costs a third of the insert): classify() already set aside references in
    # the ledger, and if another import wrote one since, the unique index raises IntegrityError,
    # the transaction rolls back and the service classifies and merges again.
    params = [batch_id, user_id, now, creditor_id]
    balance_update = (
        "UPDATE accounts_account SET current_balance = accounts_account.current_balance + d.total,"
        " last_payment_date = CASE WHEN d.last_payment IS NOT NULL AND (accounts_account.last_payment_date IS NULL"
        " OR d.last_payment > accounts_account.last_payment_date) THEN d.last_payment"
        " ELSE accounts_account.last_payment_date END, updated_at = %s"
        " FROM (SELECT account_id, SUM(amount) AS total, MAX(CASE WHEN kind = 'payment' THEN posted_date END)"
        " AS last_payment FROM {source} GROUP BY account_id) d WHERE accounts_account.id = d.account_id")
    created = 0
    moved_accounts: set[int] = set()
    with connection.cursor() as cursor:
        for n, part in enumerate(passes):
            sql = insert.format(t=t, ok=OK, **part)
            if n and not _has_linked_reversals(cursor, t, linked):
                break
            if connection.vendor == "postgresql":
                # One statement: balances move by exactly the rows this INSERT wrote (RETURNING).
                cursor.execute(
                    f"WITH inserted AS ({sql} RETURNING account_id, amount, kind, posted_date),"
                    " counted AS (SELECT COUNT(*) AS n FROM inserted),"
                    f" moved AS ({balance_update.format(source='inserted')} RETURNING accounts_account.id)"
                    " SELECT (SELECT n FROM counted), (SELECT array_agg(id) FROM moved)", params + [now])
                rows, ids = cursor.fetchone()
                created += rows
                moved_accounts |= set(ids or ())
            else:
                # SQLite holds the database lock for the whole transaction: no other batch can interleave.
                cursor.execute(sql, params)
                created += cursor.rowcount
                cursor.execute(balance_update.format(
                    source=f"(SELECT a.id AS account_id, s.kind, s.posted_date, s.signed_cents / 100.0 AS amount"
                           f" FROM {t} s JOIN accounts_account a ON a.creditor_id = {int(creditor_id)}"
                           f" AND a.creditor_account_number = s.account_number WHERE s.state = {OK}"
                           f" AND {part['which']})"), [now])
                cursor.execute(f"SELECT a.id FROM {t} s JOIN accounts_account a ON a.creditor_id = {int(creditor_id)}"
                               f" AND a.creditor_account_number = s.account_number WHERE s.state = {OK}"
                               f" AND {part['which']}")
                moved_accounts |= {row[0] for row in cursor.fetchall()}
    updated = len(moved_accounts)
    return {"created": created, "accounts_updated": updated}


class PipelineAbort(Exception):
    """The pipelined import met something only the full check can name or decide (a row the database
    would refuse or skip, an invalid row without "skip invalid rows", a file shape it does not take).
    The caller rolls the transaction back, so nothing of the attempt stays, and imports the classic way."""


# Rows per pipelined chunk: the first chunk is parsed before the database has anything to write and the
# last one is written after parsing ends, so smaller chunks overlap more; each chunk costs a COPY, an
# INSERT and the ledger's statement triggers.
PIPELINE_CHUNK_ROWS = 100_000
PIPELINE_FIRST_CHUNK_ROWS = 20_000  # the database starts writing sooner
PIPELINE_WORK_MEM = "64MB"  # per hash/sort node: 100k accounts' running totals fit (about 20MB)
_PIPELINE_INSERT = (
    "INSERT INTO accounts_ledgerentry (account_id, creditor_id, kind, amount, posted_date, reference, memo,"
    " source, import_batch_id, fingerprint, created_by_id, created_at)"
    " SELECT a.id, a.creditor_id, s.kind, s.signed_cents / 100.0, s.posted_date, s.reference,"
    " COALESCE(SUBSTR(s.memo, 1, 255), ''), 'import', %s, s.fingerprint, %s, %s"
    " FROM {chunk} s JOIN accounts_account a ON a.creditor_id = %s AND a.creditor_account_number = s.account_number")
# No condition on the chunk (such as "no reverses"): the chunk has no statistics, and any condition's guessed
# selectivity turns the hash join into 100,000 index probes, three times slower. Pipeline.check() already
# refused files with a reverses column, the only source of a row's reverses.


class Pipeline:
    """Both cores on the write: while the file is still being parsed (this process and the helper), the
    rows parsed so far are written to the ledger, chunk by chunk, on this connection inside the caller's
    transaction; balances then move once, from one aggregate of the staged rows (``finish``).

    It is optimistic: it writes without the separate classify pass, so it stops (PipelineAbort) as soon
    as a chunk shows a row the classify pass would set aside (an unknown account: fewer rows written
    than staged; a reference already in the ledger or repeated in the file: the unique index raises
    IntegrityError), and the caller then rolls back and imports the classic way. A clean file, the
    common case, lands exactly as the classic merge would land it.

    Parsing runs in a thread (the parse is Python; the database waits release the GIL), this thread
    copies each chunk into its own TEMP table inheriting the staging table (so everything after
    the merge reads all rows from the staging table, as before) and writes it to the ledger."""

    def __init__(self, *, creditor_id: int, batch_id: int, user_id: int | None, now,
                 stop_on_invalid: bool, chunk_rows: int | None = None):
        self.creditor_id = creditor_id
        self.batch_id = batch_id
        self.user_id = user_id
        self.now = now
        self.stop_on_invalid = stop_on_invalid
        self.chunk_rows = chunk_rows or PIPELINE_CHUNK_ROWS
        self.staged = 0
        self.created = 0
        self.chunks = 0
        self._staging: Staging | None = None
        self._summary: Summary | None = None

    def check(self, *, staging: Staging, plan_generates_references: bool, has_reverses: bool,
              summary: Summary) -> None:
        """Before any row is read: only PostgreSQL, in a transaction, and files whose rows need nothing
        from the whole file first (generated references are numbered over the file; linked reversals
        may name an entry later in it)."""
        if not staging.postgres or plan_generates_references or has_reverses:
            raise PipelineAbort("file shape")
        assert transaction.get_connection().in_atomic_block, "the pipeline writes inside the batch's transaction"
        with connection.cursor() as cursor:
            # Memory for this transaction's sorts and hashes: each chunk's summary triggers sort its payments,
            # finish() aggregates every staged row by account and the totals by type; with the default 4MB
            # they spill to disk (the balance aggregate sorted a million rows by account number: over a second).
            cursor.execute(f"SET LOCAL work_mem = '{PIPELINE_WORK_MEM}'")
        self._staging = staging
        self._summary = summary

    def load(self, reader) -> None:
        """Read staging CSV text from ``reader`` (whole lines per read(), "" at the end) in a parsing thread;
        copy and write it here, chunk by chunk."""
        chunks: queue.Queue = queue.Queue(maxsize=2)  # bounded: at most 3 chunks of text in memory
        stop = threading.Event()
        done = object()

        def produce() -> None:
            try:
                parts: list[str] = []
                lines = 0
                wanted = min(self.chunk_rows, PIPELINE_FIRST_CHUNK_ROWS)
                while not stop.is_set():
                    text = reader.read(READ_SIZE)
                    if not text:
                        break
                    parts.append(text)
                    lines += text.count("\n")
                    if lines >= wanted:
                        chunks.put("".join(parts))
                        parts, lines, wanted = [], 0, self.chunk_rows
                if parts and not stop.is_set():
                    chunks.put("".join(parts))
                chunks.put(done)
            except BaseException as exc:  # noqa: BLE001 - handed to the writing thread, raised there
                chunks.put(exc)

        thread = threading.Thread(target=produce, name="import-parse", daemon=True)
        thread.start()
        failure: BaseException | None = None
        try:
            while (item := chunks.get()) is not done:
                if isinstance(item, BaseException):
                    raise item
                self._write(item)
        except BaseException as exc:
            failure = exc
            raise
        finally:
            if failure is not None:
                stop.set()
                while thread.is_alive():  # let the parser see `stop` (it may be waiting on a full queue)
                    try:
                        chunks.get(timeout=0.1)
                    except queue.Empty:
                        pass
            thread.join()

    def _write(self, text: str) -> None:
        if self.stop_on_invalid and self._summary.invalid:
            raise PipelineAbort("invalid rows")  # nothing may be written: the classic path reports them
        self.chunks += 1
        chunk = f"{self._staging.name}_{self.chunks}"
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TEMP TABLE {chunk} () INHERITS ({self._staging.name})")
            cursor.copy_expert(f"COPY {chunk} ({', '.join(COLUMNS)}) FROM STDIN WITH (FORMAT csv)",
                               io.StringIO(text), READ_SIZE)
            copied = cursor.rowcount
            cursor.execute(_PIPELINE_INSERT.format(chunk=chunk),
                           [self.batch_id, self.user_id, self.now, self.creditor_id])
            written = cursor.rowcount
        self.staged += copied
        self.created += written
        if written != copied:
            raise PipelineAbort("rows the database checks set aside")

    def finish(self, *, summary: Summary) -> int:
        """After the parse: refuse invalid rows unless skipped, then move every balance at once by the
        entries written (the same rows: every staged row was written). Returns the accounts moved."""
        if self.stop_on_invalid and summary.invalid:
            raise PipelineAbort("invalid rows")
        t = self._staging.name
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {t}")
            # In account order: each index of accounts then takes its new entries in order, not at random
            # (a quarter less time than the hash order at 100k accounts).
            # A balance that would leave its column raises DataError (numeric overflow): PipelineAbort's
            # caller treats it like any other refusal, and the classic path names the rows.
            cursor.execute(
                "WITH d AS (SELECT a.id, s.total, s.last_payment, s.n FROM (SELECT account_number,"
                " SUM(signed_cents) AS total, MAX(CASE WHEN kind = 'payment' THEN posted_date END) AS last_payment,"
                f" COUNT(*) AS n FROM {t} GROUP BY account_number) s JOIN accounts_account a ON a.creditor_id = %s"
                " AND a.creditor_account_number = s.account_number ORDER BY a.id),"
                " moved AS (UPDATE accounts_account SET current_balance = accounts_account.current_balance"
                " + d.total / 100.0, last_payment_date = CASE WHEN d.last_payment IS NOT NULL AND"
                " (accounts_account.last_payment_date IS NULL OR d.last_payment > accounts_account.last_payment_date)"
                " THEN d.last_payment ELSE accounts_account.last_payment_date END, updated_at = %s"
                " FROM d WHERE accounts_account.id = d.id RETURNING 1)"
                " SELECT (SELECT COALESCE(SUM(n), 0) FROM d), (SELECT COUNT(*) FROM moved)",
                [self.creditor_id, self.now])
            rows, moved = cursor.fetchone()
        if rows != self.created:  # an account renamed since its rows were written: let the classic path decide
            raise PipelineAbort("accounts changed")
        return moved
