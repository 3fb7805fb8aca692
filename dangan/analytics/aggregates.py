"""Keeping the stock counters (R38, R46) in step with the base tables, in the same transaction as the change.

Every save of a dossier, its person, their history rows (education, employment, title, qualification, Party
membership) or its storage place recomputes that dossier's facts; the difference from the stored facts is added
to the counters. Bulk writers that bypass model signals (the ledger import's COPY, the demo loader, the
benchmark's generator) report the dossiers they wrote through `dangan.dossiers.changes`, or rebuild. One code
path serves both: `refresh(ids)`.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.db.models.signals import post_delete, post_save

from dangan.analytics import mandatory
from dangan.analytics.models import DossierFacts, StockCount
from dangan.core import prepared
from dangan.dossiers import changes, lookup
from dangan.dossiers.models import (
    Dossier,
    EducationRecord,
    EmploymentRecord,
    PartyMembership,
    Person,
    QualificationRecord,
    TitleRecord,
)
from dangan.dossiers.workflow import IN_STOCK
from dangan.storage.models import DossierLocation, Location

FACT_FIELDS = [
    "agency_id", "in_stock", "sex", "birth_date", "political_status", "ethnic_group", "entrustment_type",
    "received_month", "source_name", "educations", "titles", "filled", "missing",
]  # fmt: skip
PYTHON_CHUNK = 200  # dossiers whose facts are computed in Python together (SQLite)
CHUNK = 2000
Key = tuple[int, str, str]


def _facts(dossiers: QuerySet[Dossier]) -> dict[int, DossierFacts]:
    """The facts of these dossiers as the base tables say now; the mandatory items by `basicinfo` itself."""
    rows = list(dossiers.select_related("person").prefetch_related(*mandatory.PREFETCH).order_by("pk"))
    missing = mandatory.missing_of(rows)
    out = {}
    for d in rows:
        person = d.person
        educations = {e.education for e in person.education.all() if e.is_highest}
        titles = {t.level for t in person.titles.all()}
        out[d.pk] = DossierFacts(
            dossier_id=d.pk,
            agency_id=d.holding_agency_id,
            in_stock=d.status in IN_STOCK,
            sex=person.sex or "",
            birth_date=person.birth_date,
            political_status=person.political_status or "",
            ethnic_group=person.ethnic_group or "",
            entrustment_type=d.entrustment_type or "",
            received_month=d.received_on.strftime("%Y-%m") if d.received_on else "",
            source_name=d.source_name or "",
            educations=",".join(sorted(educations)),
            titles=",".join(sorted(titles)),
            filled=mandatory.TOTAL - len(missing[d.pk]),
            missing=mandatory.encode(missing[d.pk]),
        )
    for d in rows:
        # The prefetched querysets and the instances point at each other: a cycle only the cyclic collector would
        # free, long after the next chunk has been read. Dropped here, an import's memory stays flat (R36).
        d.person.__dict__.pop("_prefetched_objects_cache", None)
    return out


def birth_key(sex: str, birth: datetime.date | None) -> str:
    """Births by month: a few hundred keys per agency, quick to sum for the age bands."""
    return f"{sex}|{birth.strftime('%Y-%m') if birth else ''}"


def birthday_key(sex: str, birth: datetime.date) -> str:
    """Births by day, keyed date first so a month is one range of keys: read only for the months an age
    band's boundary falls in (`stock.age_by_sex`)."""
    return f"{birth.isoformat()}|{sex}"


def contributions(facts: DossierFacts) -> Iterator[tuple[Key, int]]:
    """What one dossier adds to the counters; `figures` defines each figure these must reproduce."""
    agency = facts.agency_id
    if facts.received_month:
        yield (agency, "received", facts.received_month), 1
    if facts.source_name:
        yield (agency, "origin", facts.source_name), 1
    if not facts.in_stock:
        return
    yield (agency, "held", ""), 1
    yield (agency, "filled", ""), facts.filled
    yield (agency, "birth", birth_key(facts.sex, facts.birth_date)), 1
    if facts.birth_date:
        yield (agency, "birthday", birthday_key(facts.sex, facts.birth_date)), 1
    yield (agency, "political", facts.political_status), 1
    yield (agency, "ethnic", facts.ethnic_group), 1
    yield (agency, "entrustment", facts.entrustment_type), 1
    for code in filter(None, facts.educations.split(",")):
        yield (agency, "education", code), 1
    for level in filter(None, facts.titles.split(",")):
        yield (agency, "title", level), 1


