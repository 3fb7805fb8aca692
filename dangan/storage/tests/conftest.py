"""Storage fixtures: rooms laid out directly (the givens); the tests act through services and pages."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pytest

from dangan.agencies.models import Agency, Role
from dangan.storage.checklist import checklist
from dangan.storage.models import Location, Room, RoomKind, location_code


@pytest.fixture
def make_room(agencies: dict[str, Agency]) -> Callable[..., Room]:
    def make(
        agency_code: str = "370600",
        name: str = "库房1",
        kind: str = RoomKind.STOREROOM,
        cabinets: Iterable[tuple[int, int, int]] = ((1, 2, 5),),
    ) -> Room:
        room = Room.objects.create(
            agency=agencies[agency_code], name=name, kind=kind, protections=list(checklist().keys)
        )
        Location.objects.bulk_create(
            Location(room=room, cabinet=c, tier=t, position=p, code=location_code(name, c, t, p))
            for c, tiers, positions in cabinets
            for t in range(1, tiers + 1)
            for p in range(1, positions + 1)
        )
        return room

    return make


def loc(room: Room, cabinet: int, tier: int, position: int) -> Location:
    return Location.objects.get(room=room, cabinet=cabinet, tier=tier, position=position)


@pytest.fixture
def city_keeper(make_staff: Callable[..., Any]) -> Any:
    return make_staff("370600", Role.ARCHIVE_KEEPER)


@pytest.fixture
def city_room(make_room: Callable[..., Room]) -> Room:
    return make_room("370600", "库房1", cabinets=((1, 2, 5), (2, 2, 5)))


@pytest.fixture
def scene(make_room: Callable[..., Room], make_dossier: Callable[..., Any], city_keeper: Any) -> dict[str, Any]:
    """The city storeroom with one shelved dossier (1-1-01) and one waiting to be shelved."""
    from dangan.storage.services import dossier_shelve

    room = make_room("370600", "库房1", cabinets=((1, 1, 5), (2, 1, 5)))
    kept, fresh = make_dossier("370600"), make_dossier("370600")
    dossier_shelve(actor=city_keeper, dossier_id=kept.pk, location_id=loc(room, 1, 1, 1).pk)
    return {"room": room, "kept": kept, "fresh": fresh, "keeper": city_keeper}


@pytest.fixture
def actor_for(make_staff: Callable[..., Any]) -> Callable[[str, str], Any]:
    """anonymous · no_role (staff without roles) · right (the role, city center) · other (the role, 莱州市)."""

    def make(who: str, role: str) -> Any:
        if who == "anonymous":
            return None
        if who == "no_role":
            return make_staff("370600")
        return make_staff("370600" if who == "right" else "370683", role)

    return make
