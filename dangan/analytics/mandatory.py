"""The 26 mandatory basic-information items (R35) as the dashboard counts them: the project's own definition,
`dossiers.basicinfo.MANDATORY` and `basicinfo.is_filled` (what the dossier page shows), in three forms.

- `missing_of`: per dossier in Python, calling `basicinfo.is_filled` itself (the facts on SQLite, the tests'
  reference); the provider items (存放位置) are read in bulk instead of one query per dossier.
- `annotate`: per dossier in the ORM (`figures`, the plain recount the counters are checked against).
- `sql_joins` / `sql_gaps`: in PostgreSQL's SQL (`aggregates`, the facts of one change or of a full rebuild).

Each item of the history sources is the value of one row: the highest education row (the last marked highest,
else the last row), the last current employment, the last title, the last qualification, the last current
Party or League membership, "last" in the model's own ordering, as `basicinfo` reads them. An item the data
clerk declared "无" (`Person.declared_none`, only for `noneable` items) counts as filled; the joining date of
item 9 counts as filled for a person who is neither a Party nor a League member.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Case, Exists, F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When

from dangan.dossiers import basicinfo
from dangan.dossiers.basicinfo import MANDATORY, PARTY_OR_LEAGUE, Item
from dangan.dossiers.models import (
    Dossier,
    EducationRecord,
    EmploymentRecord,
    PartyMembership,
    Person,
    QualificationRecord,
    TitleRecord,
)
from dangan.storage.models import DossierLocation, Location

TOTAL = len(MANDATORY)
LABELS = {item.no: item.label for item in MANDATORY}


@dataclass(frozen=True)
class _Rows:
    """The one history row an item source reads (`basicinfo.value_of`): the last of `model`'s rows of the person
    matching `where`, in the model's ordering; `first` puts a preferred kind of row last (the highest education)."""

    model: type[models.Model]
    alias: str
    where: dict[str, Any]
    where_sql: str
    first: str = ""  # a boolean column whose true rows win over the rest
    fields: tuple[tuple[str, str], ...] = ()  # item key → column of the row, when not the same name

    def field(self, key: str) -> str:
        return dict(self.fields).get(key, key)

    @property
    def ordering(self) -> tuple[str, ...]:
        """The model's own ordering (ascending fields), which `basicinfo` reads the rows in."""
        ordering = tuple(str(f) for f in self.model._meta.ordering or ())
        assert all(f.isidentifier() for f in ordering), ordering
        return ordering

    def orm_order(self) -> list[str]:
        """The last row first: the model's ordering reversed (NULLs fall where the database puts them in
        reverse, so the row is the one `basicinfo` takes last on either database)."""
        return [*([f"-{self.first}"] if self.first else []), *(f"-{f}" for f in self.ordering)]

    def sql_order(self) -> str:
        columns = [self.first] if self.first else []
        columns += ["id" if f == "pk" else _column(self.model, f) for f in self.ordering]
        return ", ".join(f"{c} DESC" for c in columns)


ROWS: dict[str, _Rows] = {
    "education": _Rows(EducationRecord, "he", {}, "", first="is_highest"),
    "employment": _Rows(EmploymentRecord, "ce", {"ended_on__isnull": True}, "ended_on IS NULL"),
    "title": _Rows(TitleRecord, "lt", {}, ""),
    "qualification": _Rows(QualificationRecord, "lq", {}, "", fields=(("qualification", "name"),)),
    "party": _Rows(
        PartyMembership, "pm", {"left_on__isnull": True}, "left_on IS NULL", fields=(("party_joined_on", "joined_on"),)
    ),
}  # fmt: skip


def _located(dossier_ids: Iterable[int] | QuerySet[Any]) -> set[int]:
    return set(
        DossierLocation.objects.filter(dossier_id__in=dossier_ids, location__code__gt="").values_list(
            "dossier_id", flat=True
        )
    )


# Items an upper app provides (`basicinfo.register_provider`), read in bulk: which of these dossiers have one.
# `annotate` and `sql_joins` read the same: 存放位置 (storage) is the one provider item.
PROVIDED: dict[str, Callable[[Any], set[int]]] = {"location": _located}

