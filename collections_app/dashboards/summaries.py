"""The dashboards' summary tables as SQL: triggers keep them, the same SQL rebuilds and verifies them.

Each summary is a table keyed by a few dimensions with additive measures. Each *source* says how
rows of one base table contribute to it, as a SELECT over ``{rows}``:
- in a trigger, ``{rows}`` is the statement's transition table (PostgreSQL: ``new_rows`` /
  ``old_rows``; SQLite: the one ``NEW`` / ``OLD`` row), and a statement adds what its new rows
  contribute and subtracts what its old rows contributed, in the same transaction;
- to rebuild (or to check a table), ``{rows}`` is the base table itself, for the sources that
  state the truth (``truth=True``).
A source may also have an ``absent`` SELECT: what the row's parent contributes while the row does
not exist (an account without a work item counts in bucket ''), moved on insert and delete.

Why triggers: every writer of these facts (services, the ledger import's set-based merge, COPY,
bulk seeding, the nightly rescoring) keeps the dashboards right without knowing they exist, and a
dashboard reads a few hundred summary rows instead of scanning millions of base rows.
"""

from dataclasses import dataclass, field, replace

from django.db import connection, transaction

OPEN_STATUSES = ("new", "active", "promise", "plan", "disputed", "hold")
_OPEN = "(" + ", ".join(f"'{s}'" for s in OPEN_STATUSES) + ")"


@dataclass(frozen=True)
class Source:
    table: str
    select: str
    events: tuple[str, ...] = ("INSERT", "UPDATE", "DELETE")
    truth: bool = True
    absent: str | None = None
    # Every column of ``{rows}`` the SELECT reads, the primary key first (PostgreSQL UPDATE triggers of
    # SELECTs that join other tables).
    # The SELECT's other tables are read as they are when the trigger runs, the same for the old rows
    # as for the new: a row whose listed columns did not change adds exactly what it subtracts, so
    # only the rows where one of them changed are joined and summed (the nightly rescoring rewrites a
    # work item's score every night; its bucket changes far more rarely).
    reads: tuple[str, ...] = ()


@dataclass(frozen=True)
class Summary:
    table: str
    keys: tuple[str, ...]
    measures: tuple[str, ...]
    sources: tuple[Source, ...] = field(default_factory=tuple)


def _dialect(vendor: str) -> dict[str, str]:
    if vendor == "postgresql":
        return {
            "placed_month": "date_trunc('month', a.placed_at)::date",
            "month_of_changed": "date_trunc('month', r.changed_on)::date",
            "day_of_requested": "(r.requested_at AT TIME ZONE 'UTC')::date",
            "day_of_at": "(r.at AT TIME ZONE 'UTC')::date",
            "day_of_created": "(r.created_at AT TIME ZONE 'UTC')::date",
            "lease_seconds": "GREATEST(0, LEAST(3600, EXTRACT(EPOCH FROM (r.at - w.leased_at))))::bigint",
        }
    return {
        "placed_month": "date(a.placed_at, 'start of month')",
        "month_of_changed": "date(r.changed_on, 'start of month')",
        "day_of_requested": "date(r.requested_at)",
        "day_of_at": "date(r.at)",
        "day_of_created": "date(r.created_at)",
        # rounded, as PostgreSQL's ::bigint rounds (julianday's float made 95 s into 94.99999, then 94)
        "lease_seconds": "MAX(0, MIN(3600, CAST(ROUND((julianday(r.at) - julianday(w.leased_at)) * 86400)"
                         " AS INTEGER)))",
    }


