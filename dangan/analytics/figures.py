"""The figures of the dashboard (R38, R46, R48), computed by the database's own aggregation.

Every function takes a Scope and returns plain rows, so the page, the JSON API and the Excel export
show the same numbers; each one has a test that recomputes it by direct counting.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Count, F, IntegerField, Q, Sum, Value, When
from django.db.models.functions import TruncMonth

from dangan.agreements.fields import INDUSTRY_TABLE, SIZE_TABLE, employer_display
from dangan.agreements.models import AgreementStatus, RosterEntry, RosterStatus
from dangan.analytics import mandatory
from dangan.analytics.scope import Scope
from dangan.casework import registry
from dangan.casework.models import Channel, ServiceRequest
from dangan.core.codetables import table
from dangan.dossiers.models import Dossier, EducationRecord, EntrustmentType, TitleRecord
from dangan.dossiers.workflow import IN_STOCK
from dangan.transfers.models import Transfer

AGE_BANDS = ((16, 24), (25, 34), (35, 44), (45, 54), (55, 64), (65, 200))


@dataclass
class Table:
    title: str
    header: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    note: str = ""  # what the table leaves out, shown under it and at the end of its Excel sheet


def _stock(scope: Scope) -> Any:
    return Dossier.objects.filter(holding_agency_id__in=scope.agency_ids, status__in=IN_STOCK)


def count(scope: Scope, today: datetime.date) -> Table:
    month_start, year_start = today.replace(day=1), today.replace(month=1, day=1)
    held = _stock(scope).count()
    received = Dossier.objects.filter(holding_agency_id__in=scope.agency_ids)
    sent = Transfer.objects.filter(from_agency_id__in=scope.agency_ids, dispatched_on__isnull=False)
    return Table(
        "档案数量",
        ["指标", "数量"],
        [
            ["在库档案", held],
            ["本月接收", received.filter(received_on__gte=month_start, received_on__lte=today).count()],
            ["本年接收", received.filter(received_on__gte=year_start, received_on__lte=today).count()],
            ["本月转出", sent.filter(dispatched_on__gte=month_start, dispatched_on__lte=today).count()],
            ["本年转出", sent.filter(dispatched_on__gte=year_start, dispatched_on__lte=today).count()],
        ],
    )


def trend(scope: Scope, today: datetime.date, months: int = 12, *, received: bool = True) -> Table:
    """Received and sent by month; `received=False` leaves the received column to the caller (the counters)."""
    start = (today.replace(day=1) - datetime.timedelta(days=31 * (months - 1))).replace(day=1)
    by_month = (
        Dossier.objects.none()
        if not received
        else Dossier.objects.filter(
            holding_agency_id__in=scope.agency_ids, received_on__gte=start, received_on__lte=today
        )
    )
    received_by_month = dict(
        by_month.annotate(month=TruncMonth("received_on"))
        .values_list("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )
    sent = dict(
        Transfer.objects.filter(from_agency_id__in=scope.agency_ids, dispatched_on__gte=start, dispatched_on__lte=today)
        .annotate(month=TruncMonth("dispatched_on"))
        .values_list("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )
    rows = []
    month = start
    while month <= today:
        rows.append([month.strftime("%Y-%m"), _month_value(received_by_month, month), _month_value(sent, month)])
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return Table("按月接收与转出", ["月份", "接收", "转出"], rows)


def _month_value(values: dict[Any, int], month: datetime.date) -> int:
    for key, n in values.items():
        key_date = key.date() if isinstance(key, datetime.datetime) else key
        if key_date == month:
            return n
    return 0


def band_births(today: datetime.date, low: int, high: int) -> tuple[datetime.date, datetime.date]:
    """The first and last birth dates of people aged low to high today (29 February counts as the 28th)."""
    day = today.replace(day=28) if (today.month, today.day) == (2, 29) else today
    youngest = day.replace(year=day.year - low)
    return day.replace(year=day.year - high - 1) + datetime.timedelta(days=1), youngest


def age_by_sex(scope: Scope, today: datetime.date) -> Table:
    whens = []
    for low, high in AGE_BANDS:
        oldest_birth, youngest_birth = band_births(today, low, high)
        whens.append(
            When(person__birth_date__lte=youngest_birth, person__birth_date__gte=oldest_birth, then=Value(low))
        )
    rows = (
        _stock(scope)
        .annotate(band=Case(*whens, default=Value(0), output_field=IntegerField()))
        .values("band")
        .annotate(male=Count("pk", filter=Q(person__sex="1")), female=Count("pk", filter=Q(person__sex="2")))
        .order_by("band")
    )
    by_band = {r["band"]: r for r in rows}
    labels = {low: (f"{low}岁及以上" if high >= 200 else f"{low}–{high}岁") for low, high in AGE_BANDS}
    labels[0] = "16岁以下"
    out = [
        [labels[b], by_band[b]["male"], by_band[b]["female"]] for b in [0, *[lo for lo, _ in AGE_BANDS]] if b in by_band
    ]
    return Table("年龄与性别结构", ["年龄段", "男", "女"], out)


def _by_code(scope: Scope, field_name: str, code_table: str, title: str, header: str) -> Table:
    rows = _stock(scope).values(field_name).annotate(n=Count("pk")).order_by("-n")
    names = table(code_table)
    return Table(title, [header, "人数"], [[names.label(r[field_name]) or "未填写", r["n"]] for r in rows])


def political_status(scope: Scope) -> Table:
    return _by_code(scope, "person__political_status", "political_status", "政治面貌结构", "政治面貌")


def ethnic_group(scope: Scope) -> Table:
    return _by_code(scope, "person__ethnic_group", "ethnic_group", "民族结构", "民族")


def entrustment(scope: Scope) -> Table:
    rows = _stock(scope).values("entrustment_type").annotate(n=Count("pk")).order_by("-n")
    labels = dict(Dossier._meta.get_field("entrustment_type").choices or [])
    return Table("存档类型", ["存档类型", "人数"], [[str(labels.get(r["entrustment_type"], "")), r["n"]] for r in rows])


def education(scope: Scope) -> Table:
    stock = _stock(scope).values("person_id")
    rows = (
        EducationRecord.objects.filter(person_id__in=stock, is_highest=True)
        .values("education")
        .annotate(n=Count("person_id", distinct=True))
        .order_by("-n")
    )
    names = table("education")
    recorded = sum(r["n"] for r in rows)
    out = [[names.label(r["education"]), r["n"]] for r in rows]
    out.append(["未登记", _stock(scope).count() - recorded])
    return Table("最高学历结构", ["学历", "人数"], out)


def titles(scope: Scope) -> Table:
    stock = _stock(scope).values("person_id")
    rows = TitleRecord.objects.filter(person_id__in=stock).values("level").annotate(n=Count("person_id", distinct=True))
    labels = dict(TitleRecord.Level.choices)
    return Table(
        "专业技术职务（职称）结构", ["级别", "人数"], [[str(labels.get(r["level"], r["level"])), r["n"]] for r in rows]
    )


def by_agency(scope: Scope) -> Table:
    rows = (
        _stock(scope)
        .values("holding_agency__short_name", "holding_agency__region_code")
        .annotate(n=Count("pk"))
        .order_by("-n")
    )
    return Table(
        "按存档机构分布",
        ["存档机构", "行政区划", "在库档案"],
        [[r["holding_agency__short_name"], r["holding_agency__region_code"], r["n"]] for r in rows],
    )


NO_INDUSTRY = "未登记行业"
NO_SIZE = "未登记规模"


def _entries_in_force(today: datetime.date) -> Any:
    """Employees on the roster of an employer's collective agreement in force today."""
    return RosterEntry.objects.filter(
        status=RosterStatus.ACTIVE, agreement__status=AgreementStatus.IN_FORCE, agreement__end_date__gte=today
    )