_unknown = [i.key for i in MANDATORY if i.source not in ("person", "dossier", "provider", *ROWS)]
_unknown += [i.key for i in MANDATORY if i.source == "provider" and i.key != "location"]
_unknown += [i.key for i in MANDATORY if i.source == "party" and i.key != "party_joined_on"]
if _unknown:  # a new mandatory item the dashboard cannot count yet: fail at start-up, not with wrong figures
    raise ImproperlyConfigured(f"analytics.mandatory does not count the mandatory items {_unknown}")


def _field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field), name  # a concrete column, not a reverse relation
    return field


def _column(model: type[models.Model], name: str) -> str:
    return str(_field(model, name).column)


def _is_date(model: type[models.Model], name: str) -> bool:
    return isinstance(_field(model, name), models.DateField)


def encode(missing: Iterable[Item]) -> str:
    """The missing items as stored in the facts: their numbers, in the standard's order."""
    return ",".join(str(item.no) for item in missing)


def labels(missing: str) -> str:
    """The names of the stored missing items: "10,11" → "参加工作时间、最高学历"."""
    return "、".join(LABELS[int(no)] for no in missing.split(",") if no)


# --- Python: basicinfo itself ----------------------------------------------------------------------------------

PREFETCH = (
    "person__education", "person__employment", "person__titles", "person__qualifications", "person__memberships",
)  # fmt: skip


def missing_of(dossiers: list[Dossier]) -> dict[int, tuple[Item, ...]]:
    """Each dossier's missing mandatory items by `basicinfo.is_filled`; the dossiers come with their person and
    the person's histories prefetched (`PREFETCH`), so nothing is read one dossier at a time."""
    ids = [d.pk for d in dossiers]
    provided = {key: read(ids) for key, read in PROVIDED.items()}
    out = {}
    for dossier in dossiers:
        person = dossier.person
        missing = []
        for item in MANDATORY:
            if item.source == "provider":
                declared = item.noneable and item.key in (person.declared_none or [])
                filled = declared or dossier.pk in provided[item.key]
            else:
                filled = basicinfo.is_filled(item, person, dossier)
            if not filled:
                missing.append(item)
        out[dossier.pk] = tuple(missing)
    return out


# --- ORM: the plain recount of `figures` ------------------------------------------------------------------------


class DeclaredNone(Func):
    """The person's `declared_none` list holds this key (JSON array membership on either database)."""

    output_field = models.BooleanField()
    arity = 1

    def __init__(self, expression: Any, key: str) -> None:
        super().__init__(expression)
        self.key = key

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list[Any]]:  # type: ignore[override]
        column, params = compiler.compile(self.source_expressions[0])
        if connection.vendor == "postgresql":
            return f"({column} @> jsonb_build_array(%s::text))", [*params, self.key]
        sql = f"EXISTS (SELECT 1 FROM json_each({column}) WHERE json_each.value = %s)"  # noqa: S608 - a column
        return sql, [*params, self.key]


def _present(name: str, is_date: bool) -> Q:
    return Q(**{f"{name}__isnull": False}) if is_date else Q(**{f"{name}__gt": ""})


def annotate(dossiers: QuerySet[Dossier]) -> tuple[QuerySet[Dossier], dict[int, str]]:
    """The dossiers annotated with one 0/1 column per mandatory item (filled or not), and item no → column."""
    values: dict[str, Any] = {}
    conditions: dict[int, Q] = {}
    for item in MANDATORY:
        if item.source == "person":
            condition = _present(f"person__{item.key}", _is_date(Person, item.key))
        elif item.source == "dossier":
            condition = _present(item.key, _is_date(Dossier, item.key))
        elif item.source == "provider":
            condition = Q(Exists(DossierLocation.objects.filter(dossier_id=OuterRef("pk"), location__code__gt="")))
        else:
            rows = ROWS[item.source]
            name = f"_{rows.alias}_{rows.field(item.key)}"
            row = rows.model._default_manager.filter(person_id=OuterRef("person_id"), **rows.where)
            values[name] = Subquery(row.order_by(*rows.orm_order()).values(rows.field(item.key))[:1])
            condition = _present(name, _is_date(rows.model, rows.field(item.key)))
            if item.key == "party_joined_on":
                condition |= ~Q(person__political_status__in=PARTY_OR_LEAGUE)
        if item.noneable:
            condition |= Q(DeclaredNone(F("person__declared_none"), item.key))
        conditions[item.no] = condition
    columns = {no: f"_m{no}" for no in conditions}
    flags = {
        columns[no]: Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())
        for no, condition in conditions.items()
    }
    return dossiers.annotate(**values).annotate(**flags), columns