def summaries(vendor: str) -> tuple[Summary, ...]:
    d = _dialect(vendor)
    return (
        Summary("collections_app_dashaging", ("creditor_id", "debt_type", "bucket"), ("accounts", "balance"), (
            Source("accounts_account", f"""
                SELECT r.creditor_id AS creditor_id, r.debt_type AS debt_type, COALESCE(w.bucket, '') AS bucket,
                       1 AS accounts, r.current_balance AS balance
                FROM {{rows}} r LEFT JOIN collections_app_workitem w ON w.account_id = r.id
                WHERE r.status IN {_OPEN}""", reads=("id", "creditor_id", "debt_type", "current_balance", "status")),
            Source("collections_app_workitem", f"""
                SELECT a.creditor_id AS creditor_id, a.debt_type AS debt_type, r.bucket AS bucket,
                       1 AS accounts, a.current_balance AS balance
                FROM {{rows}} r JOIN accounts_account a ON a.id = r.account_id
                WHERE a.status IN {_OPEN}""", truth=False, reads=("account_id", "bucket"), absent=f"""
                SELECT a.creditor_id AS creditor_id, a.debt_type AS debt_type, '' AS bucket,
                       1 AS accounts, a.current_balance AS balance
                FROM {{rows}} r JOIN accounts_account a ON a.id = r.account_id
                WHERE a.status IN {_OPEN}"""),
        )),
        Summary("collections_app_dashplacement", ("month", "creditor_id", "debt_type"), ("accounts", "placed"), (
            Source("accounts_account", f"""
                SELECT {d['placed_month'].replace('a.', 'r.')} AS month, r.creditor_id AS creditor_id,
                       r.debt_type AS debt_type, 1 AS accounts, 0 AS placed
                FROM {{rows}} r"""),
            Source("accounts_ledgerentry", f"""
                SELECT {d['placed_month']} AS month, r.creditor_id AS creditor_id, a.debt_type AS debt_type,
                       0 AS accounts, r.amount AS placed
                FROM {{rows}} r JOIN accounts_account a ON a.id = r.account_id
                WHERE r.source = 'placement'""", events=("INSERT",)),
        )),
        Summary("collections_app_dashcollection", ("day", "creditor_id", "debt_type", "placement_month", "user_id"),
                ("collected",), (
            # Payments, and reversals of payments (credited to whoever took the payment). Two branches, so
            # only reversals look up the entry they undo: one join for every row made each insert statement
            # hash the whole ledger (a pipelined import's chunks took ever longer as the ledger grew).
            Source("accounts_ledgerentry", f"""
                SELECT r.posted_date AS day, r.creditor_id AS creditor_id, a.debt_type AS debt_type,
                       {d['placed_month']} AS placement_month,
                       COALESCE(r.created_by_id, 0) AS user_id, -r.amount AS collected
                FROM {{rows}} r JOIN accounts_account a ON a.id = r.account_id
                WHERE r.kind = 'payment'
                UNION ALL
                SELECT r.posted_date AS day, r.creditor_id AS creditor_id, a.debt_type AS debt_type,
                       {d['placed_month']} AS placement_month,
                       COALESCE(o.created_by_id, r.created_by_id, 0) AS user_id, -r.amount AS collected
                FROM {{rows}} r JOIN accounts_ledgerentry o ON o.id = r.reverses_id
                JOIN accounts_account a ON a.id = r.account_id
                WHERE r.kind = 'reversal' AND o.kind = 'payment'""",
                   events=("INSERT",)),
        )),
        Summary("collections_app_dashactivity", ("day", "user_id", "creditor_id", "debt_type"),
                ("attempts", "rpc", "worked", "seconds"), (
            Source("compliance_contactattempt", f"""
                SELECT {d['day_of_requested']} AS day, COALESCE(r.user_id, 0) AS user_id,
                       a.creditor_id AS creditor_id, a.debt_type AS debt_type,
                       CASE WHEN r.status <> 'blocked' THEN 1 ELSE 0 END AS attempts,
                       CASE WHEN r.status <> 'blocked' AND r.outcome = 'conversation' THEN 1 ELSE 0 END AS rpc,
                       0 AS worked, 0 AS seconds
                FROM {{rows}} r JOIN accounts_account a ON a.id = r.account_id
                WHERE r.direction = 'outbound'""", events=("INSERT",)),
            Source("collections_app_disposition", f"""
                SELECT {d['day_of_at']} AS day, r.user_id AS user_id, a.creditor_id AS creditor_id,
                       a.debt_type AS debt_type, 0 AS attempts, 0 AS rpc, 1 AS worked,
                       COALESCE(CASE WHEN w.leased_by_id = r.user_id THEN {d['lease_seconds']} END, 0) AS seconds
                FROM {{rows}} r JOIN accounts_account a ON a.id = r.account_id
                LEFT JOIN collections_app_workitem w ON w.account_id = r.account_id
                WHERE r.code <> 'skipped'""", events=("INSERT",), truth=False),
        )),
        Summary("collections_app_dashpromise", ("day", "due_day", "user_id", "creditor_id", "debt_type", "status"),
                ("promises", "amount"), (
            Source("payments_promise", f"""
                SELECT {d['day_of_created']} AS day, r.due_date AS due_day, COALESCE(r.created_by_id, 0) AS user_id,
                       a.creditor_id AS creditor_id, a.debt_type AS debt_type, r.status AS status,
                       1 AS promises, r.amount AS amount
                FROM {{rows}} r JOIN accounts_account a ON a.id = r.account_id""",
                   reads=("id", "created_at", "due_date", "created_by_id", "status", "amount", "account_id")),
        )),
        Summary("collections_app_dashroll", ("month", "from_bucket", "to_bucket"), ("accounts",), (
            Source("collections_app_bucketchange", f"""
                SELECT {d['month_of_changed']} AS month, r.from_bucket AS from_bucket, r.to_bucket AS to_bucket,
                       1 AS accounts
                FROM {{rows}} r""", events=("INSERT", "DELETE")),
        )),
        Summary("collections_app_dashqueue", ("queue_id",), ("items", "ready", "assigned", "leased", "waiting"), (
            Source("collections_app_workitem", """
                SELECT COALESCE(r.queue_id, 0) AS queue_id, 1 AS items,
                       CASE WHEN r.ready AND r.leased_by_id IS NULL AND r.owner_id IS NULL THEN 1 ELSE 0 END AS ready,
                       CASE WHEN r.owner_id IS NOT NULL THEN 1 ELSE 0 END AS assigned,
                       CASE WHEN r.leased_by_id IS NOT NULL THEN 1 ELSE 0 END AS leased,
                       CASE WHEN NOT r.ready AND r.next_contact_at IS NOT NULL THEN 1 ELSE 0 END AS waiting
                FROM {rows} r"""),  # no join: summing every row is cheaper than pairing them (no ``reads``)
        )),
    )


