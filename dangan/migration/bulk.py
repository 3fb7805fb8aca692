"""Set-based reads and writes for the two passes, without the ORM's per-value work.

`QuerySet.bulk_create` prepares every value of every object through its field (about 5 µs a value
here): for 100,000 ledger rows of some 120 values each that alone is a minute. `Table` inserts through
the model's own columns, with the model's own defaults, adapting only dates, datetimes and JSON, with
`executemany` in batches; primary keys are drawn up front (PostgreSQL: from the table's sequence;
SQLite: after the highest key, inside the run's write transaction) so that children can point at their
parents. Constraints, foreign keys and unique indexes stay the database's.
"""

from __future__ import annotations

import datetime
import enum
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, models
from psycopg.types.json import Jsonb

BATCH_SIZE = 1000
_IN_CHUNK = 5000


def _quote(name: str) -> str:
    return str(connection.ops.quote_name(name))


def _adapter(field: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
    if connection.vendor == "postgresql" and isinstance(field, models.DateField):
        return None  # psycopg adapts dates and datetimes itself (Django's adapters return them unchanged)
    if isinstance(field, models.DateTimeField):
        return connection.ops.adapt_datetimefield_value  # type: ignore[no-any-return]
    if isinstance(field, models.DateField):
        return connection.ops.adapt_datefield_value  # type: ignore[no-any-return]
    if isinstance(field, models.JSONField):
        if connection.vendor == "postgresql" and field.encoder is None:
            # What Django's preparation returns (psycopg's Jsonb over json.dumps), without its ~20 µs a value.
            return lambda value: None if value is None else Jsonb(value)
        return lambda value: field.get_db_prep_save(value, connection)
    return None


def next_ids(model: type[models.Model], count: int) -> list[int]:
    """`count` new primary keys for `model`, taken now (the caller inserts them in its transaction)."""
    if count == 0:
        return []
    table, column = model._meta.db_table, str(model._meta.pk.column)  # type: ignore[union-attr]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The sequence is named once: inside nextval(), pg_get_serial_sequence() ran once a row (8 µs each).
            cursor.execute(
                "SELECT array_agg(nextval(%s::regclass)) FROM generate_series(1, %s)",
                [_sequence(cursor, table, column), count],
            )
            return sorted(cursor.fetchone()[0])  # one array, not a row per key; in the order drawn
        if connection.vendor == "sqlite":
            cursor.execute(f"SELECT COALESCE(MAX({_quote(column)}), 0) FROM {_quote(table)}")  # noqa: S608  (model names)
            highest = int(cursor.fetchone()[0])
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'")
            if cursor.fetchone():
                cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
                row = cursor.fetchone()
                highest = max(highest, int(row[0]) if row else 0)
            return list(range(highest + 1, highest + 1 + count))
    raise ImproperlyConfigured(f"bulk inserts support PostgreSQL and SQLite, not {connection.vendor}")


_SEQUENCES: dict[tuple[str, str, str], str] = {}


def _sequence(cursor: Any, table: str, column: str) -> str:
    """The sequence behind a table's key (asked once per database and table)."""
    key = (str(connection.settings_dict["NAME"]), table, column)
    if key not in _SEQUENCES:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column])
        _SEQUENCES[key] = cursor.fetchone()[0]
    return _SEQUENCES[key]


class Table:
    """INSERTs into one model's table: the given fields per row, every other column its model default."""

    def __init__(
        self,
        model: type[models.Model],
        names: Sequence[str],
        *,
        now: datetime.datetime,
        fixed: dict[str, Any] | None = None,
    ) -> None:
        """`names`: the fields each row gives; `fixed`: values the same for every row of the run."""
        meta = model._meta
        pk = meta.pk
        assert pk is not None
        self.model = model
        self.inserted = 0  # rows inserted so far (the statistics' staleness)
        fixed = fixed or {}
        given = [meta.get_field(name) for name in names]
        taken = {f.name for f in given}
        rest = [f for f in meta.concrete_fields if f is not pk and f.name not in taken]
        constants = []
        for field in rest:
            if field.name in fixed:
                value: Any = fixed[field.name]
            elif getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False):
                value = now
            else:
                value = field.get_default()  # the default, or "" for text, or None
                if value is None and not field.null:
                    raise ImproperlyConfigured(f"{model.__name__}.{field.name} needs a value")
            prepared = field.get_db_prep_save(value, connection)
            constants.append(prepared.value if isinstance(prepared, enum.Enum) else prepared)
        self.constants = tuple(constants)
        # Only dates, datetimes and JSON need adapting; (position in the row, adapter) for those.
        self.adapters = [(i, a) for i, f in enumerate(given) if (a := _adapter(f)) is not None]  # type: ignore[arg-type]
        columns = [pk.column, *(f.column for f in given), *(f.column for f in rest)]  # type: ignore[union-attr]
        names_sql = ", ".join(_quote(str(c)) for c in columns)
        self.sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608  (the model's own names)
            _quote(meta.db_table), names_sql, ", ".join(["%s"] * len(columns))
        )
        self.copy_sql = f"COPY {_quote(meta.db_table)} ({names_sql}) FROM STDIN"

    def insert(self, rows: Sequence[Sequence[Any]]) -> list[int]:
        """Insert the rows (values in the order of `names`); their new primary keys, in the same order."""
        ids = next_ids(self.model, len(rows))
        self.inserted += len(rows)
        constants, adapters = self.constants, self.adapters
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql" and not adapters:
                # COPY: one stream per chunk (executemany would send and dump row by row).
                with cursor.cursor.copy(self.copy_sql) as copy:
                    write = copy.write_row
                    for pk, row in zip(ids, rows, strict=True):
                        write((pk, *row, *constants))
                return ids
            params = []
            for pk, row in zip(ids, rows, strict=True):
                values = [pk, *row, *constants]
                for position, adapt in adapters:
                    values[position + 1] = adapt(values[position + 1])
                params.append(values)
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(self.copy_sql) as copy:
                    for values in params:
                        copy.write_row(values)
            else:
                for start in range(0, len(params), BATCH_SIZE):
                    cursor.executemany(self.sql, params[start : start + BATCH_SIZE])
        return ids