# --- SQL: the facts on PostgreSQL --------------------------------------------------------------------------------


def sql_joins(*, some: bool) -> str:
    """The rows the items read, joined to `d` (dossier) and `p` (person). `some`: per dossier through the
    histories' person index (LATERAL, one change's refresh); else every person's row at once (the rebuild)."""
    joins = []
    for rows in ROWS.values():
        table = rows.model._meta.db_table
        columns = ", ".join(sorted({_column(rows.model, rows.field(i.key)) for i in _items(rows)}))
        if some:
            where = f"person_id = d.person_id{f' AND {rows.where_sql}' if rows.where_sql else ''}"
            joins.append(
                f"LEFT JOIN LATERAL (SELECT {columns} FROM {table} WHERE {where} "  # noqa: S608 - model names
                f"ORDER BY {rows.sql_order()} LIMIT 1) {rows.alias} ON true"
            )
        else:
            where = f" WHERE {rows.where_sql}" if rows.where_sql else ""
            joins.append(
                f"LEFT JOIN (SELECT DISTINCT ON (person_id) person_id, {columns} FROM {table}{where} "  # noqa: S608
                f"ORDER BY person_id, {rows.sql_order()}) {rows.alias} ON {rows.alias}.person_id = d.person_id"
            )
    placed, location = DossierLocation._meta.db_table, Location._meta.db_table
    located = f"SELECT dl.dossier_id FROM {placed} dl JOIN {location} l ON l.id = dl.location_id WHERE l.code > ''"  # noqa: S608
    joins.append(
        f"LEFT JOIN LATERAL ({located} AND dl.dossier_id = d.id) loc ON true"
        if some
        else f"LEFT JOIN ({located}) loc ON loc.dossier_id = d.id"
    )
    return "\n        ".join(joins)


def _items(rows: _Rows) -> list[Item]:
    return [i for i in MANDATORY if ROWS.get(i.source) is rows]


def _sql_present(column: str, is_date: bool) -> str:
    return f"{column} IS NOT NULL" if is_date else f"{column} > ''"


def sql_gaps() -> str:
    """A text[] of the missing items' numbers, in order, over `sql_joins`' aliases (no parameters)."""
    cases = []
    for item in MANDATORY:
        if item.source == "person":
            condition = _sql_present(f"p.{_column(Person, item.key)}", _is_date(Person, item.key))
        elif item.source == "dossier":
            condition = _sql_present(f"d.{_column(Dossier, item.key)}", _is_date(Dossier, item.key))
        elif item.source == "provider":
            condition = "loc.dossier_id IS NOT NULL"
        else:
            rows = ROWS[item.source]
            name = rows.field(item.key)
            condition = _sql_present(f"{rows.alias}.{_column(rows.model, name)}", _is_date(rows.model, name))
            if item.key == "party_joined_on":
                codes = ", ".join(f"'{code}'" for code in sorted(PARTY_OR_LEAGUE))
                condition = f"({condition} OR p.political_status NOT IN ({codes}))"
        if item.noneable:
            condition = f"""({condition} OR p.declared_none @> '["{item.key}"]'::jsonb)"""
        cases.append(f"CASE WHEN {condition} THEN NULL ELSE '{item.no}' END")
    return f"array_remove(ARRAY[{', '.join(cases)}]::text[], NULL)"