def _add(deltas: Counter[Key]) -> None:
    rows = sorted((k, n) for k, n in deltas.items() if n)  # one lock order for every writer: no deadlocks
    if not rows:
        return
    table = StockCount._meta.db_table
    upsert = f"ON CONFLICT (agency_id, dimension, key) DO UPDATE SET n = {table}.n + excluded.n"
    if connection.vendor == "postgresql":
        # Four array parameters instead of four parameters a row: an import's chunk moves ~15,000 counters.
        columns = [list(column) for column in zip(*((a, d, k, n) for (a, d, k), n in rows), strict=True)]
        prepared.execute(
            f"INSERT INTO {table} (agency_id, dimension, key, n) "  # noqa: S608 - fixed names
            "SELECT * FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::bigint[]) "
            f"ORDER BY 1, 2, 3 {upsert}",
            columns,
        )
        return
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 500):
            part = rows[start : start + 500]
            values = ", ".join(["(%s, %s, %s, %s)"] * len(part))
            params: list[Any] = [x for (agency, dimension, key), n in part for x in (agency, dimension, key, n)]
            cursor.execute(
                f"INSERT INTO {table} (agency_id, dimension, key, n) VALUES {values} {upsert}",  # noqa: S608
                params,
            )


def refresh(ids: Iterable[int]) -> None:
    """Recompute these dossiers' facts and move the counters by the difference, in the caller's transaction.
    The counters move once per call, whatever the number of dossiers: a counter row updated again and again in
    one transaction leaves a row version per update for the next update to step over."""
    pending = sorted(set(ids))
    deltas: Counter[Key] = Counter()
    with transaction.atomic(savepoint=False):  # a failure here fails the caller's change: no savepoint
        for start in range(0, len(pending), CHUNK):
            chunk = pending[start : start + CHUNK]
            old = {f.dossier_id: f for f in DossierFacts.objects.select_for_update().filter(dossier_id__in=chunk)}
            if connection.vendor == "postgresql":
                # Dossiers never counted (an import's, an intake's): their facts written by the database itself.
                for facts in _insert_facts_of([i for i in chunk if i not in old]):
                    for key, n in contributions(facts):
                        deltas[key] += n
                chunk = list(old)
            new = _facts_of(chunk) if chunk else {}
            changed = []
            for dossier_id in chunk:
                before, after = old.get(dossier_id), new.get(dossier_id)
                if (
                    before is not None
                    and after is not None
                    and all(getattr(before, f) == getattr(after, f) for f in FACT_FIELDS)
                ):
                    continue
                if before is not None:
                    for key, n in contributions(before):
                        deltas[key] -= n
                if after is not None:
                    for key, n in contributions(after):
                        deltas[key] += n
                    changed.append(after)
            if changed:
                DossierFacts.objects.bulk_create(
                    changed, update_conflicts=True, unique_fields=["dossier"], update_fields=FACT_FIELDS
                )
        _add(deltas)


def rebuild(log: Any = None) -> int:
    """Recompute every dossier's facts, then every counter from the facts by GROUP BY. The services keep the
    same counters one change at a time through `contributions`; a test holds the two paths equal."""
    with transaction.atomic():
        StockCount.objects.all().delete()
        DossierFacts.objects.all().delete()
        if connection.vendor == "postgresql":
            done = _facts_by_sql()
            if log:
                log(done)
            _counters_from_facts()
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {DossierFacts._meta.db_table}")
                cursor.execute(f"ANALYZE {StockCount._meta.db_table}")
            return done
        done, last = 0, 0
        while True:
            ids = list(Dossier.objects.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:CHUNK])
            if not ids:
                break
            facts = _facts_of(ids)
            DossierFacts.objects.bulk_create(facts.values(), batch_size=CHUNK)
            done, last = done + len(ids), ids[-1]
            if log and done % 100_000 < CHUNK:
                log(done)
        _counters_from_facts()
    return done


