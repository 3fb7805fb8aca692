"""Shelving and moving: one place per dossier, every move registered, number order kept (R41, R47)."""

import pytest
from django.db import DatabaseError, connection, transaction

from dangan.agencies.models import Role
from dangan.audit.models import AuditEvent
from dangan.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from dangan.dossiers.basicinfo import BY_KEY, display
from dangan.dossiers.models import DossierStatus
from dangan.storage import events
from dangan.storage.models import DossierLocation, LocationMove
from dangan.storage.policies import number_key
from dangan.storage.selectors import suggest_location
from dangan.storage.services import dossier_move, dossier_shelve, dossier_unshelve
from dangan.storage.tests.conftest import loc


def _snapshot():
    return (
        list(DossierLocation.objects.values_list("dossier_id", "location_id").order_by("pk")),
        LocationMove.objects.count(),
        AuditEvent.objects.count(),
    )


def test_keeper_shelves_a_dossier_and_the_placement_is_registered(make_dossier, city_room, city_keeper):
    dossier = make_dossier("370600")
    place = dossier_shelve(actor=city_keeper, dossier_id=dossier.pk, location_id=loc(city_room, 1, 1, 1).pk)
    assert place.location.code == "库房1-01-1-01"
    move = LocationMove.objects.get(dossier=dossier)
    assert move.from_location is None
    assert move.to_location == place.location
    assert move.moved_by == city_keeper
    event = AuditEvent.objects.get(action=events.DOSSIER_SHELVED)
    assert event.dossier_id == dossier.pk
    assert event.after == {"location": "库房1-01-1-01"}


@pytest.mark.rule("R41")
def test_r41_every_move_is_recorded_with_who_when_and_why(make_dossier, city_room, city_keeper):
    # given a shelved dossier
    dossier = make_dossier("370600")
    first, second, third = loc(city_room, 1, 1, 1), loc(city_room, 2, 1, 1), loc(city_room, 1, 2, 3)
    dossier_shelve(actor=city_keeper, dossier_id=dossier.pk, location_id=first.pk)
    # when it is moved twice
    dossier_move(actor=city_keeper, dossier_id=dossier.pk, location_id=second.pk, reason="整理档案柜")
    dossier_move(actor=city_keeper, dossier_id=dossier.pk, location_id=third.pk, reason="调整排架")
    # then it has one place, and the register shows the whole path
    assert DossierLocation.objects.get(dossier=dossier).location == third
    moves = list(LocationMove.objects.filter(dossier=dossier).order_by("pk"))
    assert [(m.from_location, m.to_location) for m in moves] == [(None, first), (first, second), (second, third)]
    assert [m.reason for m in moves[1:]] == ["整理档案柜", "调整排架"]
    assert all(m.moved_by == city_keeper and m.moved_at for m in moves)
    assert AuditEvent.objects.filter(action=events.DOSSIER_MOVED, dossier_id=dossier.pk).count() == 2


