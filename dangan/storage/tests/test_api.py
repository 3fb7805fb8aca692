"""REST endpoints: permission matrix, the same rules as the services, structured Chinese errors."""

import pytest

from dangan.agencies.models import Role
from dangan.audit.models import AuditEvent
from dangan.core.pdf import pdf_text
from dangan.storage.models import DossierLocation, Location, LocationMove, Room
from dangan.storage.tests.conftest import loc

KEEPER, ADMIN = Role.ARCHIVE_KEEPER, Role.ADMINISTRATOR
API = "/api/v1/storage"

# (method, path from the scene, body from the scene, role, {actor: expected status}).
ENDPOINTS = [
    ("get", lambda s: "/rooms/", None, KEEPER, {"no_role": 403, "right": 200, "other": 200}),
    ("post", lambda s: "/rooms/", lambda s: {"name": "库房2", "kind": "storeroom"}, ADMIN,
     {"no_role": 403, "right": 201, "other": 201}),
    ("get", lambda s: f"/rooms/{s['room'].pk}/", None, KEEPER, {"no_role": 403, "right": 200, "other": 404}),
    ("get", lambda s: f"/rooms/{s['room'].pk}/locations/", None, KEEPER, {"no_role": 403, "right": 200, "other": 404}),
    ("post", lambda s: f"/rooms/{s['room'].pk}/locations/", lambda s: {"cabinet": 3, "tiers": 2, "positions": 4},
     KEEPER, {"no_role": 403, "right": 201, "other": 404}),
    ("get", lambda s: f"/rooms/{s['room'].pk}/cabinets/1/labels/", None, KEEPER,
     {"no_role": 403, "right": 200, "other": 404}),
    ("get", lambda s: f"/dossiers/{s['kept'].pk}/location/", None, KEEPER,
     {"no_role": 200, "right": 200, "other": 404}),
    ("get", lambda s: f"/dossiers/{s['fresh'].pk}/suggestion/", None, KEEPER,
     {"no_role": 403, "right": 200, "other": 404}),
    ("post", lambda s: f"/dossiers/{s['fresh'].pk}/shelve/", lambda s: {"location_id": loc(s["room"], 1, 1, 5).pk},
     KEEPER, {"no_role": 403, "right": 200, "other": 404}),
    ("post", lambda s: f"/dossiers/{s['kept'].pk}/move/",
     lambda s: {"location_id": loc(s["room"], 2, 1, 1).pk, "reason": "分柜"}, KEEPER,
     {"no_role": 403, "right": 200, "other": 404}),
    ("get", lambda s: f"/dossiers/{s['kept'].pk}/label/", None, KEEPER, {"no_role": 403, "right": 200, "other": 404}),
    ("get", lambda s: f"/scan/?barcode={s['kept'].barcode}", None, KEEPER,
     {"no_role": 403, "right": 200, "other": 404}),
]  # fmt: skip


ENDPOINT_IDS = [
    "rooms", "room-create", "room", "locations", "locations-create", "cabinet-labels",
    "location", "suggestion", "shelve", "move", "label", "scan",
]  # fmt: skip


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=ENDPOINT_IDS)
@pytest.mark.parametrize("who", ["anonymous", "no_role", "right", "other"])
def test_endpoint_permission_matrix(api_client, scene, actor_for, endpoint, who):
    method, path, body, role, expected = endpoint
    user = actor_for(who, role)
    if user is not None:
        api_client.force_authenticate(user)
    moves_before = LocationMove.objects.count()
    response = getattr(api_client, method)(API + path(scene), body(scene) if body else None, format="json")
    if who == "anonymous":
        assert response.status_code == 401
        return
    assert response.status_code == expected[who], response.content[:300]
    if response.status_code >= 400:
        assert set(response.json()) == {"code", "message", "fields"}
        assert LocationMove.objects.count() == moves_before