def _facts_select(*, some: bool) -> str:
    """`_facts` in SQL (PostgreSQL), held equal to it by a test. `some`: for the dossiers of one array
    parameter, each person's histories read through its index; else for every dossier, histories grouped once."""
    dossier, person = Dossier._meta.db_table, Person._meta.db_table
    education, title = EducationRecord._meta.db_table, TitleRecord._meta.db_table
    educations = f"""SELECT person_id, string_agg(education, ',' ORDER BY education COLLATE "C") AS codes
        FROM (SELECT DISTINCT person_id, education FROM {education} WHERE is_highest{{}}) x GROUP BY person_id"""  # noqa: S608
    titles = f"""SELECT person_id, string_agg(level, ',' ORDER BY level COLLATE "C") AS levels
        FROM (SELECT DISTINCT person_id, level FROM {title}{{}}) y GROUP BY person_id"""  # noqa: S608
    items = f"""{mandatory.sql_joins(some=some)}
        CROSS JOIN LATERAL (SELECT {mandatory.sql_gaps()} AS gaps) g"""
    if some:
        joins = f"""LEFT JOIN LATERAL ({educations.format(" AND person_id = d.person_id")}) e ON true
        LEFT JOIN LATERAL ({titles.format(" WHERE person_id = d.person_id")}) t ON true
        {items}
        WHERE d.id = ANY(%s)"""
    else:
        joins = f"""LEFT JOIN ({educations.format("")}) e ON e.person_id = d.person_id
        LEFT JOIN ({titles.format("")}) t ON t.person_id = d.person_id
        {items}"""
    return f"""
        SELECT d.id, d.holding_agency_id, d.status = ANY(%s), COALESCE(p.sex, ''), p.birth_date,
               COALESCE(p.political_status, ''), COALESCE(p.ethnic_group, ''), COALESCE(d.entrustment_type, ''),
               COALESCE(to_char(d.received_on, 'YYYY-MM'), ''), COALESCE(d.source_name, ''),
               COALESCE(e.codes, ''), COALESCE(t.levels, ''),
               {mandatory.TOTAL} - cardinality(g.gaps), array_to_string(g.gaps, ',')
        FROM {dossier} d
        JOIN {person} p ON p.id = d.person_id
        {joins}
    """  # noqa: S608 - table and column names come from the models, values are parameters


def _facts_by_sql() -> int:
    """Every dossier's facts as one INSERT … SELECT: minutes in Python at a million dossiers, seconds here."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {DossierFacts._meta.db_table} ({', '.join(['dossier_id', *FACT_FIELDS])})"
            + _facts_select(some=False),
            [sorted(IN_STOCK)],
        )
        return int(cursor.rowcount)


def _facts_of(ids: list[int]) -> dict[int, DossierFacts]:
    """These dossiers' facts: one prepared statement on PostgreSQL, `_facts` elsewhere."""
    if connection.vendor != "postgresql":
        # Each dossier comes with its person and five histories as model instances: a few hundred at a time keep
        # the working set small whatever the caller's chunk (an import refreshes 2,000 at once).
        out: dict[int, DossierFacts] = {}
        for start in range(0, len(ids), PYTHON_CHUNK):
            out.update(_facts(Dossier.objects.filter(pk__in=ids[start : start + PYTHON_CHUNK])))
        return out
    rows = prepared.fetch(_FACTS_OF_SOME, [sorted(IN_STOCK), ids])
    return {row[0]: DossierFacts(dossier_id=row[0], **dict(zip(FACT_FIELDS, row[1:], strict=True))) for row in rows}


_FACTS_OF_SOME = _facts_select(some=True)
_INSERT_FACTS_OF_SOME = (
    f"INSERT INTO {DossierFacts._meta.db_table} ({', '.join(['dossier_id', *FACT_FIELDS])}) {_FACTS_OF_SOME} "
    f"RETURNING {', '.join(['dossier_id', *FACT_FIELDS])}"
)


def _insert_facts_of(ids: list[int]) -> list[DossierFacts]:
    """Facts of dossiers that have none yet, computed and stored by one statement (PostgreSQL); returned for
    the counters. A dossier another transaction counted meanwhile fails the insert: never counted twice."""
    if not ids:
        return []
    rows = prepared.fetch(_INSERT_FACTS_OF_SOME, [sorted(IN_STOCK), ids])
    return [DossierFacts(dossier_id=row[0], **dict(zip(FACT_FIELDS, row[1:], strict=True))) for row in rows]