@pytest.mark.rule("R41")
def test_r41_the_register_of_moves_is_append_only_in_the_database(make_dossier, city_room, city_keeper):
    dossier = make_dossier("370600")
    dossier_shelve(actor=city_keeper, dossier_id=dossier.pk, location_id=loc(city_room, 1, 1, 1).pk)
    for sql in ("UPDATE storage_locationmove SET reason = 'x'", "DELETE FROM storage_locationmove"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert LocationMove.objects.get(dossier=dossier).reason == "入库上架"


def test_dossier_numbers_sort_naturally():
    assert number_key("A9") < number_key("A10") < number_key("B1")
    assert number_key("0602000009") < number_key("0602000010")


@pytest.mark.rule("R41")
def test_r41_placement_out_of_number_order_is_refused_naming_the_neighbours(make_dossier, city_room, city_keeper):
    # given T1 at position 1 and T3 at position 3 of cabinet 1, tier 1
    d1, d2, d3 = make_dossier("370600"), make_dossier("370600"), make_dossier("370600")
    dossier_shelve(actor=city_keeper, dossier_id=d1.pk, location_id=loc(city_room, 1, 1, 1).pk)
    dossier_shelve(actor=city_keeper, dossier_id=d3.pk, location_id=loc(city_room, 1, 1, 3).pk)
    before = _snapshot()
    # when T2 is put after T3
    with pytest.raises(ValidationFailed) as refused:
        dossier_shelve(actor=city_keeper, dossier_id=d2.pk, location_id=loc(city_room, 1, 1, 4).pk)
    # then it is refused with a Chinese message naming the neighbour, and nothing changed
    message = refused.value.message
    assert "R41" in message
    assert d3.number in message
    assert "库房1-01-1-03" in message
    assert refused.value.fields["location"] == [message]
    assert _snapshot() == before
    # and a second tier continues the order: tier 2 comes after tier 1
    with pytest.raises(ValidationFailed):
        dossier_shelve(actor=city_keeper, dossier_id=d2.pk, location_id=loc(city_room, 1, 2, 1).pk)
    # while the free position between the neighbours is accepted
    dossier_shelve(actor=city_keeper, dossier_id=d2.pk, location_id=loc(city_room, 1, 1, 2).pk)
    # and another cabinet starts its own order
    d0 = make_dossier("370600")
    dossier_move(actor=city_keeper, dossier_id=d1.pk, location_id=loc(city_room, 2, 1, 1).pk, reason="分柜")
    dossier_shelve(actor=city_keeper, dossier_id=d0.pk, location_id=loc(city_room, 2, 1, 2).pk)


@pytest.mark.rule("R41")
def test_r41_a_move_within_the_cabinet_must_keep_the_order_too(make_dossier, city_room, city_keeper):
    d1, d2 = make_dossier("370600"), make_dossier("370600")
    dossier_shelve(actor=city_keeper, dossier_id=d1.pk, location_id=loc(city_room, 1, 1, 2).pk)
    dossier_shelve(actor=city_keeper, dossier_id=d2.pk, location_id=loc(city_room, 1, 1, 3).pk)
    with pytest.raises(ValidationFailed) as refused:
        dossier_move(actor=city_keeper, dossier_id=d1.pk, location_id=loc(city_room, 1, 1, 4).pk, reason="调整")
    assert d2.number in refused.value.message
    # its own place does not count as a neighbour
    dossier_move(actor=city_keeper, dossier_id=d1.pk, location_id=loc(city_room, 1, 1, 1).pk, reason="调整")


@pytest.mark.rule("R41")
def test_r41_suggested_location_keeps_number_order(make_dossier, make_room, city_keeper):
    # given T1 at 1-1-01 and T5 at 1-1-04, cabinet 2 holding T9 only
    room = make_room("370600", "库房1", cabinets=((1, 1, 5), (2, 1, 5)))
    d = [make_dossier("370600") for _ in range(9)]
    dossier_shelve(actor=city_keeper, dossier_id=d[0].pk, location_id=loc(room, 1, 1, 1).pk)
    dossier_shelve(actor=city_keeper, dossier_id=d[4].pk, location_id=loc(room, 1, 1, 4).pk)
    dossier_shelve(actor=city_keeper, dossier_id=d[8].pk, location_id=loc(room, 2, 1, 3).pk)
    # when a place is suggested for T3, T7 and a new last number
    for dossier, expected in [(d[2], (1, 1, 2)), (d[6], (1, 1, 5)), (make_dossier("370600"), (2, 1, 4))]:
        suggestion = suggest_location(dossier)
        # then it is the free place right after the closest smaller number, and shelving there passes
        assert suggestion is not None
        assert (suggestion.cabinet, suggestion.tier, suggestion.position) == expected
        dossier_shelve(actor=city_keeper, dossier_id=dossier.pk, location_id=suggestion.pk)


@pytest.mark.rule("R41")
def test_r41_no_suggestion_when_no_free_place_keeps_the_order(make_dossier, make_room, city_keeper):
    room = make_room("370600", "库房1", cabinets=((1, 1, 2),))
    d1, d2, d3 = make_dossier("370600"), make_dossier("370600"), make_dossier("370600")
    dossier_shelve(actor=city_keeper, dossier_id=d1.pk, location_id=loc(room, 1, 1, 1).pk)
    dossier_shelve(actor=city_keeper, dossier_id=d3.pk, location_id=loc(room, 1, 1, 2).pk)
    assert suggest_location(d2) is None


@pytest.mark.rule("R41")
def test_r41_when_the_nearest_cabinet_is_full_another_cabinet_is_suggested(make_dossier, make_room, city_keeper):
    room = make_room("370600", "库房1", cabinets=((1, 1, 2), (2, 1, 2)))
    d1, d2, d3 = make_dossier("370600"), make_dossier("370600"), make_dossier("370600")
    dossier_shelve(actor=city_keeper, dossier_id=d1.pk, location_id=loc(room, 1, 1, 1).pk)
    dossier_shelve(actor=city_keeper, dossier_id=d3.pk, location_id=loc(room, 1, 1, 2).pk)
    suggestion = suggest_location(d2)
    assert suggestion == loc(room, 2, 1, 1)


@pytest.mark.rule("R47")
def test_r47_district_dossier_in_the_city_storeroom_is_shelved_by_the_city_keeper(
    make_dossier, make_staff, make_room, city_room, city_keeper
):
    # given a 莱山区 dossier whose paper the city center keeps, and a 莱山区 storeroom
    dossier = make_dossier("370613")
    assert dossier.custodian.code == "370600"
    laishan_room = make_room("370613", "莱山库房")
    laishan_keeper = make_staff("370613", Role.ARCHIVE_KEEPER)
    # when the district's own keeper tries to shelve it, in either storeroom
    for room in (laishan_room, city_room):
        with pytest.raises(PermissionDenied) as refused:
            dossier_shelve(actor=laishan_keeper, dossier_id=dossier.pk, location_id=loc(room, 1, 1, 1).pk)
        assert "烟台市公共就业和人才服务中心" in refused.value.message
    # and the city keeper tries the district's storeroom
    with pytest.raises(ValidationFailed) as elsewhere:
        dossier_shelve(actor=city_keeper, dossier_id=dossier.pk, location_id=loc(laishan_room, 1, 1, 1).pk)
    assert "location" in elsewhere.value.fields
    assert not DossierLocation.objects.exists()
    assert not AuditEvent.objects.exists()
    # then only the city keeper shelves it, in the city storeroom
    place = dossier_shelve(actor=city_keeper, dossier_id=dossier.pk, location_id=loc(city_room, 1, 1, 1).pk)
    assert place.location.room.agency.code == "370600"


@pytest.mark.parametrize(
    ("who", "error"),
    [
        (("370683", Role.ARCHIVE_KEEPER), NotFound),  # another city district: the dossier looks missing
        (("370600", Role.SUPERVISOR), PermissionDenied),  # supervisors read only
        (("370600", Role.COUNTER_CLERK), PermissionDenied),
    ],
)
def test_a_refused_placement_changes_nothing_and_writes_no_audit_event(make_dossier, make_staff, city_room, who, error):
    dossier = make_dossier("370600")
    actor = make_staff(*who)
    before = _snapshot()
    with pytest.raises(error):
        dossier_shelve(actor=actor, dossier_id=dossier.pk, location_id=loc(city_room, 1, 1, 1).pk)
    assert _snapshot() == before


def test_one_dossier_per_place_and_one_place_per_dossier(make_dossier, city_room, city_keeper):
    d1, d2 = make_dossier("370600"), make_dossier("370600")
    target = loc(city_room, 1, 1, 1)
    dossier_shelve(actor=city_keeper, dossier_id=d1.pk, location_id=target.pk)
    before = _snapshot()
    with pytest.raises(Conflict) as taken:
        dossier_shelve(actor=city_keeper, dossier_id=d2.pk, location_id=target.pk)
    assert d1.number in taken.value.message
    with pytest.raises(Conflict):
        dossier_shelve(actor=city_keeper, dossier_id=d1.pk, location_id=loc(city_room, 1, 1, 2).pk)
    with pytest.raises(Conflict):
        dossier_move(actor=city_keeper, dossier_id=d2.pk, location_id=loc(city_room, 1, 1, 2).pk, reason="x")
    with pytest.raises(ValidationFailed) as same:
        dossier_move(actor=city_keeper, dossier_id=d1.pk, location_id=target.pk, reason="x")
    assert "location" in same.value.fields
    with pytest.raises(ValidationFailed) as no_reason:
        dossier_move(actor=city_keeper, dossier_id=d1.pk, location_id=loc(city_room, 1, 1, 2).pk, reason=" ")
    assert "reason" in no_reason.value.fields
    assert _snapshot() == before


def test_only_dossiers_in_custody_are_shelved(make_dossier, city_room, city_keeper):
    dossier = make_dossier("370600")
    dossier.status = DossierStatus.ON_LOAN
    dossier.save(update_fields=["status"])
    with pytest.raises(Conflict):
        dossier_shelve(actor=city_keeper, dossier_id=dossier.pk, location_id=loc(city_room, 1, 1, 1).pk)
    assert not LocationMove.objects.exists()


def test_unshelving_frees_the_place_and_is_registered(make_dossier, city_room, city_keeper):
    dossier = make_dossier("370600")
    target = loc(city_room, 1, 1, 1)
    dossier_shelve(actor=city_keeper, dossier_id=dossier.pk, location_id=target.pk)
    move = dossier_unshelve(actor=city_keeper, dossier_id=dossier.pk, reason="转出")
    assert (move.from_location, move.to_location) == (target, None)
    assert not DossierLocation.objects.exists()
    assert AuditEvent.objects.filter(action=events.DOSSIER_UNSHELVED).count() == 1


def test_basic_information_item_25_shows_the_location(make_dossier, city_room, city_keeper):
    dossier = make_dossier("370600")
    item = BY_KEY["location"]
    assert item.no == 25
    assert display(item, dossier.person, dossier) == ""
    dossier_shelve(actor=city_keeper, dossier_id=dossier.pk, location_id=loc(city_room, 2, 2, 5).pk)
    assert display(item, dossier.person, dossier) == "库房1-02-2-05"
