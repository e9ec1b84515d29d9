"""Set-based inserts: PostgreSQL COPY when available, bulk_create otherwise.

Used by demo seeding and imports, where per-row saves would cost 100x (DESIGN.md §8).
"""

import csv
import io
from collections.abc import Iterable, Sequence

from django.db import connection

# Rows per COPY round trip / bulk_create batch: large enough to amortise the round trip,
# small enough that one chunk's CSV text stays a few MB.
CHUNK_ROWS = 20_000


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def next_ids(model, count: int) -> range:
    """Reserve `count` primary keys. Call set_sequence() after inserting with explicit ids."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {model._meta.db_table}")
        start = cursor.fetchone()[0] + 1
    return range(start, start + count)


def set_sequence(model) -> None:
    if not is_postgres():
        return  # SQLite's rowid allocation follows MAX(id) by itself.
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 1))")


def insert_rows(model, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    """Insert plain tuples (values in `columns` order, db column names). Returns the row count."""
    table = model._meta.db_table
    total = 0
    chunk: list[Sequence] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= CHUNK_ROWS:
            total += _flush(table, columns, chunk)
            chunk = []
    if chunk:
        total += _flush(table, columns, chunk)
    return total


def _flush(table: str, columns: Sequence[str], chunk: list[Sequence]) -> int:
    with connection.cursor() as cursor:
        if is_postgres():
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\n")
            for row in chunk:
                writer.writerow(["\\N" if v is None else v for v in row])
            buffer.seek(0)
            cols = ", ".join(f'"{c}"' for c in columns)
            cursor.copy_expert(f"COPY {table} ({cols}) FROM STDIN WITH (FORMAT csv, NULL '\\N')", buffer)
        else:
            placeholders = ", ".join(["%s"] * len(columns))
            cols = ", ".join(f'"{c}"' for c in columns)
            cursor.executemany(f"INSERT INTO {table} ({cols}) VALUES ({placeholders})", chunk)
    return len(chunk)