def by_employer(scope: Scope, today: datetime.date, *, held_by_entrustment: dict[str, int] | None = None) -> Table:
    """Dossiers of the stock on the roster of an employer's collective agreement in force, by the employer's
    industry section (GB/T 4754-2017, rows) and enterprise size (columns). The rest of the stock (held
    individually, or collective without an agreement in force) is counted in the note, from the stock by
    entrustment type: `held_by_entrustment` when the caller has it (the counters), else one GROUP BY."""
    grouped = (
        _entries_in_force(today)
        .filter(dossier__holding_agency_id__in=scope.agency_ids, dossier__status__in=IN_STOCK)
        .values("agreement__employer__industry", "agreement__employer__size", "dossier__entrustment_type")
        .annotate(n=Count("pk"))
        .order_by()
    )
    sizes = table(SIZE_TABLE)
    columns = [c.code for c in sizes.codes]
    cells: dict[str, list[int]] = {}
    covered_by_entrustment: dict[str, int] = {}
    for r in grouped:  # one row per (industry, size, entrustment) present, not per dossier
        row = cells.setdefault(r["agreement__employer__industry"] or "", [0] * (len(columns) + 1))
        size = r["agreement__employer__size"] or ""
        row[columns.index(size) if size in columns else len(columns)] += r["n"]
        kind = r["dossier__entrustment_type"]
        covered_by_entrustment[kind] = covered_by_entrustment.get(kind, 0) + r["n"]
    industries = table(INDUSTRY_TABLE)
    order = [c.code for c in industries.codes if c.code in cells]
    order += sorted(code for code in cells if code and code not in industries)
    rows: list[list[Any]] = [[employer_display("industry", code), *cells[code]] for code in order]
    if "" in cells:
        rows.append([NO_INDUSTRY, *cells[""]])
    if held_by_entrustment is None:
        held_by_entrustment = dict(
            _stock(scope).values_list("entrustment_type").annotate(n=Count("pk")).values_list("entrustment_type", "n")
        )
    covered = sum(covered_by_entrustment.values())
    personal = held_by_entrustment.get(EntrustmentType.PERSONAL, 0) - covered_by_entrustment.get(
        EntrustmentType.PERSONAL, 0
    )
    other = sum(held_by_entrustment.values()) - covered - personal
    note = (
        f"本表统计在履行中的单位委托集体存档协议名册内的在库档案，共{covered}份，按单位登记的行业门类"
        f"（GB/T 4754-2017）和企业规模（《统计上大中小微型企业划分办法（2017）》）分列。"
        f"未计入：个人委托存档{personal}份；其他{other}份（单位协议已期满或终止、离职待转出等）。"
    )
    return Table("按单位行业和规模分布", ["行业门类", *(c.name for c in sizes.codes), NO_SIZE], rows, note)


