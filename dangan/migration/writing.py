"""The second pass's writes: persons, dossiers, histories, places and catalogues, a chunk at a time.

Runs inside the run's one transaction (an interruption rolls everything back). Rows arrive checked;
the database's own constraints (unique ID number, dossier number, barcode, one dossier per place)
stay the last guard against a concurrent intake between the two passes.
"""

from __future__ import annotations

import datetime
import re
from array import array
from functools import cache
from typing import Any

from django.db import models
from django.utils import timezone

from dangan.agencies.models import Agency
from dangan.dossiers import changes
from dangan.dossiers.models import (
    Dossier,
    DossierNumberSequence,
    EducationRecord,
    EmploymentRecord,
    PartyMembership,
    Person,
    QualificationRecord,
    SourceKind,
    TitleRecord,
)
from dangan.dossiers.services import PERSON_FIELDS
from dangan.materials.models import Material, MaterialSource, MaterialStatus
from dangan.migration.bulk import Table, analyze, select_in, sql
from dangan.migration.validation import place_code
from dangan.storage.models import DossierLocation, Location, LocationMove

MIGRATED = "历史数据迁移"
SHELVED_REASON = "历史数据迁移：按原台账上架"
COUNT_EVERY = 2000  # dossiers whose dashboard counters follow together (the counters refresh 2,000 at a time)
# Plain strings: the drivers adapt enum members by name, not by value.
SOURCE_KIND = SourceKind.MIGRATION.value
MATERIAL_SOURCE = MaterialSource.OTHER.value
FILED = MaterialStatus.FILED.value


def platform_number_pattern(agency: Agency) -> re.Pattern[str]:
    """Numbers the platform draws for an agency: the last four digits of its code and six digits."""
    return re.compile(rf"^{re.escape(agency.code[-4:])}([0-9]{{6}})$")


def _field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field)
    return field


@cache
def _queries() -> dict[str, str]:
    return {
        "locations": sql(
            "SELECT {storage.Location.room}, {storage.Location.code}, {storage.Location.id} "
            "FROM {storage.Location} WHERE {storage.Location.code} IN ({})"
        ),
        "dossiers": sql(
            "SELECT p.{dossiers.Person.id_number}, d.{dossiers.Dossier.id}, d.{dossiers.Dossier.received_on} "
            "FROM {dossiers.Dossier} d "
            "JOIN {dossiers.Person} p ON p.{dossiers.Person.id} = d.{dossiers.Dossier.person} "
            "WHERE d.{dossiers.Dossier.holding_agency} = %s AND p.{dossiers.Person.id_number} IN ({})"
        ),
        "sequences": sql(
            "SELECT {materials.Material.dossier}, {materials.Material.material_class}, "
            "MAX({materials.Material.sequence}) FROM {materials.Material} WHERE {materials.Material.dossier} IN ({}) "
            "GROUP BY {materials.Material.dossier}, {materials.Material.material_class}"
        ),
    }


