"""One migration run (R36, R47): a streaming pass that checks every row, then — only when the file is
clean and the run is real — a second streaming pass that writes everything in ONE transaction.

Memory stays flat: rows are never held together; only the keys that reveal duplicates inside the file
(ID numbers, dossier numbers, places) are remembered, and errors spill to a temporary file.
"""

from __future__ import annotations

import datetime
from collections.abc import Container, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Model

from dangan.agencies.models import Agency
from dangan.audit.services import record
from dangan.dossiers.workflow import IN_STOCK
from dangan.migration import bulk, events
from dangan.migration.progress import Progress, silent
from dangan.migration.reading import Rows, Source, UnreadableFile, rows
from dangan.migration.report import ErrorSpool
from dangan.migration.validation import LedgerChecker, MaterialChecker, Room, RowError, place_code
from dangan.migration.writing import Writer, platform_number_pattern
from dangan.storage.models import Room as RoomModel

CHECK_CHUNK = 5000  # rows whose duplicates are looked up in the database together
INSERT_CHUNK = 1000  # rows written together (bulk_create)
PROGRESS_EVERY = 500


@dataclass(frozen=True)
class Run:
    agency: Agency
    custodian: Agency
    actor: Any
    ledger: Source
    materials: Source | None
    dry_run: bool
    today: datetime.date
    renumber: bool = False
    default_source: str = ""
    report_path: Path | None = None
    subject: Model | tuple[str, Any] = ("migration.run", "")


@dataclass
class Outcome:
    ledger_rows: int = 0
    material_rows: int = 0
    errors: int = 0
    imported: int = 0
    materials: int = 0
    shelved: int = 0
    report: Path | None = None
    preview: list[dict[str, Any]] = field(default_factory=list)
    # Learned by the first pass for the second.
    numbers_to_draw: int = 0
    highest_platform_number: int = 0

    def counts(self) -> dict[str, int]:
        return {
            "ledger_rows": self.ledger_rows,
            "material_rows": self.material_rows,
            "errors": self.errors,
            "imported": self.imported,
            "materials": self.materials,
            "shelved": self.shelved,
        }


@dataclass(frozen=True, slots=True)
class _Pending:
    row: int
    id_number: str
    number: str | None
    place: tuple[int, str, str] | None  # room id, location code, as typed


def rooms_of(custodian: Agency) -> dict[str, Room]:
    return {
        r.name: Room(r.pk, r.name, r.kind, str(r.get_kind_display()))
        for r in RoomModel.objects.filter(agency=custodian).only("pk", "name", "kind")
    }


def number_max_length(agency: Agency) -> int:
    """The barcode is DA + agency code + number, at most 40 characters; the number at most 32."""
    return min(32, 40 - 2 - len(agency.code))


def ledger_checker(run: Run, *, track: bool = True) -> LedgerChecker:
    return LedgerChecker(
        today=run.today,
        rooms=rooms_of(run.custodian),
        default_source=run.default_source,
        renumber=run.renumber,
        number_max_length=number_max_length(run.agency),
        track=track,
    )


@contextmanager
def opened(run: Run) -> Iterator[tuple[Rows, Rows | None]]:
    """Both sources, opened together (each workbook sheet loaded once): their sizes are known from the start."""
    with rows(run.ledger) as ledger, rows(run.materials) if run.materials else nullcontext() as materials:
        yield ledger, materials


def data_rows(source: Rows, checker: LedgerChecker | MaterialChecker) -> Iterator[tuple[int, list[Any]]]:
    """The data rows after the header (and the template's hint row); blank rows skipped."""
    first = True
    for number, cells in source:
        if not checker.header_seen:
            if not all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
                checker.read_header(number, cells)
            continue
        if checker.skip(cells, first_data_row=first):
            first = False
            continue
        first = False
        yield number, cells


# --- Pass 1 -------------------------------------------------------------------------------------


@cache
def _conflict_queries() -> dict[str, str]:
    return {
        "people": bulk.sql(
            "SELECT p.{dossiers.Person.id_number}, d.{dossiers.Dossier.number}, a.{agencies.Agency.short_name}, "
            "d.{dossiers.Dossier.status} FROM {dossiers.Person} p "
            "LEFT JOIN {dossiers.Dossier} d ON d.{dossiers.Dossier.person} = p.{dossiers.Person.id} "
            "LEFT JOIN {agencies.Agency} a ON a.{agencies.Agency.id} = d.{dossiers.Dossier.holding_agency} "
            "WHERE p.{dossiers.Person.id_number} IN ({})"
        ),
        "numbers": bulk.sql(
            "SELECT {dossiers.Dossier.number} FROM {dossiers.Dossier} "
            "WHERE {dossiers.Dossier.holding_agency} = %s AND {dossiers.Dossier.number} IN ({})"
        ),
        "barcodes": bulk.sql(
            "SELECT {dossiers.Dossier.barcode} FROM {dossiers.Dossier} WHERE {dossiers.Dossier.barcode} IN ({})"
        ),
        "places": bulk.sql(
            "SELECT l.{storage.Location.room}, l.{storage.Location.code}, d.{dossiers.Dossier.number} "
            "FROM {storage.DossierLocation} dl "
            "JOIN {storage.Location} l ON l.{storage.Location.id} = dl.{storage.DossierLocation.location} "
            "JOIN {dossiers.Dossier} d ON d.{dossiers.Dossier.id} = dl.{storage.DossierLocation.dossier} "
            "WHERE l.{storage.Location.code} IN ({})"
        ),
    }