def flows(scope: Scope, *, limit: int = 20) -> Table:
    rows = (
        Transfer.objects.filter(Q(from_agency_id__in=scope.agency_ids) | Q(to_agency_id__in=scope.agency_ids))
        .filter(dispatched_on__isnull=False)
        .values("from_agency__short_name", "to_agency__short_name", "to_name")
        .annotate(n=Count("pk"))
        .order_by("-n")[:limit]
    )
    return Table(
        "档案流向（转出机构 → 接收单位）",
        ["转出", "接收", "数量"],
        [[r["from_agency__short_name"], r["to_agency__short_name"] or r["to_name"], r["n"]] for r in rows],
    )


def origins(scope: Scope, *, limit: int = 10) -> Table:
    rows = (
        Dossier.objects.filter(holding_agency_id__in=scope.agency_ids)
        .exclude(source_name="")
        .values("source_name")
        .annotate(n=Count("pk"))
        .order_by("-n")[:limit]
    )
    return Table("主要档案来源", ["来源", "数量"], [[r["source_name"], r["n"]] for r in rows])


def services(scope: Scope, today: datetime.date) -> Table:
    rows = (
        ServiceRequest.objects.filter(holding_agency_id__in=scope.agency_ids)
        .values("service_type", "channel")
        .annotate(
            n=Count("pk"),
            done=Count("pk", filter=Q(completed_at__isnull=False)),
            same_day=Count("pk", filter=Q(completed_at__date__lte=F("due"))),
            overdue=Count("pk", filter=Q(completed_at__isnull=True, due__lt=today)),
        )
        .order_by("service_type", "channel")
    )
    channels = dict(Channel.choices)
    out = []
    for r in rows:
        service_type = registry.get(r["service_type"])
        rate = f"{100 * r['same_day'] / r['done']:.0f}%" if r["done"] else "—"
        out.append([service_type.label if service_type else r["service_type"], str(channels.get(r["channel"], "")),
                    r["n"], r["done"], rate, r["overdue"]])  # fmt: skip
    return Table("服务办理情况", ["事项", "渠道", "申请", "办结", "按期办结率", "超期未办结"], out)