# Dispositions are only inserted, and their lease seconds are known only at insert time: their
# truth is the activity table itself (a rebuild keeps the worked/seconds measures as they are).
_KEEP_ON_REBUILD = {"collections_app_dashactivity": ("worked", "seconds")}


def _negated(select: str, summary: Summary) -> str:
    cols = ", ".join([*summary.keys, *(f"-({m}) AS {m}" for m in summary.measures)])
    return f"SELECT {cols} FROM ({select}) neg"


def _upsert(summary: Summary, parts: list[str], with_: str = "") -> str:
    keys = ", ".join(summary.keys)
    sums = ", ".join(f"SUM({m})" for m in summary.measures)
    sets = ", ".join(f"{m} = {summary.table}.{m} + excluded.{m}" for m in summary.measures)
    union = "\n UNION ALL \n".join(parts)
    return (f"{with_}INSERT INTO {summary.table} ({keys}, {', '.join(summary.measures)}) "
            f"SELECT {keys}, {sums} FROM ({union}) delta WHERE true GROUP BY {keys} "
            f"ON CONFLICT ({keys}) DO UPDATE SET {sets}")


def _delta_parts(summary: Summary, source: Source, event: str, new: str, old: str) -> list[str]:
    parts = []
    if event in ("INSERT", "UPDATE"):
        parts.append(source.select.format(rows=new))
    if event in ("DELETE", "UPDATE"):
        parts.append(_negated(source.select.format(rows=old), summary))
    if source.absent and event == "INSERT":
        parts.append(_negated(source.absent.format(rows=new), summary))
    if source.absent and event == "DELETE":
        parts.append(source.absent.format(rows=old))
    return parts