def test_shelve_through_the_api_returns_the_place_and_history(api_client, scene):
    api_client.force_authenticate(scene["keeper"])
    target = loc(scene["room"], 1, 1, 2)
    response = api_client.post(f"{API}/dossiers/{scene['fresh'].pk}/shelve/", {"location_id": target.pk}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["location"]["code"] == "库房1-01-1-02"
    assert body["moves"][0]["kind"] == "上架"
    assert body["moves"][0]["from_location"] is None


@pytest.mark.rule("R41")
def test_r41_out_of_order_shelving_is_a_400_with_a_field_error_and_no_trace(api_client, scene, make_dossier):
    api_client.force_authenticate(scene["keeper"])
    earlier_than_kept = scene["kept"]
    later = scene["fresh"]
    # T2 at 1-1-03, then T1 moved after it is refused
    api_client.post(
        f"{API}/dossiers/{later.pk}/shelve/", {"location_id": loc(scene["room"], 1, 1, 3).pk}, format="json"
    )
    before = (LocationMove.objects.count(), AuditEvent.objects.count())
    response = api_client.post(
        f"{API}/dossiers/{earlier_than_kept.pk}/move/",
        {"location_id": loc(scene["room"], 1, 1, 4).pk, "reason": "调整"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "out_of_order"
    assert later.number in response.json()["fields"]["location"][0]
    assert (LocationMove.objects.count(), AuditEvent.objects.count()) == before


@pytest.mark.rule("R47")
def test_r47_district_keeper_gets_403_for_a_dossier_the_city_keeps(api_client, scene, make_dossier, make_staff):
    laishan = make_dossier("370613")
    api_client.force_authenticate(make_staff("370613", KEEPER))
    response = api_client.post(
        f"{API}/dossiers/{laishan.pk}/shelve/", {"location_id": loc(scene["room"], 2, 1, 1).pk}, format="json"
    )
    assert response.status_code == 403
    assert "烟台市公共就业和人才服务中心" in response.json()["message"]
    api_client.force_authenticate(scene["keeper"])
    response = api_client.post(
        f"{API}/dossiers/{laishan.pk}/shelve/", {"location_id": loc(scene["room"], 2, 1, 1).pk}, format="json"
    )
    assert response.status_code == 200
    assert DossierLocation.objects.get(dossier=laishan).location.room.agency.code == "370600"


@pytest.mark.rule("R40")
def test_r40_no_locations_in_a_reading_room_through_the_api(api_client, make_room, city_keeper):
    room = make_room("370600", "阅档室", kind="reading_room", cabinets=())
    api_client.force_authenticate(city_keeper)
    response = api_client.post(f"{API}/rooms/{room.pk}/locations/", {"cabinet": 1, "tiers": 1, "positions": 1})
    assert response.status_code == 400
    assert response.json()["code"] == "not_storeroom"
    assert not Location.objects.filter(room=room).exists()


@pytest.mark.parametrize(
    "body",
    [{}, {"location_id": 0}, {"location_id": 2**31}, {"location_id": "x"}, {"location_id": 1, "reason": "长" * 201}],
)
def test_invalid_input_is_a_400_in_the_structured_form(api_client, scene, body):
    api_client.force_authenticate(scene["keeper"])
    response = api_client.post(f"{API}/dossiers/{scene['fresh'].pk}/shelve/", body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert not DossierLocation.objects.filter(dossier=scene["fresh"]).exists()


def test_rooms_endpoint_lists_protections_and_occupancy(api_client, scene):
    api_client.force_authenticate(scene["keeper"])
    [room] = api_client.get(f"{API}/rooms/").json()
    assert room["kind_label"] == "库房"
    assert len(room["protection_labels"]) == 9
    assert room["protections_complete"] is True
    assert (room["location_count"], room["occupied_count"]) == (10, 1)
    locations = api_client.get(f"{API}/rooms/{scene['room'].pk}/locations/", {"cabinet": 1}).json()
    assert locations["count"] == 5
    assert locations["results"][0]["dossier_number"] == scene["kept"].number
    assert api_client.get(f"{API}/rooms/{scene['room'].pk}/locations/", {"cabinet": 0}).status_code == 400


def test_label_endpoint_serves_a_pdf_with_number_and_name(api_client, scene):
    api_client.force_authenticate(scene["keeper"])
    response = api_client.get(f"{API}/dossiers/{scene['kept'].pk}/label/")
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert scene["kept"].number in text
    assert scene["kept"].person.name in text


def test_room_creation_through_the_api_is_audited(api_client, make_staff):
    api_client.force_authenticate(make_staff("370602", ADMIN))
    response = api_client.post(
        f"{API}/rooms/", {"name": "芝罘库房", "kind": "storeroom", "protections": ["fire", "damp"]}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["protection_labels"] == ["防火", "防潮"]
    assert AuditEvent.objects.filter(action="storage.room_created").count() == 1
    assert Room.objects.get().agency.code == "370602"
