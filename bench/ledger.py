"""The migration template imported with full validation (R36), beside a raw COPY of the same rows."""

from __future__ import annotations

import csv
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

from django.db import connection, transaction

from bench.measure import Result

HOLDER = "370602"


def _without_stock_ids(written: Any, folder: Path) -> tuple[Path, Path, int]:
    """Drop the generated people whose ID number the stock already holds (a random clash, not a planted error)."""
    ids: list[str] = []
    with written.ledger.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        column = next(reader).index("证件号码")
        ids = [row[column] for row in reader]
    taken: set[str] = set()
    with connection.cursor() as cursor:
        for start in range(0, len(ids), 5000):
            cursor.execute(
                "SELECT id_number FROM dossiers_person WHERE id_number = ANY(%s)", [ids[start : start + 5000]]
            )
            taken.update(r[0] for r in cursor.fetchall())
    ledger, materials = folder / "bench-ledger.csv", folder / "bench-materials.csv"
    kept = 0
    for source, target, key in ((written.ledger, ledger, column), (written.materials, materials, 0)):
        with source.open(encoding="utf-8", newline="") as src, target.open("w", encoding="utf-8", newline="") as dst:
            reader, writer = csv.reader(src), csv.writer(dst)
            writer.writerow(next(reader))
            for row in reader:
                if row[key] not in taken:
                    writer.writerow(row)
                    kept += source is written.ledger
    return ledger, materials, kept


def _rows(path: Path) -> int:
    with path.open(encoding="utf-8") as handle:
        return sum(1 for _ in handle) - 1


def _raw_copy(ledger: Path, materials: Path) -> float:
    """Seconds to COPY both files, as text columns, into fresh tables: the database's own bulk path."""
    started = time.perf_counter()
    with connection.cursor() as cursor:
        raw = cursor.cursor
        for name, path in (("bench_raw_ledger", ledger), ("bench_raw_materials", materials)):
            with path.open(encoding="utf-8", newline="") as handle:
                width = len(next(csv.reader(handle)))
            cursor.execute(f"DROP TABLE IF EXISTS {name}")
            cursor.execute(f"CREATE TABLE {name} ({', '.join(f'c{i} text' for i in range(width))})")
            with raw.copy(f"COPY {name} FROM STDIN WITH (FORMAT csv, HEADER true)") as copy, path.open("rb") as data:
                while chunk := data.read(1 << 20):
                    copy.write(chunk)
    elapsed = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_raw_ledger")
        cursor.execute("DROP TABLE bench_raw_materials")
    return elapsed


class _Undo(Exception):
    pass


def _writes_alone(job: Any) -> tuple[float, float]:
    """(seconds, of which deferred constraint checks) the import's own write path takes for the checked rows,
    its checks untimed: the second pass fed row by row, the writer's calls timed, the foreign-key checks forced
    at the end instead of at commit, then everything rolled back. No import through this schema can go faster."""
    from dangan.migration import importer
    from dangan.migration.progress import silent
    from dangan.migration.services import run_of
    from dangan.migration.writing import Writer

    spent = [0.0]
    originals = {name: getattr(Writer, name) for name in ("ledger_chunk", "ledger_done", "materials_chunk", "finish")}

    def timed_method(method: Any) -> Any:
        def call(self: Any, *args: Any) -> Any:
            began = time.perf_counter()
            try:
                return method(self, *args)
            finally:
                spent[0] += time.perf_counter() - began

        return call

    run = run_of(job)
    outcome = importer.Outcome(numbers_to_draw=job.ledger_rows)
    checks = 0.0
    try:
        for name, method in originals.items():
            setattr(Writer, name, timed_method(method))
        with transaction.atomic():
            importer.write_file(run, outcome, silent)
            began = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            checks = time.perf_counter() - began
            raise _Undo
    except _Undo:
        pass
    finally:
        for name, method in originals.items():
            setattr(Writer, name, method)
    with connection.cursor() as cursor:  # the rolled-back rows' dead versions gone before the real run
        cursor.execute(
            "VACUUM ANALYZE dossiers_person, dossiers_dossier, storage_location, storage_dossierlocation, "
            "materials_material, analytics_dossierfacts, analytics_stockcount"
        )
    return spent[0] + checks, checks