def _conflicts(run: Run, pending: list[_Pending]) -> list[RowError]:
    """Rows that clash with what the database already holds: the person (by ID number), the number, the place."""
    errors: list[RowError] = []
    if not pending:
        return errors
    sheet = "档案台账"
    queries = _conflict_queries()
    people = {row[0]: row[1:] for row in bulk.select_in(queries["people"], (p.id_number for p in pending))}
    numbers = [p.number for p in pending if p.number]
    taken_numbers: set[str] = set()
    taken_barcodes: set[str] = set()
    prefix = f"DA{run.agency.code}"
    if numbers:
        taken_numbers = {row[0] for row in bulk.select_in(queries["numbers"], numbers, extra=[run.agency.pk])}
        taken_barcodes = {row[0] for row in bulk.select_in(queries["barcodes"], (prefix + n for n in numbers))}
    places = [p.place for p in pending if p.place]
    occupied: dict[tuple[int, str], str] = {}
    if places:
        rooms = {p[0] for p in places}
        occupied = {
            (room, code): number
            for room, code, number in bulk.select_in(queries["places"], (p[1] for p in places))
            if room in rooms
        }
    for item in pending:
        if item.id_number in people:
            dossier_number, agency, status = people[item.id_number]
            if dossier_number is not None and status in IN_STOCK:
                message = f"该证件号码已有档案（档案编号 {dossier_number}，存档机构 {agency}），不能重复导入"
            else:
                message = "该人员已在平台登记（档案已转出或已移交），如需调入请办理转递"
            errors.append(RowError(sheet, item.row, "证件号码", item.id_number, message))
            continue  # the person is the conflict; its number and place follow from it
        if item.number and (item.number in taken_numbers or prefix + item.number in taken_barcodes):
            errors.append(RowError(sheet, item.row, "档案编号", item.number, "本机构已有该编号的档案"))
        if item.place and (item.place[0], item.place[1]) in occupied:
            number = occupied[(item.place[0], item.place[1])]
            message = f"位置 {item.place[1]} 已存放档案 {number}"
            errors.append(RowError(sheet, item.row, "库房", item.place[2], message))
    return errors


def check_file(run: Run, spool: ErrorSpool, progress: Progress) -> Outcome:
    """Pass 1: every row checked, every error spooled; nothing written."""
    with opened(run) as (ledger, materials):
        return _check(run, ledger, materials, spool, progress)


def _check(run: Run, ledger: Rows, materials: Rows | None, spool: ErrorSpool, progress: Progress) -> Outcome:
    outcome = Outcome()
    checker = ledger_checker(run)
    total = ledger.estimate + (materials.estimate if materials else 0)
    pending: list[_Pending] = []
    chunk_errors: list[RowError] = []
    pattern = platform_number_pattern(run.agency)

    def flush() -> None:
        chunk_errors.extend(_conflicts(run, pending))
        spool.add(chunk_errors)
        pending.clear()
        chunk_errors.clear()

    progress("validate", 0, total, 0)
    rows_seen = 0
    for number, cells in data_rows(ledger, checker):
        if checker.header_errors:
            spool.add(checker.header_errors)
            checker.header_errors = []
        rows_seen += 1
        values, errors = checker.check(number, cells)
        if errors:
            chunk_errors.extend(errors)
        else:
            place = (values["room"].pk, place_code(values), values["room"].name) if "room" in values else None
            pending.append(_Pending(number, values["id_number"], values.get("number"), place))
        legacy = values.get("number")
        if legacy is None:
            outcome.numbers_to_draw += 1
        elif match := pattern.match(legacy):
            outcome.highest_platform_number = max(outcome.highest_platform_number, int(match.group(1)))
        if len(pending) >= CHECK_CHUNK or len(chunk_errors) >= CHECK_CHUNK:
            flush()
        if rows_seen % PROGRESS_EVERY == 0:
            progress("validate", rows_seen, total, spool.count + len(chunk_errors))
    if checker.header_errors:
        spool.add(checker.header_errors)
    flush()
    spool.add_late(checker.duplicates())
    if not checker.header_seen:
        spool.add([RowError("档案台账", 1, "", "", "文件中没有表头：请使用平台提供的模板")])
    outcome.ledger_rows = rows_seen
    if materials is not None:
        outcome.material_rows = _check_materials(
            run, materials, checker.known_ids(), spool, progress, done=rows_seen, total=total
        )
    outcome.errors = spool.count
    progress("validate", total, total, spool.count)
    return outcome


