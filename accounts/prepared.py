"""Reads on the hottest paths (a worklist pop) with the ORM's SQL compiled once per process and, on
PostgreSQL, planned once per connection.

Django compiles every queryset anew: for a one-row lookup that is about half a millisecond of Python,
more than the query itself. ``rows_where`` compiles ``Model.objects.filter(field=?)`` once (per model,
field, order and database vendor), keeps the SQL text, and runs it with each new value; the rows
become model instances through the same converters the ORM applies (``from_db``), so callers get
exactly what the queryset would have given them.

PostgreSQL parses and plans every statement psycopg2 sends, which for the worklist's few-row
statements costs as much as running them. ``execute`` sends such a statement once per connection as
``PREPARE`` and then only ``EXECUTE``s it: same SQL, same result, planned once.
"""

from __future__ import annotations

import hashlib
import re
from functools import cache

from django.db import connections

_PLACEHOLDER = re.compile(r"%s")


def execute(cursor, sql: str, params=(), *, using: str = "default") -> None:
    """``cursor.execute(sql, params)``; on PostgreSQL as a statement prepared once per connection.

    ``sql`` takes positional ``%s`` parameters only (no literal ``%``). The statement's name is a digest
    of its text, so every caller of the same SQL shares one plan per connection.
    """
    connection = connections[using]
    if connection.vendor != "postgresql":
        cursor.execute(sql, params)
        return
    raw = connection.connection
    session = (id(raw), raw.get_backend_pid())
    known = getattr(connection, "_prepared_statements", None)
    if known is None or known[0] != session:
        known = (session, set())
        connection._prepared_statements = known
    name = "p_" + hashlib.md5(sql.encode(), usedforsecurity=False).hexdigest()[:20]
    if name not in known[1]:
        count = iter(range(1, 1000))
        cursor.execute(f"PREPARE {name} AS " + _PLACEHOLDER.sub(lambda _: f"${next(count)}", sql))
        known[1].add(name)
    if params:
        cursor.execute(f"EXECUTE {name} (" + ", ".join(["%s"] * len(params)) + ")", list(params))
    else:
        cursor.execute(f"EXECUTE {name}")

# Stand-in for the value while compiling: the compiled parameters must be exactly this, once.
_MARK = -734_221_901


@cache
def _compiled(model, field: str, order: tuple[str, ...], alias: str, vendor: str) -> str:
    queryset = model._default_manager.using(alias).filter(**{field: _MARK}).order_by(*order)
    sql, params = queryset.query.sql_with_params()
    if tuple(params) != (_MARK,):  # anything but one plain parameter: this helper is the wrong tool
        raise ValueError(f"{model.__name__}.{field}: cannot prepare a query with parameters {params!r}")
    return sql


@cache
def _converters(model, vendor: str, alias: str):
    connection = connections[alias]
    out = []
    for f in model._meta.concrete_fields:
        column = f.get_col(model._meta.db_table)
        out.append((column, tuple(connection.ops.get_db_converters(column) + column.get_db_converters(connection))))
    return [f.attname for f in model._meta.concrete_fields], out


def columns(model, table_alias: str) -> str:
    """Every concrete column of ``model`` as ``alias."column"``, in field order (for ``from_row``)."""
    from django.db import connection

    return _columns(model, table_alias, connection.vendor)


@cache
def _columns(model, table_alias: str, vendor: str) -> str:  # a pop names them on every call: built once
    from django.db import connection

    return ", ".join(f"{table_alias}.{connection.ops.quote_name(f.column)}" for f in model._meta.concrete_fields)


def from_row(model, values, *, using: str = "default"):
    """A model instance from its concrete columns' raw values (in ``columns`` order), converted as the
    ORM converts them."""
    connection = connections[using]
    attnames, converters = _converters(model, connection.vendor, using)
    out = []
    for (column, found), value in zip(converters, values, strict=True):
        for converter in found:
            value = converter(value, column, connection)
        out.append(value)
    return model.from_db(using, attnames, out)


def rows_where(model, field: str, value, *, order: tuple[str, ...] | None = None, using: str = "default") -> list:
    """``list(model.objects.filter(**{field: value}).order_by(*order))``, compiled once (``order``
    defaults to the model's ordering)."""
    connection = connections[using]
    order = tuple(model._meta.ordering) if order is None else order
    sql = _compiled(model, field, order, using, connection.vendor)
    with connection.cursor() as cursor:
        execute(cursor, sql, [value], using=using)
        fetched = cursor.fetchall()
    return [from_row(model, row, using=using) for row in fetched]


def get_by_pk(model, pk, *, using: str = "default"):
    """``model.objects.get(pk=pk)``, compiled once; ``model.DoesNotExist`` when there is none."""
    found = rows_where(model, model._meta.pk.attname, pk, order=(), using=using)
    if not found:
        raise model.DoesNotExist(f"{model.__name__} {pk} does not exist")
    return found[0]
