"""One migration run (R36, R47): a streaming pass that checks every row; a real run writes the rows in the
same pass, in ONE transaction that stays only when the whole file was clean (`_Sink`).

Memory stays flat: rows are never held together (a chunk of 1,000 at most); only the keys that reveal
duplicates inside the file (ID numbers, dossier numbers, places) and a real run's person keys are remembered,
and errors spill to a temporary file.
"""

from __future__ import annotations

import bisect
import datetime
from collections.abc import Callable, Container, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
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
INSERT_CHUNK = 1000  # rows written together (and looked up together while a real run writes as it checks)
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
            "d.{dossiers.Dossier.status}, p.{dossiers.Person.id} FROM {dossiers.Person} p "
            "LEFT JOIN {dossiers.Dossier} d ON d.{dossiers.Dossier.person} = p.{dossiers.Person.id} "
            "LEFT JOIN {agencies.Agency} a ON a.{agencies.Agency.id} = d.{dossiers.Dossier.holding_agency} "
            "WHERE p.{dossiers.Person.id_number} IN ({})"
        ),
        "numbers": bulk.sql(
            "SELECT {dossiers.Dossier.number}, {dossiers.Dossier.person} FROM {dossiers.Dossier} "
            "WHERE {dossiers.Dossier.holding_agency} = %s AND {dossiers.Dossier.number} IN ({})"
        ),
        "barcodes": bulk.sql(
            "SELECT {dossiers.Dossier.barcode}, {dossiers.Dossier.person} FROM {dossiers.Dossier} "
            "WHERE {dossiers.Dossier.barcode} IN ({})"
        ),
        "places": bulk.sql(
            "SELECT l.{storage.Location.room}, l.{storage.Location.code}, d.{dossiers.Dossier.number}, "
            "d.{dossiers.Dossier.person} "
            "FROM {storage.DossierLocation} dl "
            "JOIN {storage.Location} l ON l.{storage.Location.id} = dl.{storage.DossierLocation.location} "
            "JOIN {dossiers.Dossier} d ON d.{dossiers.Dossier.id} = dl.{storage.DossierLocation.dossier} "
            "WHERE l.{storage.Location.code} IN ({})"
        ),
    }