def _counters_from_facts() -> None:
    facts = DossierFacts.objects.all()
    stock = facts.filter(in_stock=True)
    batch: Counter[Key] = Counter()

    def flush(force: bool = False) -> None:
        if force or len(batch) >= 5000:
            _add(batch)
            batch.clear()

    grouped: list[tuple[str, Any, str]] = [
        ("received", facts.exclude(received_month=""), "received_month"),
        ("origin", facts.exclude(source_name=""), "source_name"),
        ("political", stock, "political_status"),
        ("ethnic", stock, "ethnic_group"),
        ("entrustment", stock, "entrustment_type"),
    ]
    for dimension, queryset, column in grouped:
        for agency, key, n in queryset.values_list("agency_id", column).annotate(n=Count("pk")).order_by().iterator():
            batch[(agency, dimension, key)] += n
            flush()
    for agency, n, filled in stock.values_list("agency_id").annotate(n=Count("pk"), f=Sum("filled")).order_by():
        batch[(agency, "held", "")] += n
        batch[(agency, "filled", "")] += filled or 0
    days = stock.exclude(birth_date=None).values_list("agency_id", "sex", "birth_date")
    for agency, sex, birth, n in days.annotate(n=Count("pk")).order_by().iterator():
        batch[(agency, "birthday", birthday_key(sex, birth))] += n
        flush()
    months = stock.annotate(month=TruncMonth("birth_date")).values_list("agency_id", "sex", "month")
    for agency, sex, month, n in months.annotate(n=Count("pk")).order_by().iterator():
        batch[(agency, "birth", birth_key(sex, month))] += n
        flush()
    for dimension, column in (("education", "educations"), ("title", "titles")):
        for agency, values, n in (
            stock.exclude(**{column: ""}).values_list("agency_id", column).annotate(n=Count("pk")).order_by()
        ):
            for value in values.split(","):
                batch[(agency, dimension, value)] += n
        flush()
    flush(force=True)


def _dossier_saved(sender: Any, instance: Dossier, **kwargs: Any) -> None:
    refresh([instance.pk])


def _person_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    if isinstance(instance, Person) and kwargs.get("created"):
        return  # a person just created has no dossier yet: nothing to count
    person_id = instance.pk if isinstance(instance, Person) else instance.person_id
    refresh(Dossier.objects.filter(person_id=person_id).values_list("pk", flat=True))


def _place_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    """Basic-information item 25 (存放位置): shelved, moved, taken off the shelf, or its place renamed."""
    if isinstance(instance, DossierLocation):
        refresh([instance.dossier_id])
    elif not kwargs.get("created"):
        refresh(DossierLocation.objects.filter(location_id=instance.pk).values_list("dossier_id", flat=True))


def dossiers_held(agency_ids: list[int]) -> int:
    """Every dossier these agencies hold, whatever its status: each one counts once under the month it was
    received (`contributions`), so the sum of those counters is the count, to the row."""
    total = StockCount.objects.filter(agency_id__in=agency_ids, dimension="received").aggregate(n=Sum("n"))["n"]
    return int(total or 0)


def connect() -> None:
    post_save.connect(_dossier_saved, sender=Dossier, dispatch_uid="analytics.dossier")
    # Every row a fact reads: the person, the histories the mandatory items come from (R35), the place.
    histories = (EducationRecord, TitleRecord, EmploymentRecord, QualificationRecord, PartyMembership)
    for model in (Person, *histories):
        post_save.connect(_person_changed, sender=model, dispatch_uid=f"analytics.{model.__name__}")
    for model in histories:
        post_delete.connect(_person_changed, sender=model, dispatch_uid=f"analytics.{model.__name__}.delete")
    post_save.connect(_place_changed, sender=DossierLocation, dispatch_uid="analytics.DossierLocation")
    post_delete.connect(_place_changed, sender=DossierLocation, dispatch_uid="analytics.DossierLocation.delete")
    post_save.connect(_place_changed, sender=Location, dispatch_uid="analytics.Location")
    changes.on_dossiers_written(refresh)
    lookup.register_held_count(dossiers_held)
