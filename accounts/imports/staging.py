"""A per-run TEMP table that parsed transaction rows stream into (one COPY on PostgreSQL).

TEMP tables vanish with the session, so a worker that dies mid-import leaves nothing behind.
"""

import csv
import io
from itertools import islice

from django.db import DatabaseError, connection

from ..ledger_csv import TransactionRow

# Staging columns in TransactionRow's field order, so a parsed row is written as it is.
COLUMNS = ("line", "account_number", "posted_date", "kind", "amount_cents", "signed_cents", "reference", "memo",
           "fingerprint", "reverses")
assert len(COLUMNS) == len(TransactionRow._fields)
# Bytes psycopg2 asks for per read (a hint: each read returns one refill), and rows per refill
# (~250 KB of CSV: big enough to amortise the calls, small enough to keep both cores busy).
READ_SIZE = 1 << 20
ROWS_PER_REFILL = 5_000
# Rows per INSERT round on the portable (SQLite) path.
INSERT_CHUNK_ROWS = 20_000
# The session's buffers for TEMP tables (PostgreSQL's default is 8MB): a million staged rows take about
# 120MB, and every pass over them (the pipeline's merge of each chunk, the balance aggregate, the totals,
# the preview) otherwise reads them back from files. Allocated as used, up to this.
TEMP_BUFFERS = "256MB"


def _size_temp_buffers() -> None:
    """Raise the session's temp_buffers, which PostgreSQL allows only before the session first uses a TEMP
    table, and only outside a transaction here: a rollback would undo the SET, which is refused once the
    buffers exist. A session that already had TEMP tables keeps what it has (a temporary schema says so,
    except after the transaction that created it rolled back: then the SET is refused, harmlessly, as
    this runs in autocommit)."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('temp_buffers', %s, false) FROM (SELECT 1) one"
                           " WHERE pg_my_temp_schema() = 0 AND current_setting('temp_buffers') <> %s",
                           [TEMP_BUFFERS, TEMP_BUFFERS])
    except DatabaseError:
        pass


class Staging:
    def __init__(self, name: str):
        self.name = name
        self.postgres = connection.vendor == "postgresql"
        self.count = 0
        self._cascade = " CASCADE" if self.postgres else ""  # with its pipelined chunks (TEMP tables inheriting it)
        if self.postgres and not connection.in_atomic_block:
            _size_temp_buffers()

    def create(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.name}{self._cascade}")
            cursor.execute(
                # text, not varchar(n): the parser already checked lengths against the real columns
                # (accounts.imports.limits), and staging must never be the place that refuses a row.
                f"CREATE TEMP TABLE {self.name} (line integer, account_number text, posted_date date,"
                " kind text, amount_cents bigint, signed_cents bigint, reference text, memo text,"
                " fingerprint text, reverses text, account_id bigint, state smallint NOT NULL DEFAULT 0)")

    def drop(self) -> None:
        try:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE IF EXISTS {self.name}{self._cascade}")
        except DatabaseError:
            pass  # the connection is gone, and a TEMP table goes with its session

    def load(self, rows, pipeline=None) -> None:
        """Stream every row in. On PostgreSQL one COPY reads from the row generator as it is parsed,
        so the server stores rows on one core while Python parses the next ones on the other. With a
        ``pipeline`` (transactions.Pipeline), the rows go in by chunks, each merged as it lands."""
        if self.postgres:
            reader = _CsvReader(rows, self)
            if pipeline is not None:
                pipeline.load(reader)
                self.count = pipeline.staged
            else:
                with connection.cursor() as cursor:
                    # size positionally: Django's debug cursor wrapper passes only positional extras on.
                    cursor.copy_expert(f"COPY {self.name} ({', '.join(COLUMNS)}) FROM STDIN WITH (FORMAT csv)",
                                       reader, READ_SIZE)
            reader.raise_parse_error()
            return
        placeholders = ", ".join(["%s"] * len(COLUMNS))
        sql = f"INSERT INTO {self.name} ({', '.join(COLUMNS)}) VALUES ({placeholders})"
        chunk = []
        with connection.cursor() as cursor:
            for row in rows:
                chunk.append((*row[:2], row.posted_date.isoformat(), *row[3:8], str(row.fingerprint), row.reverses))
                if len(chunk) >= INSERT_CHUNK_ROWS:
                    cursor.executemany(sql, chunk)
                    self.count += len(chunk)
                    chunk = []
            if chunk:
                cursor.executemany(sql, chunk)
                self.count += len(chunk)


    def generate_references(self) -> None:
        """References for a file without a reference column: account, date, type, amount and the
        occurrence number of that combination in the file (by line). Two same-day installments of
        the same amount get /1 and /2; a re-sorted re-send gives the same set, so it stays a no-op."""
        t = self.name
        key = "account_number || '/' || posted_date || '/' || kind || '/' || amount_cents || '/' || n"
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {t} SET reference = CASE WHEN length(g.ref) <= 100 THEN g.ref ELSE 'G:' || md5(g.ref) END"
                f" FROM (SELECT line, {key} AS ref FROM (SELECT line, account_number, posted_date, kind, amount_cents,"
                " row_number() OVER (PARTITION BY account_number, posted_date, kind, amount_cents ORDER BY line) AS n"
                f" FROM {t}) numbered) g WHERE {t}.line = g.line")


    def load_from(self, reader, pipeline=None) -> None:
        """One COPY from a file-like ``reader`` of staging CSV lines (see ledger_csv.parallel.Interleaved),
        or with a ``pipeline``, one COPY per chunk, each merged as it lands."""
        if pipeline is not None:
            pipeline.load(reader)
            self.count = pipeline.staged
            return
        with connection.cursor() as cursor:
            cursor.copy_expert(f"COPY {self.name} ({', '.join(COLUMNS)}) FROM STDIN WITH (FORMAT csv)",
                               reader, READ_SIZE)
        self.count += reader.count


class _CsvReader:
    """A file-like object over a row generator, read by psycopg2's copy_expert. Each read() hands
    over the next ROWS_PER_REFILL rows, written by the C csv writer exactly as parsed (dates print
    as ISO, an empty memo as NULL); psycopg2 sends whatever read() returns, and "" ends the COPY."""

    def __init__(self, rows, staging: Staging):
        self._rows = iter(rows)
        self._staging = staging
        self._sink = io.StringIO()
        self._writer = csv.writer(self._sink, lineterminator="\n")
        self._error: Exception | None = None

    def read(self, size: int = -1) -> str:
        try:
            chunk = list(islice(self._rows, ROWS_PER_REFILL))
        except Exception as exc:  # noqa: BLE001 - kept and raised after the COPY, see raise_parse_error
            # psycopg2 answers an exception raised inside read() by cancelling the COPY, which
            # surfaces as QueryCanceled and hides the parser's message (an unclosed quote, a
            # field over the csv module's limit). End the COPY cleanly and raise the real error.
            self._error = exc
            return ""
        if not chunk:
            return ""
        self._sink.seek(0)
        self._sink.truncate(0)
        self._writer.writerows(chunk)
        self._staging.count += len(chunk)
        return self._sink.getvalue()

    def raise_parse_error(self) -> None:
        if self._error is not None:
            raise self._error