class Writer:
    def __init__(
        self, *, agency: Agency, custodian: Agency, actor: Any, numbers_to_draw: int, highest_platform_number: int
    ) -> None:
        self.agency = agency
        self.custodian = custodian
        self.now = now = timezone.now()
        self.prefix = agency.code[-4:]
        self.next_number = self._reserve(numbers_to_draw, highest_platform_number)
        self.first_drawn: int | None = None  # the first number this run drew (after `reserve`)
        self.person_ids = array("q")  # this run's people, in the (increasing) order their keys were drawn
        self._uncounted = array("q")  # dossiers written whose counters have not followed yet
        self.dossiers = self.materials = self.shelved = 0
        self.person_defaults = [_field(Person, name).get_default() for name in PERSON_FIELDS]
        by = {"placed_by": actor.pk, "moved_by": actor.pk, "received_by": actor.pk, "filed_by": actor.pk}
        self.persons = Table(Person, [*PERSON_FIELDS, "declared_none"], now=now)
        self.dossier_table = Table(
            Dossier,
            ["person", "number", "received_on", "barcode", "entrustment_type", "source_name"],
            now=now,
            fixed={"holding_agency": agency.pk, "custodian": custodian.pk, "source_kind": SOURCE_KIND},
        )
        self.education = Table(
            EducationRecord, ["person", "education", "degree", "school", "major", "graduated_on"], now=now,
            fixed={"is_highest": True},
        )  # fmt: skip
        self.employment = Table(EmploymentRecord, ["person", "employer_name", "credit_code"], now=now)
        self.titles = Table(TitleRecord, ["person", "title", "level"], now=now)
        self.qualifications = Table(QualificationRecord, ["person", "name"], now=now)
        self.memberships = Table(PartyMembership, ["person", "organisation", "joined_on", "branch"], now=now)
        self.locations = Table(Location, ["room", "cabinet", "tier", "position", "code"], now=now)
        self.placements = Table(DossierLocation, ["dossier", "location"], now=now, fixed={"placed_at": now, **by})
        self.moves = Table(
            LocationMove, ["dossier", "to_location"], now=now, fixed={"moved_at": now, "reason": SHELVED_REASON, **by}
        )
        self.material_table = Table(
            Material,
            ["dossier", "material_class", "title", "formed_on", "formed_precision", "copies", "pages", "received_on",
             "sequence", "remarks"],
            now=now,
            fixed={"source": MATERIAL_SOURCE, "source_name": MIGRATED, "status": FILED, "filed_at": now,
                   "appraisal_note": MIGRATED, **by},
        )  # fmt: skip
        self.sql = _queries()
        self._analyzed: dict[type[models.Model], int] = {}  # rows inserted when each table was last analysed

    def _reserve(self, count: int, floor: int) -> int:
        """Draw `count` numbers at once from the agency's sequence (as intake draws one), after any number
        of the platform's form the ledger brings, so that later intakes never collide with migrated numbers."""
        sequence = DossierNumberSequence.objects.select_for_update().filter(agency=self.agency).first()
        if sequence is None:
            last = (
                Dossier.objects.filter(holding_agency=self.agency, number__regex=rf"^{self.prefix}[0-9]{{6}}$")
                .order_by("-number")
                .values_list("number", flat=True)
                .first()
            )
            DossierNumberSequence.objects.get_or_create(
                agency=self.agency, defaults={"last": int(last[4:]) if last else 0}
            )
            sequence = DossierNumberSequence.objects.select_for_update().get(agency=self.agency)
        first = max(sequence.last, floor) + 1
        last_drawn = max(sequence.last, floor, first + count - 1)
        if last_drawn != sequence.last:
            sequence.last = last_drawn
            sequence.save(update_fields=["last"])
        return first

    def reserve(self, count: int, floor: int) -> None:
        """Draw `count` more numbers (a run that writes as it checks: a chunk at a time), after `floor`."""
        self.next_number = self._reserve(count, floor)
        if count and self.first_drawn is None:
            self.first_drawn = self.next_number

    def _draw(self) -> str:
        number = f"{self.prefix}{self.next_number:06d}"
        self.next_number += 1
        return number

    def ledger_chunk(self, rows: list[dict[str, Any]]) -> None:
        defaults = self.person_defaults
        persons = self.persons.insert([(*map(v.get, PERSON_FIELDS, defaults), v["declared_none"]) for v in rows])
        self.person_ids.extend(persons)
        code = self.agency.code
        numbers = [v.get("number") or self._draw() for v in rows]
        dossiers = self.dossier_table.insert(
            [
                (person, number, v["received_on"], f"DA{code}{number}", v["entrustment_type"], v["source_name"])
                for person, number, v in zip(persons, numbers, rows, strict=True)
            ]
        )
        self._histories(persons, rows)
        self._places(dossiers, rows)
        self.dossiers += len(dossiers)
        # COPY sends no signals: the dashboard's counters follow (R38), a few chunks at a time (`_counters`).
        self._uncounted.extend(dossiers)
        if len(self._uncounted) >= COUNT_EVERY:
            self._counters()

    def _counters(self) -> None:
        """The dashboard's counters follow the dossiers written since the last call, in the run's transaction.
        Each call moves the same few hot counter rows (held, filled, sex, …) once more; every such update leaves
        a row version the rest of the transaction must step over, so fewer, larger calls (measured at 100,000
        rows: the counters' upserts cost 81 ms each by the end, 14 ms at the start)."""
        if self._uncounted:
            changes.dossiers_written(self._uncounted.tolist())
            self._uncounted = array("q")

    def _histories(self, persons: list[int], rows: list[dict[str, Any]]) -> None:
        education, employment, titles, qualifications, memberships = [], [], [], [], []
        for pk, v in zip(persons, rows, strict=True):
            if "education" in v:
                education.append(
                    (pk, v["education"], v.get("degree", ""), v.get("school", ""), v.get("major", ""),
                     v.get("graduated_on"))
                )  # fmt: skip
            if "employer_name" in v:
                employment.append((pk, v["employer_name"], v.get("credit_code", "")))
            if "title" in v:
                titles.append((pk, v["title"], v["title_level"]))
            if "qualification" in v:
                qualifications.append((pk, v["qualification"]))
            if "party_joined_on" in v:
                organisation = "league" if v.get("political_status") == "03" else "party"
                memberships.append((pk, organisation, v["party_joined_on"], v.get("party_branch", "")))
        for target, values in (
            (self.education, education),
            (self.employment, employment),
            (self.titles, titles),
            (self.qualifications, qualifications),
            (self.memberships, memberships),
        ):
            if values:
                target.insert(values)

    def _places(self, dossiers: list[int], rows: list[dict[str, Any]]) -> None:
        """Migrated places follow shelving's rules: a storeroom of the custodian (checked), one dossier per place."""
        placed = [(d, v, place_code(v)) for d, v in zip(dossiers, rows, strict=True) if "room" in v]
        if not placed:
            return
        rooms = {v["room"].pk for _, v, _ in placed}
        known = {
            (room, code): pk
            for room, code, pk in select_in(self.sql["locations"], (code for _, _, code in placed))
            if room in rooms
        }
        missing = [(v["room"].pk, v["cabinet"], v["tier"], v["position"], code) for _, v, code in placed
                   if (v["room"].pk, code) not in known]  # fmt: skip
        if missing:
            ids = self.locations.insert(missing)
            known.update({(row[0], row[4]): pk for pk, row in zip(ids, missing, strict=True)})
        targets = [(d, known[(v["room"].pk, code)]) for d, v, code in placed]
        self.placements.insert(targets)
        self.moves.insert(targets)
        self.shelved += len(placed)

    def materials_chunk(self, rows: list[dict[str, Any]]) -> None:
        """Catalogue rows are filed in the order the old catalogue lists them, numbered on within each class."""
        found = select_in(self.sql["dossiers"], (v["id_number"] for v in rows), extra=[self.agency.pk])
        dossiers: dict[str, tuple[int, datetime.date]] = {
            number: (pk, received if isinstance(received, datetime.date) else datetime.date.fromisoformat(received))
            for number, pk, received in found
        }
        last = {
            (dossier, cls): top or 0
            for dossier, cls, top in select_in(self.sql["sequences"], (pk for pk, _ in dossiers.values()))
        }
        values = []
        for v in rows:
            dossier_id, received_on = dossiers[v["id_number"]]
            key = (dossier_id, v["material_class"])
            last[key] = sequence = last.get(key, 0) + 1
            formed_on = v["formed_on"]
            values.append(
                (dossier_id, v["material_class"], v["title"], formed_on, v["formed_precision"], v["copies"], v["pages"],
                 max(received_on, formed_on) if formed_on else received_on, sequence, v["remarks"])
            )  # fmt: skip
        self.material_table.insert(values)
        self.materials += len(values)

    def _analyze(self, columns: dict[type[models.Model], tuple[str, ...]]) -> None:
        tables = {t.model: t for t in self._tables()}
        analyze(columns, {model: tables[model].inserted - self._analyzed.get(model, 0) for model in columns})
        self._analyzed.update({model: tables[model].inserted for model in columns})

    def _tables(self) -> tuple[Table, ...]:
        return (self.persons, self.dossier_table, self.education, self.employment, self.titles, self.qualifications,
                self.memberships, self.locations, self.placements, self.moves, self.material_table)  # fmt: skip

    def ledger_done(self) -> None:
        """The people and dossiers are in: the catalogue's lookups join them."""
        self._counters()
        self._analyze(LEDGER_LOOKUPS)

    def finish(self) -> None:
        """Every chunk was written as it came; the statistics of the tables the next run's checks read follow
        their new sizes (the other tables: autovacuum, once the run has committed)."""
        self._counters()
        self._analyze(CHECK_LOOKUPS)


# The columns the catalogue's lookups (inside the run) and the next run's checks filter and join on.
LEDGER_LOOKUPS: dict[type[models.Model], tuple[str, ...]] = {
    Person: ("id", "id_number"),
    Dossier: ("id", "person", "holding_agency"),
}
CHECK_LOOKUPS: dict[type[models.Model], tuple[str, ...]] = {
    Person: ("id", "id_number"),
    Dossier: ("id", "person", "holding_agency", "number", "barcode"),
    Location: ("id", "room", "code"),
    DossierLocation: ("dossier", "location"),
    Material: ("dossier", "material_class"),
}
