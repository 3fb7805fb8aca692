"""Hand-written hot queries run as server-side prepared statements on PostgreSQL.

Django's client-side cursors re-send and re-plan every query; for the few queries on the counter's hot path
(a lookup by ID number, barcode or name) planning costs more than executing. The statement text must not vary
with the data: lists go in as one array parameter (`= ANY(%s)`), never as an expanded IN list.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

import psycopg
from django.db import connection


def fetch(sql: str, params: Sequence[Any]) -> list[tuple[Any, ...]]:
    """Rows of `sql` (placeholders `%s`). PostgreSQL: server-side binding, prepared on first use and kept for
    the connection's life (psycopg keeps the last 100). Other databases: Django's own cursor."""
    rows, _count = _run(sql, params, fetch=True)
    return rows


def execute(sql: str, params: Sequence[Any]) -> int:
    """Run `sql` for its effect, prepared as `fetch` is; the number of rows it touched."""
    return _run(sql, params, fetch=False)[1]


def _run(sql: str, params: Sequence[Any], *, fetch: bool) -> tuple[list[tuple[Any, ...]], int]:
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(sql, list(params))
            return (list(cursor.fetchall()) if fetch else []), int(cursor.rowcount)
    connection.ensure_connection()
    raw = connection.connection
    assert raw is not None
    started = time.monotonic()
    # Errors as Django's (IntegrityError, OperationalError …), as its own cursor raises them.
    with connection.wrap_database_errors, psycopg.Cursor(raw) as cursor:
        cursor.execute(sql, list(params), prepare=True)  # type: ignore[arg-type]  # sql is a fixed template
        rows = list(cursor.fetchall()) if fetch else []
        count = cursor.rowcount
    if connection.queries_logged:  # as Django's own cursor does: query counts in tests and DEBUG see these too
        connection.queries_log.append({"sql": sql, "time": f"{time.monotonic() - started:.3f}"})
    return rows, count


def in_list(column: str, values: Sequence[Any]) -> tuple[str, list[Any]]:
    """`column` is one of `values`: one array parameter on PostgreSQL (a stable statement), an IN list elsewhere."""
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", [list(values)]
    if not values:
        return "1 = 0", []
    return f"{column} IN ({', '.join(['%s'] * len(values))})", list(values)