_SEPARATOR = "\x1f"  # ASCII unit separator: never in a checked key (the rare value carrying it takes the array path)


def _packed(chunk: list[Any]) -> tuple[str, str] | None:
    """PostgreSQL: the chunk as ONE text parameter and the expression that splits it back into an array, or None
    when it cannot be packed. psycopg quotes an array parameter element by element (a regular-expression test
    each, ~2 µs: 0.1 s for a chunk of 5,000 keys); a joined string is one C call."""
    if all(type(v) is int for v in chunk):
        return ",".join(map(str, chunk)), "= ANY(string_to_array(%s, ',')::bigint[])"
    if all(type(v) is str for v in chunk) and "" not in chunk:
        joined = _SEPARATOR.join(chunk)
        if joined.count(_SEPARATOR) == len(chunk) - 1:
            return joined, "= ANY(string_to_array(%s, E'\\x1f'))"
    return None


def select_in(sql: str, values: Iterable[Any], *, extra: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """Rows of `sql` (with one `IN ({})` and the `extra` parameters before it) for the given values, by chunks."""
    found: list[tuple[Any, ...]] = []
    items = list(dict.fromkeys(values))
    postgresql = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        for start in range(0, len(items), _IN_CHUNK):
            chunk = items[start : start + _IN_CHUNK]
            if not postgresql:
                cursor.execute(sql.format(", ".join(["%s"] * len(chunk))), [*extra, *chunk])
            elif packed := _packed(chunk):  # one parameter: no query of 5,000 placeholders to build and parse
                cursor.execute(sql.replace("IN ({})", packed[1]), [*extra, packed[0]])
            else:
                cursor.execute(sql.replace("IN ({})", "= ANY(%s)"), [*extra, chunk])
            found.extend(cursor.fetchall())
    return found


def analyze(columns: Mapping[type[models.Model], Sequence[str]], added: Mapping[type[models.Model], int]) -> None:
    """PostgreSQL: refresh the planner's statistics of tables this run grew by a tenth or more (inside the run's
    transaction, whose rows ANALYZE counts). Without it a table last analysed (nearly) empty is still planned as
    such: nested loops over sequential scans, minutes instead of milliseconds. Only the `columns` the import's
    own lookups filter and join on are analysed (a fraction of a full ANALYZE of 40-column tables); such an
    ANALYZE leaves the table's change counter alone, so autovacuum still analyses every column once the run
    has committed. SQLite plans by its indexes."""
    if connection.vendor != "postgresql":
        return
    tables = {m._meta.db_table: m for m in columns if added.get(m, 0) > 0}
    if not tables:
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, reltuples FROM pg_class WHERE oid = ANY(%s::regclass[])", [list(tables)])
        known = {name: float(tuples) for name, tuples in cursor.fetchall()}
        stale = [name for name, model in tables.items() if added[model] >= max(known.get(name, -1.0), 0.0) * 0.1]
        if stale:
            cursor.execute(
                "ANALYZE "
                + ", ".join(
                    f"{_quote(name)} ({', '.join(_quote(_column(tables[name], f)) for f in columns[tables[name]])})"
                    for name in stale
                )
            )


def _column(model: type[models.Model], name: str) -> str:
    return str(model._meta.get_field(name).column)  # type: ignore[union-attr]


_NAME = re.compile(r"\{(\w+)\.(\w+)(?:\.(\w+))?\}")


def sql(text: str) -> str:
    """SQL written with {app.Model} for a table and {app.Model.field} for a column, named as the models name them."""

    def name(match: re.Match[str]) -> str:
        model = apps.get_model(match.group(1), match.group(2))
        if match.group(3) is None:
            return _quote(model._meta.db_table)
        return _quote(str(model._meta.get_field(match.group(3)).column))  # type: ignore[union-attr]

    return _NAME.sub(name, text)
