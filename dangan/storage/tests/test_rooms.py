"""Rooms and their layout: nine protections as data (R39), locations only in storerooms (R40)."""

import pytest
from django.urls import reverse

from dangan.agencies.models import Role
from dangan.audit.models import AuditEvent
from dangan.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from dangan.storage import events
from dangan.storage.checklist import checklist
from dangan.storage.models import Location, Room, RoomKind
from dangan.storage.services import assert_reading_room, locations_create, room_create, room_protections_update


@pytest.mark.rule("R39")
def test_r39_the_nine_protections_and_climate_targets_are_data():
    data = checklist()
    assert [p.label for p in data.protections] == [
        "防火", "防盗", "防潮", "防高温", "防光", "防蛀", "防紫外线", "防有害生物", "防污染",
    ]  # fmt: skip
    assert (data.temperature.min, data.temperature.max) == (14, 24)
    assert (data.humidity.min, data.humidity.max) == (45, 60)
    assert data.temperature.contains(20)
    assert not data.humidity.contains(70)


@pytest.mark.rule("R39")
def test_r39_administrator_creates_a_storeroom_with_its_protections_checklist(make_staff):
    # given an administrator of the city center
    admin = make_staff("370600", Role.ADMINISTRATOR)
    # when a storeroom is created with some protections, listed out of order and repeated
    room = room_create(actor=admin, name="库房1", kind=RoomKind.STOREROOM, protections=["theft", "fire", "theft"])
    # then the checklist is kept in the data file's order, and the creation is audited
    assert room.agency.code == "370600"
    assert room.protections == ["fire", "theft"]
    assert not room.protections_complete
    assert room.protection_rows()[:3] == [("防火", True), ("防盗", True), ("防潮", False)]
    assert AuditEvent.objects.filter(action=events.ROOM_CREATED, subject_id=str(room.pk)).count() == 1


def test_only_administrators_create_rooms_and_a_refusal_changes_nothing(make_staff):
    keeper = make_staff("370600", Role.ARCHIVE_KEEPER)
    with pytest.raises(PermissionDenied):
        room_create(actor=keeper, name="库房1", kind=RoomKind.STOREROOM)
    assert not Room.objects.exists()
    assert not AuditEvent.objects.exists()


def test_room_names_are_unique_per_agency_and_checked(make_staff, make_room):
    admin = make_staff("370600", Role.ADMINISTRATOR)
    make_room("370600", "库房1")
    with pytest.raises(ValidationFailed) as duplicate:
        room_create(actor=admin, name="库房1", kind=RoomKind.STOREROOM)
    assert "name" in duplicate.value.fields
    with pytest.raises(ValidationFailed) as bad:
        room_create(actor=admin, name="库房-2", kind="attic", protections=["moonlight"])
    assert set(bad.value.fields) == {"name", "kind", "protections"}
    assert Room.objects.count() == 1


def test_keeper_lays_out_a_cabinet_with_readable_codes(make_room, city_keeper):
    room = make_room("370600", "库房1", cabinets=())
    created = locations_create(actor=city_keeper, room_id=room.pk, cabinet=3, tiers=2, positions=15)
    assert len(created) == 30
    assert created[-1].code == "库房1-03-2-15"
    assert AuditEvent.objects.filter(action=events.LOCATIONS_CREATED).count() == 1
    with pytest.raises(Conflict):
        locations_create(actor=city_keeper, room_id=room.pk, cabinet=3, tiers=1, positions=1)
    assert Location.objects.filter(room=room).count() == 30


@pytest.mark.rule("R40")
@pytest.mark.parametrize("kind", [RoomKind.READING_ROOM, RoomKind.OFFICE])
def test_r40_no_locations_in_reading_rooms_or_offices(make_room, city_keeper, kind):
    # given a reading room or an office of the keeper's own agency
    room = make_room("370600", "二楼", kind=kind, cabinets=())
    # when the keeper tries to lay out a cabinet there
    with pytest.raises(ValidationFailed) as refused:
        locations_create(actor=city_keeper, room_id=room.pk, cabinet=1, tiers=1, positions=5)
    # then it is refused (R40) and nothing is written
    assert "R40" in refused.value.message
    assert "room" in refused.value.fields
    assert not Location.objects.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.rule("R40")
