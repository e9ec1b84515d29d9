"""A per-run TEMP table that parsed transaction rows stream into (COPY on PostgreSQL).

TEMP tables vanish with the session, so a worker that dies mid-import leaves nothing behind.
"""

import io

from django.db import connection

from ..ledger_csv import TransactionRow

# Rows per COPY round trip: ~1.5 MB of CSV text, large enough to amortise the round trip.
COPY_CHUNK_ROWS = 20_000

COLUMNS = ("line", "account_number", "posted_date", "kind", "amount", "reference", "memo", "fingerprint")


class Staging:
    def __init__(self, name: str):
        self.name = name
        self.postgres = connection.vendor == "postgresql"
        self._rows: list[TransactionRow] = []
        self.count = 0

    def create(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.name}")
            cursor.execute(
                f"CREATE TEMP TABLE {self.name} (line integer, account_number varchar(64), posted_date date,"
                " kind varchar(12), amount numeric(14,2), reference varchar(100), memo varchar(255),"
                " fingerprint varchar(32), account_id bigint, state smallint NOT NULL DEFAULT 0)")

    def drop(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {self.name}")

    def add(self, row: TransactionRow) -> None:
        self._rows.append(row)
        if len(self._rows) >= COPY_CHUNK_ROWS:
            self.flush()

    def flush(self) -> None:
        if not self._rows:
            return
        with connection.cursor() as cursor:
            if self.postgres:
                cursor.copy_expert(
                    f"COPY {self.name} ({', '.join(COLUMNS)}) FROM STDIN", io.StringIO(_copy_text(self._rows)))
            else:
                cursor.executemany(
                    f"INSERT INTO {self.name} ({', '.join(COLUMNS)}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                    [(r.line, r.creditor_account_number, r.posted_date.isoformat(), r.kind,
                      str(r.signed_amount), r.reference, r.memo[:255], r.fingerprint) for r in self._rows])
        self.count += len(self._rows)
        self._rows = []


_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _text(value: str) -> str:
    return value.translate(_ESCAPES)


def _copy_text(rows: list[TransactionRow]) -> str:
    """PostgreSQL COPY text format: tab-separated, backslash escapes."""
    out = []
    append = out.append
    for r in rows:
        cents = r.signed_amount_cents
        sign = "-" if cents < 0 else ""
        cents = abs(cents)
        append(f"{r.line}\t{_text(r.creditor_account_number)}\t{r.posted_date.isoformat()}\t{r.kind}\t"
               f"{sign}{cents // 100}.{cents % 100:02d}\t{_text(r.reference)}\t{_text(r.memo[:255])}\t"
               f"{r.fingerprint}\n")
    return "".join(out)
