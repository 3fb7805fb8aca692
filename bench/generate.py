"""A realistic stock built fast by PostgreSQL's bulk path (COPY): persons, dossiers, histories,
materials, service requests and transfers, spread over the Yantai agencies."""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Iterator
from typing import Any

from django.db import connection
from stdnum.cn import ric

from dangan.agencies.loading import load_agencies
from dangan.agencies.models import Agency
from dangan.demo.loader import create_demo_staff
from dangan.demo.synthetic import GIVEN_FEMALE, GIVEN_MALE, SCHOOLS, SURNAMES, YANTAI_COUNTIES

MATERIAL_TITLES = (("1", "干部履历表"), ("3", "年度考核登记表"), ("4-1", "高校毕业生登记表"), ("4-2", "专业技术职务任职资格评审表"),
                   ("6", "入团志愿书"), ("10", "体检表"))  # fmt: skip


def _copy(table: str, columns: list[str], rows: Iterator[tuple[Any, ...]]) -> int:
    count = 0
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
    return count


def generate(persons: int, *, seed: int = 7, materials_per_dossier: int = 5, log: Any = print) -> dict[str, float]:
    """Fill an empty, migrated PostgreSQL database; returns timings in seconds."""
    if connection.vendor != "postgresql":
        raise SystemExit("the benchmark generator uses COPY: run it on PostgreSQL")
    timings: dict[str, float] = {}
    rng = random.Random(seed)
    load_agencies()
    create_demo_staff()
    holders = list(Agency.objects.filter(level__in=["city", "district"], code__startswith="3706").order_by("code"))
    keeper_id = 1
    codes, weights = zip(*YANTAI_COUNTIES, strict=True)
    today = datetime.date(2026, 11, 1)

    def person_rows() -> Iterator[tuple[Any, ...]]:
        issued: set[str] = set()
        for pk in range(1, persons + 1):
            sex = "1" if rng.random() < 0.5 else "2"
            birth = today - datetime.timedelta(days=rng.randrange(18 * 365, 62 * 365))
            region = rng.choices(codes, weights=weights)[0]
            while True:
                body = f"{region}{birth:%Y%m%d}{rng.randrange(1000):03d}"
                if (int(body[-1]) % 2 == 1) != (sex == "1"):
                    continue
                number = body + ric.calc_check_digit(body + "0")
                if number not in issued:
                    issued.add(number)
                    break
            given = GIVEN_MALE if sex == "1" else GIVEN_FEMALE
            name = rng.choice(SURNAMES) + "".join(rng.choice(given) for _ in range(rng.choice((1, 2, 2))))
            yield (pk, "resident_id", number, name, sex, birth, "01", "山东烟台", region, "", rng.choice(("13", "13", "03", "01")),
                   birth + datetime.timedelta(days=22 * 365), rng.choice("1236"), f"13{rng.randrange(10**9):09d}" if rng.random() < 0.7 else "", "", "", "", "", "", "", "",
                   "", None, "", "[]")  # fmt: skip

    started = time.perf_counter()
    person_columns = ["id", "id_type", "id_number", "name", "sex", "birth_date", "ethnic_group", "native_place",
                      "household_region", "pre_enrolment_region", "political_status", "work_started_on", "person_category",
                      "phone", "former_name", "marital_status", "health", "birthplace", "home_address", "postcode", "email",
                      "social_security_no", "died_on", "retirement_track", "declared_none"]  # fmt: skip
    _copy("dossiers_person", person_columns, person_rows())
    timings["persons"] = time.perf_counter() - started
    log(f"  persons: {persons:,} in {timings['persons']:.1f} s")

    def dossier_rows() -> Iterator[tuple[Any, ...]]:
        for pk in range(1, persons + 1):
            holder = holders[pk % len(holders)]
            number = f"{holder.code[-4:]}{pk:07d}"
            yield (pk, pk, number, holder.pk, holder.default_custodian_id or holder.pk, "in_custody",
                   datetime.date(2012, 1, 1) + datetime.timedelta(days=rng.randrange(5000)), f"DA{holder.code}{pk:08d}",
                   "personal", "school", rng.choice(SCHOOLS), 1)  # fmt: skip

    started = time.perf_counter()
    _copy("dossiers_dossier", ["id", "person_id", "number", "holding_agency_id", "custodian_id", "status", "received_on",
                               "barcode", "entrustment_type", "source_kind", "source_name", "volumes"], dossier_rows())  # fmt: skip
    timings["dossiers"] = time.perf_counter() - started
    log(f"  dossiers: {persons:,} in {timings['dossiers']:.1f} s")

    now = datetime.datetime(2026, 11, 1, 9, 0, tzinfo=datetime.UTC)

    def education_rows() -> Iterator[tuple[Any, ...]]:
        for pk in range(1, persons + 1):
            if rng.random() < 0.85:
                yield (pk, now, rng.choice(("21", "31", "14")), "", rng.choice(SCHOOLS), "", None, None, True)

    started = time.perf_counter()
    _copy("dossiers_educationrecord", ["person_id", "created_at", "education", "degree", "school", "major", "started_on",
                                       "graduated_on", "is_highest"], education_rows())  # fmt: skip
    timings["histories"] = time.perf_counter() - started

    def material_rows() -> Iterator[tuple[Any, ...]]:
        for pk in range(1, persons + 1):
            for sequence, (klass, title) in enumerate(rng.sample(MATERIAL_TITLES, materials_per_dossier), start=1):
                yield (pk, klass, title, datetime.date(2010 + sequence, 6, 1), "year", 1, rng.randrange(1, 12), "school", "",
                       datetime.date(2020, 1, 1), keeper_id, 1, "filed", "", "", sequence, "", now)  # fmt: skip

    started = time.perf_counter()
    count = _copy("materials_material", ["dossier_id", "material_class", "title", "formed_on", "formed_precision", "copies",
                                         "pages", "source", "source_name", "received_on", "received_by_id", "volume", "status",
                                         "return_reason", "appraisal_note", "sequence", "remarks", "created_at"],
                  material_rows())  # fmt: skip
    timings["materials"] = time.perf_counter() - started
    log(f"  materials: {count:,} in {timings['materials']:.1f} s")
    with connection.cursor() as cursor:
        for table in ("dossiers_person", "dossiers_dossier", "dossiers_educationrecord", "materials_material"):
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
            cursor.execute(f"ANALYZE {table}")
    from dangan.analytics.aggregates import rebuild

    started = time.perf_counter()
    rebuild()  # COPY sends no signals: the dashboard's counters are built once, then kept by the services
    timings["aggregates"] = time.perf_counter() - started
    log(f"  dashboard counters: {persons:,} dossiers in {timings['aggregates']:.1f} s")
    return timings
