"""The stock figures of the dashboard read from the maintained counters (`aggregates`), not the base tables.

Each function returns the same Table as its namesake in `figures` (the plain GROUP BY over the base tables,
kept as the reference and the benchmark's baseline); the tests hold the two equal after random operations.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

from django.db.models import Sum

from dangan.agencies.models import Agency
from dangan.analytics import figures, mandatory
from dangan.analytics.figures import AGE_BANDS, Table, band_births
from dangan.analytics.models import DossierFacts, StockCount
from dangan.analytics.scope import Scope
from dangan.core.codetables import table
from dangan.dossiers.models import Dossier, TitleRecord
from dangan.transfers.models import Transfer


def _totals(scope: Scope, dimension: str) -> dict[str, int]:
    rows = (
        StockCount.objects.filter(agency_id__in=scope.agency_ids, dimension=dimension)
        .values("key")
        .annotate(total=Sum("n"))
        .values_list("key", "total")
    )
    return {key: total for key, total in rows if total}


def _by_agency(scope: Scope, dimension: str) -> dict[int, int]:
    rows = StockCount.objects.filter(agency_id__in=scope.agency_ids, dimension=dimension, key="").values_list(
        "agency_id", "n"
    )
    return {agency: n for agency, n in rows if n}


def _ranked(values: dict[str, int], label: Any) -> list[list[Any]]:
    return [[label(k), n] for k, n in sorted(values.items(), key=lambda kv: (-kv[1], kv[0]))]


def count(scope: Scope, today: datetime.date) -> Table:
    held = sum(_totals(scope, "held").values())
    received = _totals(scope, "received")
    month = today.strftime("%Y-%m")
    sent = Transfer.objects.filter(from_agency_id__in=scope.agency_ids, dispatched_on__isnull=False)
    month_start, year_start = today.replace(day=1), today.replace(month=1, day=1)
    return Table(
        "档案数量",
        ["指标", "数量"],
        [
            ["在库档案", held],
            ["本月接收", received.get(month, 0)],
            ["本年接收", sum(n for m, n in received.items() if f"{today.year}-01" <= m <= month)],
            ["本月转出", sent.filter(dispatched_on__gte=month_start, dispatched_on__lte=today).count()],
            ["本年转出", sent.filter(dispatched_on__gte=year_start, dispatched_on__lte=today).count()],
        ],
    )


def trend(scope: Scope, today: datetime.date, months: int = 12) -> Table:
    plain = figures.trend(scope, today, months, received=False)
    received = _totals(scope, "received")
    for row in plain.rows:
        row[1] = received.get(row[0], 0)
    return plain


def _band(birth: datetime.date | None, today: datetime.date) -> int:
    if birth is None:
        return 0
    for low, high in AGE_BANDS:
        oldest, youngest = band_births(today, low, high)
        if oldest <= birth <= youngest:
            return low
    return 0


def age_by_sex(scope: Scope, today: datetime.date) -> Table:
    """Counters by birth month; the few months a band boundary falls in are read from the counters by day."""
    split = {d.strftime("%Y-%m") for low, high in AGE_BANDS for d in band_births(today, low, high)}
    bands: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])

    def add(sex: str, band: int, n: int) -> None:
        counts = bands[band]
        counts[0] += n
        if sex in ("1", "2"):
            counts[int(sex)] += n

    for key, n in _totals(scope, "birth").items():
        sex, _, month = key.partition("|")
        if month in split:
            continue
        add(sex, _band(datetime.date.fromisoformat(f"{month}-01") if month else None, today), n)
    for month in split:
        days = (
            StockCount.objects.filter(
                agency_id__in=scope.agency_ids, dimension="birthday", key__gt=f"{month}-", key__lt=f"{month}."
            )
            .values("key")
            .annotate(total=Sum("n"))
            .values_list("key", "total")
        )
        for key, n in days:
            iso, _, sex = key.partition("|")
            add(sex, _band(datetime.date.fromisoformat(iso), today), n)
    labels = {low: (f"{low}岁及以上" if high >= 200 else f"{low}–{high}岁") for low, high in AGE_BANDS}
    labels[0] = "16岁以下"
    order = [0, *[low for low, _ in AGE_BANDS]]
    return Table(
        "年龄与性别结构", ["年龄段", "男", "女"], [[labels[b], bands[b][1], bands[b][2]] for b in order if b in bands]
    )


def _by_code(scope: Scope, dimension: str, code_table: str, title: str, header: str) -> Table:
    names = table(code_table)
    return Table(title, [header, "人数"], _ranked(_totals(scope, dimension), lambda k: names.label(k) or "未填写"))


def political_status(scope: Scope) -> Table:
    return _by_code(scope, "political", "political_status", "政治面貌结构", "政治面貌")


def ethnic_group(scope: Scope) -> Table:
    return _by_code(scope, "ethnic", "ethnic_group", "民族结构", "民族")


def entrustment(scope: Scope) -> Table:
    labels = dict(Dossier._meta.get_field("entrustment_type").choices or [])
    return Table(
        "存档类型", ["存档类型", "人数"], _ranked(_totals(scope, "entrustment"), lambda k: str(labels.get(k, "")))
    )


def education(scope: Scope) -> Table:
    names = table("education")
    values = _totals(scope, "education")
    out = _ranked(values, names.label)
    out.append(["未登记", sum(_totals(scope, "held").values()) - sum(values.values())])
    return Table("最高学历结构", ["学历", "人数"], out)


def titles(scope: Scope) -> Table:
    labels = dict(TitleRecord.Level.choices)
    return Table(
        "专业技术职务（职称）结构",
        ["级别", "人数"],
        _ranked(_totals(scope, "title"), lambda k: str(labels.get(k, k))),
    )


def by_agency(scope: Scope) -> Table:
    held = _by_agency(scope, "held")
    agencies = {a.pk: a for a in Agency.objects.filter(pk__in=held)}
    rows = sorted(held.items(), key=lambda kv: (-kv[1], agencies[kv[0]].short_name))
    return Table(
        "按存档机构分布",
        ["存档机构", "行政区划", "在库档案"],
        [[agencies[a].short_name, agencies[a].region_code, n] for a, n in rows],
    )


def origins(scope: Scope, *, limit: int = 10) -> Table:
    values = _totals(scope, "origin")
    return Table("主要档案来源", ["来源", "数量"], _ranked(values, str)[:limit])


def quality(scope: Scope) -> Table:
    held, filled = _by_agency(scope, "held"), _by_agency(scope, "filled")
    agencies = {a.pk: a for a in Agency.objects.filter(pk__in=held)}
    total = mandatory.TOTAL
    rows = sorted(held.items(), key=lambda kv: agencies[kv[0]].name)
    return Table(
        "必采信息完整率（按机构）",
        ["存档机构", "档案数", "完整率"],
        [[agencies[a].name, n, f"{100 * filled.get(a, 0) / (n * total):.1f}%"] for a, n in rows],
    )


def worst_records(scope: Scope, *, limit: int = 20) -> Table:
    facts = list(
        DossierFacts.objects.filter(in_stock=True, agency_id__in=scope.agency_ids)
        .order_by("filled", "dossier_id")
        .values_list("dossier_id", "filled", "missing")[:limit]
    )
    dossiers = Dossier.objects.select_related("person", "holding_agency").in_bulk([d for d, _, _ in facts])
    total = mandatory.TOTAL
    return Table(
        "信息最不完整的档案（优先补录）",
        list(figures.WORST_HEADER),
        [
            [
                dossiers[d].number, dossiers[d].person.name, dossiers[d].holding_agency.short_name,
                f"{filled}/{total}", mandatory.labels(missing),
            ]
            for d, filled, missing in facts
        ],
    )  # fmt: skip


STOCK_SECTIONS: dict[str, Callable[[Scope, datetime.date], Table]] = {
    "count": count,
    "trend": trend,
    "age": age_by_sex,
    "education": lambda scope, today: education(scope),
    "titles": lambda scope, today: titles(scope),
    "political": lambda scope, today: political_status(scope),
    "ethnic": lambda scope, today: ethnic_group(scope),
    "entrustment": lambda scope, today: entrustment(scope),
    "agencies": lambda scope, today: by_agency(scope),
    "industry": lambda scope, today: figures.by_employer(
        scope, today, held_by_entrustment=_totals(scope, "entrustment")
    ),
    "origins": lambda scope, today: origins(scope),
    "quality": lambda scope, today: quality(scope),
    "worst": lambda scope, today: worst_records(scope),
}


def all_sections(scope: Scope, today: datetime.date) -> dict[str, Table]:
    """Every section of `figures.all_sections`, the stock ones from the counters, the rest (flows, services:
    small tables with their own indexes) as they are."""
    return {
        name: STOCK_SECTIONS[name](scope, today) if name in STOCK_SECTIONS else plain(scope, today)
        for name, plain in figures.SECTIONS.items()
    }


def incomplete_records(scope: Scope) -> tuple[Table, Iterator[list[Any]]]:
    """Every dossier in stock with a mandatory item missing, least complete first, streamed from the facts
    (the download behind the dashboard's top-20 list; memory stays flat however many there are)."""
    total = mandatory.TOTAL
    rows = (
        DossierFacts.objects.filter(in_stock=True, agency_id__in=scope.agency_ids, filled__lt=total)
        .order_by("filled", "dossier_id")
        .values_list(
            "dossier__number", "dossier__person__name", "dossier__holding_agency__short_name", "filled", "missing"
        )
        .iterator(chunk_size=2000)
    )
    header = Table("待补录档案清单", list(figures.WORST_HEADER))
    return header, (
        [number, name, agency, f"{filled}/{total}", mandatory.labels(missing)]
        for number, name, agency, filled, missing in rows
    )
