"""Console pages: permission matrix, field errors in Chinese, scan lookup, the dossier section, query counts."""

import pytest
from django.urls import reverse

from dangan.agencies.models import Role
from dangan.audit.models import AuditEvent
from dangan.storage.models import DossierLocation, LocationMove, Room, RoomKind
from dangan.storage.tests.conftest import loc

KEEPER, ADMIN = Role.ARCHIVE_KEEPER, Role.ADMINISTRATOR

# (name, method, role, args from the scene, {actor: expected status}); another agency gets 404 for objects.
PAGES = [
    ("storage:home", "get", KEEPER, lambda s: [], {"no_role": 403, "right": 200, "other": 200}),
    ("storage:scan", "get", KEEPER, lambda s: [], {"no_role": 403, "right": 200, "other": 200}),
    ("storage:room_create", "get", ADMIN, lambda s: [], {"no_role": 403, "right": 200, "other": 200}),
    ("storage:room", "get", KEEPER, lambda s: [s["room"].pk], {"no_role": 403, "right": 200, "other": 404}),
    (
        "storage:locations_create",
        "post",
        KEEPER,
        lambda s: [s["room"].pk],
        {"no_role": 403, "right": 302, "other": 404},
    ),
    (
        "storage:cabinet_labels",
        "get",
        KEEPER,
        lambda s: [s["room"].pk, 1],
        {"no_role": 403, "right": 200, "other": 404},
    ),
    ("storage:place", "get", KEEPER, lambda s: [s["fresh"].pk], {"no_role": 403, "right": 200, "other": 404}),
    ("storage:label", "get", KEEPER, lambda s: [s["kept"].pk], {"no_role": 403, "right": 200, "other": 404}),
    # The section follows the dossier page: whoever reads the dossier sees where it is.
    ("storage:dossier_section", "get", KEEPER, lambda s: [s["kept"].pk], {"no_role": 200, "right": 200, "other": 404}),
]


@pytest.mark.parametrize("page", PAGES, ids=[p[0] for p in PAGES])
@pytest.mark.parametrize("who", ["anonymous", "no_role", "right", "other"])
def test_page_permission_matrix(client, scene, actor_for, page, who):
    name, method, role, args, expected = page
    user = actor_for(who, role)
    if user is not None:
        client.force_login(user)
    url = reverse(name, args=args(scene))
    response = getattr(client, method)(url, {"cabinet": 3, "tiers": 1, "positions": 2} if method == "post" else {})
    if who == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("agencies:login"))
    else:
        assert response.status_code == expected[who]


def test_another_agencys_rooms_are_not_listed(client, scene, make_staff):
    client.force_login(make_staff("370683", KEEPER))
    assert "库房1" not in client.get(reverse("storage:home")).content.decode()


@pytest.mark.rule("R39")
def test_rooms_list_shows_the_protections_and_stays_within_a_query_budget(
    client, make_room, city_keeper, django_assert_max_num_queries
):
    for n in range(8):
        make_room("370600", f"库房{n}", cabinets=((1, 2, 3),))
    make_room("370600", "阅档室", kind=RoomKind.READING_ROOM, cabinets=())
    client.force_login(city_keeper)
    with django_assert_max_num_queries(10):  # session, user, staff, roles, rooms, agency, session save
        body = client.get(reverse("storage:home")).content.decode()
    assert "✓防紫外线" in body
    assert "阅档室" in body
    assert "14–24 ℃" in body


def test_room_page_shows_occupancy_within_a_query_budget(client, scene, django_assert_max_num_queries):
    client.force_login(scene["keeper"])
    with django_assert_max_num_queries(12):
        body = client.get(reverse("storage:room", args=[scene["room"].pk]), {"cabinet": 1}).content.decode()
    assert scene["kept"].number in body
    assert "1 / 5" in body


@pytest.mark.rule("R40")
def test_r40_a_reading_room_page_offers_no_layout_and_refuses_one(client, make_room, city_keeper):
    room = make_room("370600", "阅档室", kind=RoomKind.READING_ROOM, cabinets=())
    client.force_login(city_keeper)
    assert "生成存放位置" not in client.get(reverse("storage:room", args=[room.pk])).content.decode()
    response = client.post(
        reverse("storage:locations_create", args=[room.pk]), {"cabinet": 1, "tiers": 1, "positions": 1}
    )
    assert "只有库房可以设置存放位置" in response.content.decode()
    assert not room.locations.exists()