def _changed_update(summary: Summary, source: Source) -> str:
    """The UPDATE trigger's body (PostgreSQL) summing only the rows whose ``reads`` columns changed.

    The statement's new rows count +1 and its old rows -1, grouped by every column the SELECT reads (the
    primary key among them): a row whose columns did not change sums to 0 and drops out before any join,
    a changed one leaves its new version (+1) and its old one (-1), and the SELECT runs over those.
    (Grouping rather than joining old rows to new ones by key: the planner knows nothing of a transition
    table's keys and costed that join at the square of the rows, then planned everything after it so.)
    """
    cols = ", ".join(source.reads)
    with_ = (f"WITH delta AS MATERIALIZED (SELECT {cols}, sum(s) AS s FROM (SELECT {cols}, 1 AS s FROM new_rows"
             f" UNION ALL SELECT {cols}, -1 FROM old_rows) t GROUP BY {cols} HAVING sum(s) <> 0) ")
    new, old = "(SELECT * FROM delta WHERE s > 0)", "(SELECT * FROM delta WHERE s < 0)"
    return _upsert(summary, _delta_parts(summary, source, "UPDATE", new, old), with_)


def _as_built(summary: Summary, conn) -> Summary:
    """The summary with only the measures its table has now: a migration that installs the triggers
    runs today's code against the tables of its day (a measure added later gets its column, and its
    triggers, from its own migration)."""
    with conn.cursor() as cursor:
        columns = {c.name for c in conn.introspection.get_table_description(cursor, summary.table)}
    present = tuple(m for m in summary.measures if m in columns)
    return summary if present == summary.measures else replace(summary, measures=present)


def _trigger_name(summary: Summary, index: int, event: str) -> str:
    return f"{summary.table.replace('collections_app_', '')}_{index}_{event.lower()}"


def _row_of(cursor, table: str, alias: str) -> str:
    cols = [c.name for c in connection.introspection.get_table_description(cursor, table)]
    quoted = [connection.ops.quote_name(c) for c in cols]
    return "(SELECT " + ", ".join(f"{alias}.{q} AS {q}" for q in quoted) + ")"


def install(using_connection=None) -> int:
    """Create (or replace) every summary trigger. Returns how many triggers exist afterwards."""
    conn = using_connection or connection
    vendor = conn.vendor
    count = 0
    with conn.cursor() as cursor:
        for summary in summaries(vendor):
            summary = _as_built(summary, conn)
            for index, source in enumerate(summary.sources):
                for event in source.events:
                    name = _trigger_name(summary, index, event)
                    if vendor == "postgresql":
                        ref = {"INSERT": "NEW TABLE AS new_rows", "DELETE": "OLD TABLE AS old_rows",
                               "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows"}[event]
                        # A trigger's statement is planned for its transition tables' sizes, with no
                        # statistics: JIT compiled it each time (0.05-0.45 s) for nothing measurable back,
                        # and the default work_mem made its hash of a big statement's rows spill to disk.
                        settings = "SET jit = off SET work_mem = '64MB'"
                        if event == "UPDATE" and source.reads:
                            body = _changed_update(summary, source)
                            # The changed rows are looked up by key, not by hashing a million-row table for
                            # each half of the delta (which the planner preferred, at any random_page_cost,
                            # for 3,000 changed rows: 1.2 s where the lookups take 0.05 s).
                            settings += " SET enable_hashjoin = off SET enable_mergejoin = off"
                        else:
                            body = _upsert(summary, _delta_parts(summary, source, event, "new_rows", "old_rows"))
                        cursor.execute(f"CREATE OR REPLACE FUNCTION dash_{name}() RETURNS trigger "
                                       f"LANGUAGE plpgsql {settings} AS $$ BEGIN {body}; RETURN NULL; END $$")
                        cursor.execute(f"DROP TRIGGER IF EXISTS dash_{name} ON {source.table}")
                        cursor.execute(f"CREATE TRIGGER dash_{name} AFTER {event} ON {source.table} "
                                       f"REFERENCING {ref} FOR EACH STATEMENT EXECUTE FUNCTION dash_{name}()")
                    else:
                        new, old = _row_of(cursor, source.table, "NEW"), _row_of(cursor, source.table, "OLD")
                        body = _upsert(summary, _delta_parts(summary, source, event, new, old))
                        cursor.execute(f"DROP TRIGGER IF EXISTS dash_{name}")
                        cursor.execute(f"CREATE TRIGGER dash_{name} AFTER {event} ON {source.table} "
                                       f"FOR EACH ROW BEGIN {body}; END")
                    count += 1
    return count


