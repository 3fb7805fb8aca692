"""Migration fixtures: the holding agency's rooms, its data clerk, generated ledgers and a way to run them."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from dangan.agencies.models import Agency, Role
from dangan.dossiers.models import Dossier, Person
from dangan.migration.models import ImportJob
from dangan.migration.services import job_run, job_start_from_command
from dangan.migration.tests.ledgers import READING_ROOM, ROOM, LedgerPlan, fifty_errors, spread
from dangan.storage.checklist import checklist
from dangan.storage.models import DossierLocation, Location, Room, RoomKind, location_code

HOLDER = "370602"  # 芝罘区: keeps its own paper


@pytest.fixture
def rooms(agencies: dict[str, Agency]) -> dict[str, Room]:
    agency = agencies[HOLDER]
    return {
        ROOM: Room.objects.create(
            agency=agency, name=ROOM, kind=RoomKind.STOREROOM, protections=list(checklist().keys)
        ),
        READING_ROOM: Room.objects.create(agency=agency, name=READING_ROOM, kind=RoomKind.READING_ROOM),
    }


@pytest.fixture
def clerk(make_staff: Callable[..., Any]) -> Any:
    return make_staff(HOLDER, Role.DATA_CLERK)


@pytest.fixture(scope="module")
def ten_thousand(tmp_path_factory: pytest.TempPathFactory) -> tuple[LedgerPlan, Any, Any]:
    """The 10,000-row ledger with 50 planted errors, and the same ledger with them fixed (generated once)."""
    plan = LedgerPlan(10_000, plants=spread(fifty_errors(), 10_000, step=197))
    folder = tmp_path_factory.mktemp("ledgers")
    return plan, plan.write(folder, planted=True), plan.write(folder, planted=False)


def hold_conflicts(plan: LedgerPlan, agency: Agency, room: Room) -> None:
    """What the database already holds that some planted rows clash with."""
    found = plan.conflicts()
    k = 0

    def dossier(person: Any, number: str) -> Dossier:
        nonlocal k
        k += 1
        record = Person.objects.create(
            id_number=person.id_number, name=person.name, sex=person.sex, birth_date=person.birth_date
        )
        return Dossier.objects.create(
            person=record, number=number, holding_agency=agency, custodian=agency,
            received_on=datetime.date(2020, 1, 1), barcode=f"DA{agency.code}{number}",
        )  # fmt: skip

    for _index, person in found["id_in_database"]:
        dossier(person, f"DB{k:04d}")
    for j, (_index, number) in enumerate(found["number_in_database"]):
        dossier(plan.spare_person(100 + j), str(number))
    user = None
    for j, (_index, place) in enumerate(found["place_taken"]):
        held = dossier(plan.spare_person(150 + j), f"DP{j:04d}")
        assert isinstance(place, tuple)
        cabinet, tier, position = place
        location = Location.objects.create(
            room=room, cabinet=cabinet, tier=tier, position=position,
            code=location_code(room.name, cabinet, tier, position),
        )  # fmt: skip
        if user is None:
            from django.contrib.auth import get_user_model

            user = get_user_model().objects.create_user(username="keeper-before")
        DossierLocation.objects.create(dossier=held, location=location, placed_at=timezone.now(), placed_by=user)


@pytest.fixture
def run_ledger(agencies: dict[str, Agency], clerk: Any) -> Callable[..., ImportJob]:
    def run(
        ledger: Path,
        materials: Path | None = None,
        *,
        dry_run: bool = False,
        agency: str = HOLDER,
        custodian: str | None = None,
        actor: Any = None,
        **options: Any,
    ) -> ImportJob:
        holder = agencies[agency]
        job = job_start_from_command(
            actor=actor or clerk, agency=holder, custodian=agencies[custodian] if custodian else holder,
            ledger=ledger, materials=materials, dry_run=dry_run, **options,
        )  # fmt: skip
        return job_run(job.pk)

    return run