def _check_materials(
    run: Run,
    source: Rows,
    ledger_ids: Container[str],
    spool: ErrorSpool,
    progress: Progress,
    *,
    done: int,
    total: int,
) -> int:
    checker = MaterialChecker(today=run.today, ledger_ids=ledger_ids)
    chunk: list[RowError] = []
    count = 0
    for number, cells in data_rows(source, checker):
        if checker.header_errors:
            spool.add(checker.header_errors)
            checker.header_errors = []
        count += 1
        chunk.extend(checker.check(number, cells)[1])
        if len(chunk) >= CHECK_CHUNK:
            spool.add(chunk)
            chunk = []
        if count % PROGRESS_EVERY == 0:
            progress("validate", min(done + count, total), total, spool.count + len(chunk))
    spool.add([*checker.header_errors, *chunk])
    return count


# --- Pass 2 -------------------------------------------------------------------------------------


def write_file(run: Run, outcome: Outcome, progress: Progress) -> None:
    """Pass 2, inside the caller's transaction: every row of the checked file, in chunks."""
    with opened(run) as (ledger, materials):
        _write(run, ledger, materials, outcome, progress)


def _write(run: Run, ledger: Rows, materials: Rows | None, outcome: Outcome, progress: Progress) -> None:
    writer = Writer(
        agency=run.agency,
        custodian=run.custodian,
        actor=run.actor,
        numbers_to_draw=outcome.numbers_to_draw,
        highest_platform_number=outcome.highest_platform_number,
    )
    total = outcome.ledger_rows + outcome.material_rows
    done = 0
    progress("import", 0, total, 0)
    checker = ledger_checker(run, track=False)  # the first pass found the file clean: nothing to remember
    chunk: list[dict[str, Any]] = []
    for number, cells in data_rows(ledger, checker):
        values, errors = checker.check(number, cells)
        if errors or checker.header_errors:
            raise RuntimeError(f"row {number} changed between the two passes")
        chunk.append(values)
        if len(chunk) >= INSERT_CHUNK:
            writer.ledger_chunk(chunk)
            done += len(chunk)
            chunk = []
            progress("import", done, total, 0)
    if chunk:
        writer.ledger_chunk(chunk)
        done += len(chunk)
    writer.ledger_done()
    if materials is not None:
        catalogue = MaterialChecker(today=run.today, ledger_ids=None)
        chunk = []
        for number, cells in data_rows(materials, catalogue):
            values, errors = catalogue.check(number, cells)
            if errors:
                raise RuntimeError(f"catalogue row {number} changed between the two passes")
            chunk.append(values)
            if len(chunk) >= INSERT_CHUNK:
                writer.materials_chunk(chunk)
                done += len(chunk)
                chunk = []
                progress("import", done, total, 0)
        if chunk:
            writer.materials_chunk(chunk)
            done += len(chunk)
    writer.finish()
    progress("import", total, total, 0)
    outcome.imported, outcome.materials, outcome.shelved = writer.dossiers, writer.materials, writer.shelved


# --- The run ------------------------------------------------------------------------------------


def execute(run: Run, progress: Progress = silent) -> Outcome:
    """Check the whole file; write it only when it is clean and the run is real. One audit event per run."""
    spool = ErrorSpool()
    try:
        try:
            outcome = check_file(run, spool, progress)
        except UnreadableFile as exc:
            spool.add([RowError(exc.sheet, 1, "", "", exc.message)])
            outcome = Outcome(errors=spool.count)
        outcome.preview = spool.preview
        if outcome.errors and run.report_path is not None:
            spool.write_xlsx(run.report_path)
            outcome.report = run.report_path
    finally:
        spool.close()
    if outcome.errors or run.dry_run:
        action = events.IMPORT_REJECTED if outcome.errors and not run.dry_run else events.IMPORT_VALIDATED
        with transaction.atomic():
            _audit(run, action, outcome)
        return outcome
    try:
        with transaction.atomic():
            write_file(run, outcome, progress)
            _audit(run, events.IMPORT_COMPLETED, outcome)
    except BaseException as exc:
        # Everything of this run is rolled back; the attempt itself is recorded.
        with transaction.atomic():
            _audit(run, events.IMPORT_FAILED, Outcome(ledger_rows=outcome.ledger_rows), reason=repr(exc)[:200])
        raise
    return outcome


def _audit(run: Run, action: str, outcome: Outcome, reason: str = "") -> None:
    record(
        actor=run.actor,
        action=action,
        subject=run.subject,
        agency_id=run.agency.pk,
        reason=reason,
        after={
            **outcome.counts(),
            "dry_run": run.dry_run,
            "holding_agency": run.agency.code,
            "custodian": run.custodian.code,
            "file": run.ledger.path.name,
        },
    )


__all__ = ["Outcome", "Run", "execute"]