def _completeness(scope: Scope) -> tuple[Any, dict[int, str]]:
    """The stock annotated with each mandatory item filled or not (`mandatory.annotate`, item no → column) and
    with `filled`, their sum."""
    dossiers, columns = mandatory.annotate(_stock(scope))
    filled = sum((F(column) for column in columns.values()), Value(0))
    return dossiers.annotate(filled=filled), columns


def quality(scope: Scope) -> Table:
    """Completeness of the 26 mandatory items (R35) by agency, as a percentage."""
    dossiers, _columns = _completeness(scope)
    per_agency = (
        dossiers.values("holding_agency__name")
        .annotate(n=Count("pk"), filled_items=Sum("filled"))
        .order_by("holding_agency__name")
    )
    total = mandatory.TOTAL
    return Table(
        "必采信息完整率（按机构）",
        ["存档机构", "档案数", "完整率"],
        [
            [r["holding_agency__name"], r["n"], f"{100 * (r['filled_items'] or 0) / (r['n'] * total):.1f}%"]
            for r in per_agency
        ],
    )


def worst_records(scope: Scope, *, limit: int = 20) -> Table:
    """The least complete dossiers of the stock, with the mandatory items they miss."""
    dossiers, columns = _completeness(scope)
    rows = dossiers.order_by("filled", "pk").values(
        "pk", "number", "person__name", "holding_agency__short_name", "filled", *columns.values()
    )[:limit]
    total = mandatory.TOTAL
    return Table(
        "信息最不完整的档案（优先补录）",
        list(WORST_HEADER),
        [
            [
                r["number"], r["person__name"], r["holding_agency__short_name"], f"{r['filled']}/{total}",
                "、".join(mandatory.LABELS[no] for no, column in columns.items() if not r[column]),
            ]
            for r in rows
        ],
    )  # fmt: skip


WORST_HEADER = ("档案编号", "姓名", "存档机构", "已填项", "待补项目")  # the worst records and their download


# name → figure, in the dashboard's order; `stock.all_sections` serves the stock ones from the counters.
SECTIONS: dict[str, Callable[[Scope, datetime.date], Table]] = {
    "count": count,
    "trend": trend,
    "age": age_by_sex,
    "education": lambda scope, today: education(scope),
    "titles": lambda scope, today: titles(scope),
    "political": lambda scope, today: political_status(scope),
    "ethnic": lambda scope, today: ethnic_group(scope),
    "entrustment": lambda scope, today: entrustment(scope),
    "agencies": lambda scope, today: by_agency(scope),
    "industry": by_employer,
    "flows": lambda scope, today: flows(scope),
    "origins": lambda scope, today: origins(scope),
    "services": services,
    "quality": lambda scope, today: quality(scope),
    "worst": lambda scope, today: worst_records(scope),
}


def all_sections(scope: Scope, today: datetime.date) -> dict[str, Table]:
    """Every figure by plain GROUP BY over the base tables: the reference the counters are checked against."""
    return {name: figure(scope, today) for name, figure in SECTIONS.items()}