def uninstall_sqlite(conn) -> int:
    """Drop every summary trigger (SQLite only). SQLite rebuilds a table to alter it (create, copy,
    drop, rename), and a trigger that names a table being rebuilt makes the rename fail, so a
    migrate run on SQLite runs without them and installs them again at its end (collections_app.apps)."""
    with conn.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'dash\\_%' ESCAPE '\\'")
        names = [row[0] for row in cursor.fetchall()]
        for name in names:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
    return len(names)


def truth_sql(summary: Summary) -> str:
    """One SELECT computing the summary straight from its base tables."""
    keys = ", ".join(summary.keys)
    sums = ", ".join(f"SUM({m}) AS {m}" for m in summary.measures)
    parts = [s.select.format(rows=s.table) for s in summary.sources if s.truth]
    return f"SELECT {keys}, {sums} FROM ({' UNION ALL '.join(parts)}) t GROUP BY {keys}"


def rebuild(vendor: str | None = None, tables: tuple[str, ...] | None = None) -> dict[str, int]:
    """Recompute every summary (or those named) from its base tables (repair; triggers make it
    unnecessary, except when a summary gains a measure)."""
    vendor = vendor or connection.vendor
    counts = {}
    with transaction.atomic(), connection.cursor() as cursor:
        for summary in summaries(vendor):
            if tables is not None and summary.table not in tables:
                continue
            summary = _as_built(summary, connection)
            kept = _KEEP_ON_REBUILD.get(summary.table)
            if kept:
                cursor.execute(f"UPDATE {summary.table} SET "
                               + ", ".join(f"{m} = 0" for m in summary.measures if m not in kept))
                cursor.execute(_upsert(summary, [truth_sql(summary)]))
            else:
                cursor.execute(f"DELETE FROM {summary.table}")
                cursor.execute(f"INSERT INTO {summary.table} ({', '.join(summary.keys)}, "
                               f"{', '.join(summary.measures)}) {truth_sql(summary)}")
            cursor.execute(f"SELECT COUNT(*) FROM {summary.table}")
            counts[summary.table] = cursor.fetchone()[0]
    return counts


def differences(summary: Summary) -> list[tuple]:
    """Rows where the summary table and a direct computation disagree (ignoring all-zero rows)."""
    keys = summary.keys
    kept = _KEEP_ON_REBUILD.get(summary.table, ())
    measures = [m for m in summary.measures if m not in kept]
    on = " AND ".join(f"s.{k} = t.{k}" for k in keys)
    sel = ", ".join([*(f"COALESCE(s.{k}, t.{k})" for k in keys),
                     *(f"COALESCE(s.{m}, 0), COALESCE(t.{m}, 0)" for m in measures)])
    differ = " OR ".join(f"ROUND(COALESCE(s.{m}, 0), 2) <> ROUND(COALESCE(t.{m}, 0), 2)" for m in measures)
    table_side = f"SELECT {', '.join(keys)}, {', '.join(measures)} FROM {summary.table}"
    truth = truth_sql(summary)
    sql = (f"SELECT {sel} FROM ({table_side}) s LEFT JOIN ({truth}) t ON {on} WHERE {differ} "
           f"UNION ALL SELECT {sel} FROM ({truth}) t LEFT JOIN ({table_side}) s ON {on} WHERE s.{keys[0]} IS NULL "
           f"AND ({differ})")
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def snapshot_month(month_start) -> int:
    """Copy today's aging into the month's opening snapshot, once (a rerun adds nothing)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO collections_app_dashagingsnapshot (month, creditor_id, debt_type, bucket, accounts, balance) "
            "SELECT %s, creditor_id, debt_type, bucket, accounts, balance FROM collections_app_dashaging "
            "WHERE accounts <> 0 AND NOT EXISTS (SELECT 1 FROM collections_app_dashagingsnapshot WHERE month = %s)",
            [month_start, month_start])
        return cursor.rowcount
