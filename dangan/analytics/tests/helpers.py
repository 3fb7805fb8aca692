"""What the analytics tests build on: a dossier with every mandatory item filled, a place on a shelf."""

import datetime as dt

from django.utils import timezone

from dangan.dossiers.services import history_add
from dangan.storage.models import DossierLocation, Location, Room, RoomKind, location_code

COMPLETE_PERSON = {
    "ethnic_group": "01", "native_place": "山东烟台", "household_region": "370602", "political_status": "13",
    "work_started_on": dt.date(2012, 7, 1), "person_category": "1", "phone": "13805351234",
}  # fmt: skip


def place(dossier, user, rooms=None):
    """Shelve the dossier in a fresh place of its custodian's storeroom, as the storage service leaves it."""
    rooms = {} if rooms is None else rooms
    room = rooms.get(dossier.custodian_id)
    if room is None:
        room = rooms[dossier.custodian_id] = Room.objects.get_or_create(
            agency_id=dossier.custodian_id, name=f"库房{dossier.custodian_id}", kind=RoomKind.STOREROOM
        )[0]
    position = Location.objects.filter(room=room).count() + 1
    location = Location.objects.create(
        room=room, cabinet=1, tier=1, position=position, code=location_code(room.name, 1, 1, position)
    )
    return DossierLocation.objects.create(dossier=dossier, location=location, placed_at=timezone.now(), placed_by=user)


def complete(make_dossier, clerk, code, *, education=True, credit_code, **person):
    """A dossier of agency `code` with all 26 mandatory items filled (education unless told otherwise)."""
    dossier = make_dossier(code, **{**COMPLETE_PERSON, **person})
    dossier.source_name = "烟台大学"
    dossier.save(update_fields=["source_name"])
    if education:
        history_add(
            actor=clerk, dossier_id=dossier.pk, kind="education",
            values={"education": "21", "degree": "4", "school": "烟台大学", "major": "会计学",
                    "graduated_on": dt.date(2012, 6, 30), "is_highest": True},
        )  # fmt: skip
    history_add(actor=clerk, dossier_id=dossier.pk, kind="employment",
                values={"employer_name": "烟台市某公司", "credit_code": credit_code, "started_on": dt.date(2012, 7, 1)})  # fmt: skip
    history_add(actor=clerk, dossier_id=dossier.pk, kind="title", values={"title": "会计师", "level": "intermediate"})
    history_add(actor=clerk, dossier_id=dossier.pk, kind="qualification", values={"name": "会计从业资格"})
    place(dossier, clerk)
    return dossier