def ledger_import(actor: Any, rows: int, log: Any = print) -> list[Result]:
    from dangan.agencies.models import Agency
    from dangan.migration.models import JobStatus
    from dangan.migration.services import job_run, job_start_from_command
    from dangan.migration.tests.ledgers import ROOM, LedgerPlan
    from dangan.storage.checklist import checklist
    from dangan.storage.models import Room, RoomKind

    holder = Agency.objects.get(code=HOLDER)
    Room.objects.get_or_create(
        agency=holder, name=ROOM, defaults={"kind": RoomKind.STOREROOM, "protections": list(checklist().keys)}
    )
    folder = Path(tempfile.mkdtemp(prefix="dangan-bench-ledger-"))
    started = time.perf_counter()
    written = LedgerPlan(rows, seed=31).write(folder, planted=False)
    ledger, materials, kept = _without_stock_ids(written, folder)
    log(f"  ledger: {kept:,} rows, {_rows(materials):,} materials written in {time.perf_counter() - started:.1f} s")

    def run(dry_run: bool) -> tuple[float, Any]:
        job = job_start_from_command(
            actor=actor,
            agency=holder,
            custodian=holder,
            ledger=ledger,
            materials=materials,
            dry_run=dry_run,
            default_source="原烟台市交通运输局人才交流中心",
        )
        began = time.perf_counter()
        done = job_run(job.pk)
        return time.perf_counter() - began, done

    tracemalloc.start()
    checked, job = run(dry_run=True)
    _current, check_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    if job.status == JobStatus.FAILED or job.error_count:
        from openpyxl import load_workbook

        from dangan.migration.services import media_path

        sheet = load_workbook(media_path(job.report_file), read_only=True).worksheets[0]
        sample = [row for _, row in zip(range(6), sheet.iter_rows(values_only=True), strict=False)]
        raise SystemExit(f"the generated ledger did not check clean: {job.status}, {job.error_count} errors: {sample}")
    checked, job = run(dry_run=True)  # again, without tracemalloc's overhead
    writing, constraints = _writes_alone(job)
    imported, job = run(dry_run=False)
    if job.status != JobStatus.DONE:
        raise SystemExit(f"the import did not finish: {job.status}")
    copied = _raw_copy(ledger, materials)
    check_rate, import_rate, copy_rate = kept / checked, kept / imported, kept / copied
    write_rate = kept / writing
    log(
        f"  check {check_rate:,.0f} rows/s, import {import_rate:,.0f} rows/s, raw COPY {copy_rate:,.0f} rows/s; "
        f"writes alone {write_rate:,.0f} rows/s ({constraints:.1f} s of {writing:.1f} s in foreign-key checks)"
    )
    target = "≥ 20000 rows/s and ≥ 0.25 × COPY"
    return [
        Result(f"ledger check {kept} rows (dry run)", round(check_rate), "rows/s", round(copy_rate), target,
               check_rate >= 20000 and check_rate >= 0.25 * copy_rate),
        Result(f"ledger import {kept} rows", round(import_rate), "rows/s", round(copy_rate), target,
               import_rate >= 20000 and import_rate >= 0.25 * copy_rate),
        # The ceiling of any import through this schema: the write path alone (not a target, the reason for one).
        Result(f"ledger writes alone {kept} rows (checks untimed)", round(write_rate), "rows/s", round(copy_rate)),
        Result("ledger writes: foreign-key checks", round(constraints, 2), "s", round(writing, 2)),
        Result("ledger check peak memory", round(check_peak / 2**20, 1), "MiB"),
    ]  # fmt: skip