def test_r40_assert_reading_room_accepts_only_reading_rooms(make_room):
    assert_reading_room(make_room("370600", "阅档室", kind=RoomKind.READING_ROOM, cabinets=()))
    for kind, name in [(RoomKind.STOREROOM, "库房9"), (RoomKind.OFFICE, "办公室")]:
        with pytest.raises(ValidationFailed) as refused:
            assert_reading_room(make_room("370600", name, kind=kind, cabinets=()))
        assert "阅档室" in refused.value.message


def test_keepers_of_another_agency_cannot_see_a_room(make_room, make_staff):
    from dangan.core.errors import NotFound

    room = make_room("370600", "库房1", cabinets=())
    other = make_staff("370683", Role.ARCHIVE_KEEPER)
    with pytest.raises(NotFound):
        locations_create(actor=other, room_id=room.pk, cabinet=1, tiers=1, positions=1)
    supervisor = make_staff("370600", Role.SUPERVISOR)
    with pytest.raises(PermissionDenied):
        locations_create(actor=supervisor, room_id=room.pk, cabinet=1, tiers=1, positions=1)
    assert not Location.objects.exists()
    assert not AuditEvent.objects.exists()


@pytest.mark.rule("R39")
def test_r39_the_administrator_updates_a_storerooms_protections_with_a_note_audited(client, make_staff, agencies):
    admin = make_staff("370600", Role.ADMINISTRATOR)
    keeper = make_staff("370600", Role.ARCHIVE_KEEPER)
    room = room_create(actor=admin, name="库房7", kind=RoomKind.STOREROOM, protections=["fire", "theft"])
    with pytest.raises(PermissionDenied):
        room_protections_update(actor=keeper, room_id=room.pk, protections=["fire"], note="x")
    with pytest.raises(ValidationFailed) as missing_note:
        room_protections_update(actor=admin, room_id=room.pk, protections=["fire", "theft", "damp"], note=" ")
    assert "note" in missing_note.value.fields
    with pytest.raises(NotFound):
        room_protections_update(actor=make_staff("370602", Role.ADMINISTRATOR), room_id=room.pk,
                                protections=["fire"], note="别的机构")  # fmt: skip
    updated = room_protections_update(actor=admin, room_id=room.pk, protections=["damp", "fire", "theft"],
                                      note="新装除湿机")  # fmt: skip
    assert updated.protections == ["fire", "theft", "damp"]
    event = AuditEvent.objects.get(action="storage.room_protections_changed")
    assert event.before == {"protections": ["fire", "theft"]}
    assert event.after == {"protections": ["fire", "theft", "damp"]}
    assert event.reason == "新装除湿机"
    # The console: the administrator's form on the room page, field errors in Chinese.
    client.force_login(admin)
    page = client.get(reverse("storage:room", args=[room.pk])).content.decode()
    assert "更新九防登记" in page
    refused = client.post(reverse("storage:room_protections", args=[room.pk]), {"protections": ["fire"], "note": ""})
    assert refused.status_code == 400
    assert "请说明变化" in refused.content.decode()
    done = client.post(
        reverse("storage:room_protections", args=[room.pk]), {"protections": ["fire"], "note": "除湿机故障"}
    )
    assert done.status_code == 302
    room.refresh_from_db()
    assert room.protections == ["fire"]
    client.force_login(keeper)
    assert "更新九防登记" not in client.get(reverse("storage:room", args=[room.pk])).content.decode()


@pytest.mark.rule("R39")
def test_r39_protections_update_over_the_api_answers_structured_errors(make_staff):
    from rest_framework.test import APIClient

    admin = make_staff("370600", Role.ADMINISTRATOR)
    room = room_create(actor=admin, name="库房8", kind=RoomKind.STOREROOM, protections=["fire"])
    api = APIClient()
    api.force_authenticate(admin)
    url = f"/api/v1/storage/rooms/{room.pk}/"
    bad = api.patch(url, {"protections": ["fire", "moat"], "note": "x"}, format="json")
    assert bad.status_code == 400
    assert bad.json()["fields"] == {"protections.1": ["“moat” 不是合法选项。"]}
    ok = api.patch(url, {"protections": ["fire", "theft"], "note": "新装防盗门"}, format="json")
    assert ok.status_code == 200
    assert ok.json()["protections"] == ["fire", "theft"]
    keeper = make_staff("370600", Role.ARCHIVE_KEEPER)
    api.force_authenticate(keeper)
    assert api.patch(url, {"protections": ["fire"], "note": "y"}, format="json").status_code == 403