def _conflicts(run: Run, pending: list[_Pending], sink: _Sink | None = None) -> list[RowError]:
    """Rows that clash with what the database already holds: the person (by ID number), the number, the place.

    A run that writes as it checks finds its own earlier rows too: never conflicts, but repeats inside the file
    (reported at the end of the pass) or a number of the platform's form it has already drawn (a clean file is
    then written by a second pass); either stops its writing."""
    errors: list[RowError] = []
    if not pending:
        return errors
    sheet = "档案台账"
    queries = _conflict_queries()

    def theirs(found: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        if sink is None:
            return found
        kept = [row for row in found if not sink.ours(row[-1])]
        if len(kept) < len(found):  # a repeat inside the file, or a number this run drew: stop writing
            sink.stop(restart=True)
        return kept

    people = {row[0]: row[1:4] for row in theirs(bulk.select_in(queries["people"], (p.id_number for p in pending)))}
    numbers = [p.number for p in pending if p.number]
    taken_numbers: set[str] = set()
    taken_barcodes: set[str] = set()
    prefix = f"DA{run.agency.code}"
    if numbers:
        taken_numbers = {row[0] for row in theirs(bulk.select_in(queries["numbers"], numbers, extra=[run.agency.pk]))}
        taken_barcodes = {row[0] for row in theirs(bulk.select_in(queries["barcodes"], (prefix + n for n in numbers)))}
    places = [p.place for p in pending if p.place]
    occupied: dict[tuple[int, str], str] = {}
    if places:
        rooms = {p[0] for p in places}
        occupied = {
            (room, code): number
            for room, code, number, _person in theirs(bulk.select_in(queries["places"], (p[1] for p in places)))
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


class _Sink:
    """A real run writes as it checks, in its one transaction, for as long as the file is clean so far; when the
    check ends with errors the transaction is rolled back (nothing written stays) and the report is the dry
    run's. Each chunk is written under a savepoint: a unique index refusing a repeat inside the chunk (which the
    check reports at the end of the pass) stops the writing instead of breaking the transaction. A ledger that
    brings numbers of the platform's own form below numbers already drawn (rare: re-imported exports) is
    written by a second pass instead, once fully known (`restart`)."""

    def __init__(self, run: Run, outcome: Outcome) -> None:
        self.run = run
        self.outcome = outcome
        self.live = True
        self.restart = False
        self.failure: IntegrityError | None = None  # a refusal the check does not explain: raised at the end
        self._writer: Writer | None = None
        self._pattern = platform_number_pattern(run.agency)

    @property
    def writer(self) -> Writer:
        if self._writer is None:
            run = self.run
            self._writer = Writer(agency=run.agency, custodian=run.custodian, actor=run.actor, numbers_to_draw=0,
                                  highest_platform_number=0)  # fmt: skip
        return self._writer

    def ours(self, person_id: int) -> bool:
        """Whether the person is one this run wrote (the keys are drawn in increasing order)."""
        ids = self._writer.person_ids if self._writer is not None else ()
        index = bisect.bisect_left(ids, person_id)
        return index < len(ids) and ids[index] == person_id

    def stop(self, *, restart: bool = False) -> None:
        """No more writing; with `restart`, a clean file is written by a second pass."""
        self.live = False
        self.restart = self.restart or restart

    def ledger(self, rows: list[dict[str, Any]]) -> None:
        writer = self.writer
        floor, collides = 0, False
        for v in rows:
            if (legacy := v.get("number")) is not None and (match := self._pattern.match(legacy)):
                number = int(match.group(1))
                floor = max(floor, number)
                drawn = writer.first_drawn is not None and writer.first_drawn <= number < writer.next_number
                collides = collides or drawn
        if collides:  # it may repeat a number drawn for an earlier row
            self.live, self.restart = False, True
            return

        def write() -> None:
            writer.reserve(sum(1 for v in rows if v.get("number") is None), floor)
            writer.ledger_chunk(rows)

        self._guarded(write)

    def ledger_done(self) -> None:
        if self.live:
            self.writer.ledger_done()

    def materials(self, rows: list[dict[str, Any]]) -> None:
        self._guarded(lambda: self.writer.materials_chunk(rows))

    def _guarded(self, write: Callable[[], Any]) -> None:
        try:
            with transaction.atomic():
                write()
        except IntegrityError as exc:
            self.live, self.failure = False, exc

    def finish(self) -> None:
        """After a clean check: the writes complete, or the reason they could not."""
        if self.failure is not None:
            raise self.failure
        writer = self.writer
        writer.finish()
        self.outcome.imported, self.outcome.materials, self.outcome.shelved = (
            writer.dossiers,
            writer.materials,
            writer.shelved,
        )


def check_file(run: Run, spool: ErrorSpool, progress: Progress, sink: _Sink | None = None) -> Outcome:
    """Pass 1: every row checked, every error spooled; written too when `sink` is given and the file is clean."""
    with opened(run) as (ledger, materials):
        return _check(run, ledger, materials, spool, progress, sink=sink)


def _check(
    run: Run, ledger: Rows, materials: Rows | None, spool: ErrorSpool, progress: Progress, *, sink: _Sink | None
) -> Outcome:
    outcome = sink.outcome if sink is not None else Outcome()
    checker = ledger_checker(run)
    total = ledger.estimate + (materials.estimate if materials else 0)
    pending: list[_Pending] = []
    clean: list[dict[str, Any]] = []  # the rows to write (while writing)
    chunk_errors: list[RowError] = []
    pattern = platform_number_pattern(run.agency)
    chunk = INSERT_CHUNK if sink is not None else CHECK_CHUNK

    def flush() -> None:
        chunk_errors.extend(_conflicts(run, pending, sink))
        spool.add(chunk_errors)
        if sink is not None and sink.live:
            if spool.count:
                sink.stop()
            elif clean:
                sink.ledger(clean)
        pending.clear()
        chunk_errors.clear()
        clean.clear()

    phase = "validate"  # a real run also writes the rows as it goes; "import" marks its end (`execute`)
    progress(phase, 0, total, 0)
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
            if sink is not None and sink.live and not chunk_errors:
                clean.append(values)
        legacy = values.get("number")
        if legacy is None:
            outcome.numbers_to_draw += 1
        elif match := pattern.match(legacy):
            outcome.highest_platform_number = max(outcome.highest_platform_number, int(match.group(1)))
        if len(pending) >= chunk or len(chunk_errors) >= CHECK_CHUNK:
            flush()
        if rows_seen % PROGRESS_EVERY == 0:
            progress(phase, rows_seen, total, spool.count + len(chunk_errors))
    if checker.header_errors:
        spool.add(checker.header_errors)
    flush()
    spool.add_late(checker.duplicates())
    if not checker.header_seen:
        spool.add([RowError("档案台账", 1, "", "", "文件中没有表头：请使用平台提供的模板")])
    outcome.ledger_rows = rows_seen
    if sink is not None:
        if spool.count:
            sink.stop()
        sink.ledger_done()
    if materials is not None:
        outcome.material_rows = _check_materials(
            run, materials, checker.known_ids(), spool, progress, done=rows_seen, total=total, sink=sink
        )
    outcome.errors = spool.count
    progress(phase, total, total, spool.count)
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
    sink: _Sink | None = None,
) -> int:
    checker = MaterialChecker(today=run.today, ledger_ids=ledger_ids)
    chunk: list[RowError] = []
    clean: list[dict[str, Any]] = []
    count = 0
    for number, cells in data_rows(source, checker):
        if checker.header_errors:
            spool.add(checker.header_errors)
            checker.header_errors = []
        count += 1
        values, errors = checker.check(number, cells)
        chunk.extend(errors)
        if sink is not None and sink.live:
            if errors or spool.count:
                sink.stop()
            else:
                clean.append(values)
                if len(clean) >= INSERT_CHUNK:
                    sink.materials(clean)
                    clean = []
        if len(chunk) >= CHECK_CHUNK:
            spool.add(chunk)
            chunk = []
        if count % PROGRESS_EVERY == 0:
            progress(
                "import" if sink is not None else "validate", min(done + count, total), total, spool.count + len(chunk)
            )
    spool.add([*checker.header_errors, *chunk])
    if sink is not None and sink.live and clean and not spool.count:
        sink.materials(clean)
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


class _Rejected(Exception):
    """The real run's check found errors (or must write in a second pass): what it wrote is rolled back."""


def execute(run: Run, progress: Progress = silent) -> Outcome:
    """Check the whole file; write it only when it is clean and the run is real. One audit event per run.

    A real run checks and writes in one pass and one transaction (`_Sink`), rolled back unless the whole file
    is clean; the checks, their errors and the report are the dry run's."""
    spool = ErrorSpool()
    outcome = Outcome()
    try:
        if run.dry_run:
            outcome = _checked(run, spool, progress, None)
        else:
            sink = _Sink(run, outcome)
            try:
                with transaction.atomic():
                    _checked(run, spool, progress, sink)
                    if outcome.errors or sink.restart:
                        raise _Rejected
                    sink.finish()
                    _audit(run, events.IMPORT_COMPLETED, outcome)
                    total = outcome.ledger_rows + outcome.material_rows
                    progress("import", total, total, 0)
            except _Rejected:
                if not outcome.errors:  # clean, but to be written by a second pass
                    _write_again(run, outcome, progress)
            except BaseException as exc:
                _failed(run, outcome, exc)
                raise
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


def _checked(run: Run, spool: ErrorSpool, progress: Progress, sink: _Sink | None) -> Outcome:
    try:
        return check_file(run, spool, progress, sink)
    except UnreadableFile as exc:
        spool.add([RowError(exc.sheet, 1, "", "", exc.message)])
        outcome = sink.outcome if sink is not None else Outcome()
        outcome.errors = spool.count
        return outcome


def _write_again(run: Run, outcome: Outcome, progress: Progress) -> None:
    """The second pass of a clean file the first could not write as it went."""
    try:
        with transaction.atomic():
            write_file(run, outcome, progress)
            _audit(run, events.IMPORT_COMPLETED, outcome)
    except BaseException as exc:
        _failed(run, outcome, exc)
        raise


def _failed(run: Run, outcome: Outcome, exc: BaseException) -> None:
    """Everything of this run is rolled back; the attempt itself is recorded."""
    with transaction.atomic():
        _audit(run, events.IMPORT_FAILED, Outcome(ledger_rows=outcome.ledger_rows), reason=repr(exc)[:200])


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