def test_administrator_creates_a_room_in_the_console(client, make_staff):
    client.force_login(make_staff("370602", ADMIN))
    response = client.post(
        reverse("storage:room_create"), {"name": "芝罘库房", "kind": RoomKind.STOREROOM, "protections": ["fire"]}
    )
    room = Room.objects.get(name="芝罘库房")
    assert response["Location"] == reverse("storage:room", args=[room.pk])
    assert room.agency.code == "370602"
    assert room.protections == ["fire"]
    bad = client.post(reverse("storage:room_create"), {"name": "", "kind": RoomKind.STOREROOM})
    assert "请填写房间名称" in bad.content.decode()


@pytest.mark.rule("R41")
def test_r41_the_place_form_shows_the_order_error_on_the_field(client, scene):
    client.force_login(scene["keeper"])
    url = reverse("storage:place", args=[scene["kept"].pk])
    # the shelved dossier T1 cannot go after the unshelved T2's future place: put T2 first, then try
    fresh_url = reverse("storage:place", args=[scene["fresh"].pk])
    assert client.post(fresh_url, {"location": "库房1-01-1-03"}).status_code == 302
    before = (LocationMove.objects.count(), AuditEvent.objects.count())
    body = client.post(url, {"location": "库房1-01-1-04", "reason": "调整"}).content.decode()
    assert 'class="field-error"' in body
    assert "档案须按编号顺序排架" in body
    assert scene["fresh"].number in body
    assert (LocationMove.objects.count(), AuditEvent.objects.count()) == before


def test_the_place_form_suggests_a_place_and_shelves_there(client, scene):
    client.force_login(scene["keeper"])
    url = reverse("storage:place", args=[scene["fresh"].pk])
    page = client.get(url).content.decode()
    assert "库房1-01-1-02" in page  # right after the shelved T1
    unknown = client.post(url, {"location": "库房9-01-1-01"}).content.decode()
    assert "没有编号为“库房9-01-1-01”的位置" in unknown
    response = client.post(url, {"location": "库房1-01-1-02"})
    assert response.status_code == 302
    assert DossierLocation.objects.get(dossier=scene["fresh"]).location == loc(scene["room"], 1, 1, 2)


def test_moving_in_the_console_needs_a_reason(client, scene):
    client.force_login(scene["keeper"])
    url = reverse("storage:place", args=[scene["kept"].pk])
    body = client.post(url, {"location": "库房1-02-1-01"}).content.decode()
    assert "请填写移位原因" in body
    assert client.post(url, {"location": "库房1-02-1-01", "reason": "分柜"}).status_code == 302
    assert DossierLocation.objects.get(dossier=scene["kept"]).location.code == "库房1-02-1-01"


def test_scanning_a_barcode_opens_the_dossier(client, scene):
    client.force_login(scene["keeper"])
    response = client.get(reverse("storage:scan"), {"barcode": f" {scene['kept'].barcode}"})
    assert response.status_code == 302
    assert response["Location"] == reverse("dossiers:detail", args=[scene["kept"].pk])
    missing = client.get(reverse("storage:scan"), {"barcode": "NOPE123"}).content.decode()
    assert "没有条码为“NOPE123”的档案" in missing


def test_scanning_another_agencys_barcode_finds_nothing(client, scene, make_staff):
    client.force_login(make_staff("370683", KEEPER))
    response = client.get(reverse("storage:scan"), {"barcode": scene["kept"].barcode})
    assert response.status_code == 200
    assert 'class="field-error"' in response.content.decode()


@pytest.mark.rule("R41")
def test_dossier_section_shows_the_place_and_the_moves(client, scene, django_assert_max_num_queries):
    client.force_login(scene["keeper"])
    with django_assert_max_num_queries(12):
        body = client.get(reverse("storage:dossier_section", args=[scene["kept"].pk])).content.decode()
    assert "库房1-01-1-01" in body
    assert "上架" in body
    assert "入库上架" in body
    assert "<html" not in body  # a fragment for htmx
