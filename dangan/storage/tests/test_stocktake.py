"""库房盘点 (R42): the stock checked against the placement records; services, pages, API and the Excel report."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from dangan.agencies.models import Role
from dangan.audit.models import AuditEvent
from dangan.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from dangan.storage import events
from dangan.storage.models import (
    DiscrepancyKind,
    RoomKind,
    ScanResult,
    Stocktake,
    StocktakeDiscrepancy,
    StocktakeScan,
    StocktakeStatus,
    mask_name,
)
from dangan.storage.services import dossier_shelve
from dangan.storage.stocktaking import stocktake_cancel, stocktake_finish, stocktake_scan, stocktake_start
from dangan.storage.tests.conftest import loc

KEEPER, ADMIN = Role.ARCHIVE_KEEPER, Role.ADMINISTRATOR
HTMX = {"HTTP_HX_REQUEST": "true"}
API = "/api/v1/storage"


@pytest.fixture
def layout(make_room, make_dossier, city_keeper, city_room) -> dict[str, Any]:
    """库房1 (cabinets 01 and 02, 2 tiers × 5): d1 1-1-01, d2 1-1-02, d3 1-1-03, d4 2-1-01 on the books;
    d5 in custody but never shelved; d6 on the books of 库房2."""
    other_room = make_room("370600", "库房2", cabinets=((1, 1, 3),))
    d = {n: make_dossier("370600") for n in range(1, 7)}
    for n, place in {1: (1, 1, 1), 2: (1, 1, 2), 3: (1, 1, 3), 4: (2, 1, 1)}.items():
        dossier_shelve(actor=city_keeper, dossier_id=d[n].pk, location_id=loc(city_room, *place).pk)
    dossier_shelve(actor=city_keeper, dossier_id=d[6].pk, location_id=loc(other_room, 1, 1, 1).pk)
    return {"room": city_room, "other_room": other_room, "keeper": city_keeper, **{f"d{n}": d[n] for n in d}}


def _scan(keeper: Any, stocktake: Stocktake, barcode: str, code: str) -> Any:
    return stocktake_scan(actor=keeper, stocktake_id=stocktake.pk, barcode=barcode, location_code=code)


def _walk_the_room(layout: dict[str, Any]) -> Stocktake:
    """The keeper's round: d1 in place, d2 not found, d3 one place off, d4 in place, d5, d6 and a stranger found."""
    keeper = layout["keeper"]
    stocktake = stocktake_start(actor=keeper, room_id=layout["room"].pk)
    _scan(keeper, stocktake, layout["d1"].barcode, "库房1-01-1-01")
    _scan(keeper, stocktake, layout["d3"].barcode, "库房1-01-1-05")
    _scan(keeper, stocktake, layout["d4"].barcode, "库房1-02-1-01")
    _scan(keeper, stocktake, layout["d5"].barcode, "库房1-02-1-02")
    _scan(keeper, stocktake, layout["d6"].barcode, "库房1-02-1-03")
    _scan(keeper, stocktake, "NOPE999", "库房1-02-1-04")
    return stocktake


@pytest.mark.rule("R42")
def test_r42_finish_reports_the_three_kinds_of_difference_exactly(layout):
    stocktake = _walk_the_room(layout)
    results = dict(StocktakeScan.objects.filter(stocktake=stocktake).values_list("barcode", "result"))
    assert results == {
        layout["d1"].barcode: ScanResult.MATCHED,
        layout["d3"].barcode: ScanResult.MISPLACED,
        layout["d4"].barcode: ScanResult.MATCHED,
        layout["d5"].barcode: ScanResult.UNRECORDED,
        layout["d6"].barcode: ScanResult.UNRECORDED,
        "NOPE999": ScanResult.UNKNOWN,
    }

    done = stocktake_finish(actor=layout["keeper"], stocktake_id=stocktake.pk)

    assert done.status == StocktakeStatus.FINISHED
    assert done.finished_by == layout["keeper"]
    assert done.finished_at is not None
    assert (done.recorded_count, done.scanned_count, done.matched_count) == (4, 6, 2)
    assert (done.missing_count, done.misplaced_count, done.unrecorded_count) == (1, 1, 3)
    rows = {
        (kind, dossier_id, barcode, recorded, found)
        for kind, dossier_id, barcode, recorded, found in StocktakeDiscrepancy.objects.filter(
            stocktake=done
        ).values_list("kind", "dossier_id", "barcode", "recorded_location__code", "found_location__code")
    }
    d2, d3, d5, d6 = layout["d2"], layout["d3"], layout["d5"], layout["d6"]
    assert rows == {
        (DiscrepancyKind.MISSING, d2.pk, d2.barcode, "库房1-01-1-02", None),
        (DiscrepancyKind.MISPLACED, d3.pk, d3.barcode, "库房1-01-1-03", "库房1-01-1-05"),
        (DiscrepancyKind.UNRECORDED, d5.pk, d5.barcode, None, "库房1-02-1-02"),
        (DiscrepancyKind.UNRECORDED, d6.pk, d6.barcode, "库房2-01-1-01", "库房1-02-1-03"),
        (DiscrepancyKind.UNRECORDED, None, "NOPE999", None, "库房1-02-1-04"),
    }


@pytest.mark.rule("R42")
def test_r42_the_finish_compares_with_the_records_as_they_stand_then(layout):
    """A box found one place off and moved there before the finish is no longer a difference."""
    from dangan.storage.services import dossier_move

    keeper = layout["keeper"]
    stocktake = stocktake_start(actor=keeper, room_id=layout["room"].pk)
    for n, code in [(1, "库房1-01-1-01"), (2, "库房1-01-1-02"), (3, "库房1-01-1-04"), (4, "库房1-02-1-01")]:
        _scan(keeper, stocktake, layout[f"d{n}"].barcode, code)
    dossier_move(
        actor=keeper, dossier_id=layout["d3"].pk, location_id=loc(layout["room"], 1, 1, 4).pk, reason="盘点归位"
    )
    done = stocktake_finish(actor=keeper, stocktake_id=stocktake.pk)
    assert (done.recorded_count, done.matched_count, done.discrepancy_count) == (4, 4, 0)


@pytest.mark.rule("R42")
def test_r42_scanning_the_same_box_twice_is_counted_once_or_refused_clearly(layout):
    keeper = layout["keeper"]
    stocktake = stocktake_start(actor=keeper, room_id=layout["room"].pk)
    first = _scan(keeper, stocktake, layout["d1"].barcode, "库房1-01-1-01")
    events_before = AuditEvent.objects.count()

    again = _scan(keeper, stocktake, f" {layout['d1'].barcode} ", " 库房1-01-1-01")

    assert again.repeated
    assert not first.repeated
    assert again.scan.pk == first.scan.pk
    assert StocktakeScan.objects.filter(stocktake=stocktake).count() == 1
    assert AuditEvent.objects.count() == events_before
    with pytest.raises(Conflict) as refused:
        _scan(keeper, stocktake, layout["d1"].barcode, "库房1-01-1-02")
    assert refused.value.code == "already_scanned"
    assert "库房1-01-1-01" in refused.value.fields["barcode"][0]
    assert StocktakeScan.objects.filter(stocktake=stocktake).count() == 1


def test_scan_input_errors_are_per_field_in_chinese(layout):
    keeper = layout["keeper"]
    stocktake = stocktake_start(actor=keeper, room_id=layout["room"].pk)
    with pytest.raises(ValidationFailed) as empty:
        _scan(keeper, stocktake, " ", "")
    assert empty.value.fields == {"location_code": ["请扫描或输入存放位置编号"], "barcode": ["请扫描或输入档案条码"]}
    with pytest.raises(ValidationFailed) as elsewhere:
        _scan(keeper, stocktake, layout["d6"].barcode, "库房2-01-1-01")  # a place of another room
    assert elsewhere.value.fields["location_code"] == ["库房1 中没有编号为“库房2-01-1-01”的位置"]
    assert not StocktakeScan.objects.exists()


@pytest.mark.rule("R42")
def test_r42_one_open_stocktake_per_room_in_the_service(layout):
    keeper = layout["keeper"]
    first = stocktake_start(actor=keeper, room_id=layout["room"].pk)
    with pytest.raises(Conflict) as refused:
        stocktake_start(actor=keeper, room_id=layout["room"].pk)
    assert refused.value.code == "stocktake_open"
    assert "进行中的盘点" in refused.value.message
    # another room is counted at the same time; a closed stocktake no longer blocks the room
    stocktake_start(actor=keeper, room_id=layout["other_room"].pk)
    stocktake_finish(actor=keeper, stocktake_id=first.pk)
    second = stocktake_start(actor=keeper, room_id=layout["room"].pk)
    assert Stocktake.objects.filter(room=layout["room"]).count() == 2
    assert second.status == StocktakeStatus.OPEN


@pytest.mark.rule("R42")
def test_r42_one_open_stocktake_per_room_in_the_database(layout):
    keeper, room = layout["keeper"], layout["room"]
    stocktake_start(actor=keeper, room_id=room.pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        Stocktake.objects.create(room=room, started_at=timezone.now(), started_by=keeper)
    # closed ones do not count
    Stocktake.objects.create(
        room=room,
        started_at=timezone.now(),
        started_by=keeper,
        status=StocktakeStatus.CANCELLED,
        finished_at=timezone.now(),
        finished_by=keeper,
    )
    with pytest.raises(IntegrityError), transaction.atomic():  # a closed one has its end
        Stocktake.objects.create(
            room=room, started_at=timezone.now(), started_by=keeper, status=StocktakeStatus.FINISHED
        )


@pytest.mark.rule("R42")
@pytest.mark.parametrize(
    ("agency", "roles", "error"),
    [
        ("370600", (), PermissionDenied),  # staff of the agency, no role
        ("370600", (ADMIN, Role.SUPERVISOR), PermissionDenied),  # reads the room, keeps nothing
        ("370683", (KEEPER,), NotFound),  # a keeper of another agency does not see the room
    ],
    ids=["no-role", "administrator", "other-agency-keeper"],
)
def test_r42_only_a_keeper_of_the_rooms_agency_takes_stock(layout, make_staff, agency, roles, error):
    outsider = make_staff(agency, *roles)
    keeper = layout["keeper"]
    stocktake = stocktake_start(actor=keeper, room_id=layout["room"].pk)
    before = (Stocktake.objects.count(), StocktakeScan.objects.count(), AuditEvent.objects.count())

    with pytest.raises(error):
        stocktake_start(actor=outsider, room_id=layout["other_room"].pk)
    with pytest.raises(error):
        _scan(outsider, stocktake, layout["d1"].barcode, "库房1-01-1-01")
    with pytest.raises(error):
        stocktake_finish(actor=outsider, stocktake_id=stocktake.pk)
    with pytest.raises(error):
        stocktake_cancel(actor=outsider, stocktake_id=stocktake.pk, reason="试图取消")

    assert (Stocktake.objects.count(), StocktakeScan.objects.count(), AuditEvent.objects.count()) == before
    stocktake.refresh_from_db()
    assert stocktake.status == StocktakeStatus.OPEN


def test_a_reading_room_is_not_taken_stock_of(make_room, city_keeper):
    room = make_room("370600", "阅档室", kind=RoomKind.READING_ROOM, cabinets=())
    with pytest.raises(ValidationFailed) as refused:
        stocktake_start(actor=city_keeper, room_id=room.pk)
    assert refused.value.code == "not_storeroom"
    assert not Stocktake.objects.exists()


def test_a_closed_stocktake_takes_no_more_scans_nor_transitions(layout):
    keeper = layout["keeper"]
    stocktake = stocktake_start(actor=keeper, room_id=layout["room"].pk)
    with pytest.raises(ValidationFailed):
        stocktake_cancel(actor=keeper, stocktake_id=stocktake.pk, reason=" ")
    cancelled = stocktake_cancel(actor=keeper, stocktake_id=stocktake.pk, reason="误开")
    assert (cancelled.status, cancelled.cancel_reason) == (StocktakeStatus.CANCELLED, "误开")
    for attempt in (
        lambda: _scan(keeper, stocktake, layout["d1"].barcode, "库房1-01-1-01"),
        lambda: stocktake_finish(actor=keeper, stocktake_id=stocktake.pk),
        lambda: stocktake_cancel(actor=keeper, stocktake_id=stocktake.pk, reason="再取消"),
    ):
        with pytest.raises(Conflict) as refused:
            attempt()
        assert refused.value.code == "stocktake_closed"


@pytest.mark.rule("R42")
def test_r42_every_step_is_audited(layout):
    keeper = layout["keeper"]
    stocktake = _walk_the_room(layout)
    stocktake_finish(actor=keeper, stocktake_id=stocktake.pk)
    cancelled = stocktake_start(actor=keeper, room_id=layout["other_room"].pk)
    stocktake_cancel(actor=keeper, stocktake_id=cancelled.pk, reason="停电")

    log = AuditEvent.objects.filter(action__startswith="storage.stocktake_").order_by("seq")
    actions = [e.action for e in log]
    assert actions == [
        events.STOCKTAKE_STARTED,
        *[events.STOCKTAKE_SCANNED] * 6,
        events.STOCKTAKE_FINISHED,
        events.STOCKTAKE_STARTED,
        events.STOCKTAKE_CANCELLED,
    ]
    assert all(e.actor_id == keeper.pk for e in log)
    finished = log.get(action=events.STOCKTAKE_FINISHED)
    assert finished.subject_id == str(stocktake.pk)
    assert finished.after["missing"] == 1
    assert finished.after["misplaced"] == 1
    assert finished.after["unrecorded"] == 3
    misplaced = log.filter(action=events.STOCKTAKE_SCANNED, dossier_id=layout["d3"].pk).get()
    assert misplaced.after["result"] == ScanResult.MISPLACED
    assert misplaced.after["recorded"] == "库房1-01-1-03"
    assert log.get(action=events.STOCKTAKE_CANCELLED).reason == "停电"


@pytest.mark.rule("R42")
def test_r42_the_excel_report_opens_and_lists_the_missing_dossier(client, layout):
    stocktake = _walk_the_room(layout)
    stocktake_finish(actor=layout["keeper"], stocktake_id=stocktake.pk)
    client.force_login(layout["keeper"])

    response = client.get(reverse("storage:stocktake_report_xlsx", args=[stocktake.pk]))

    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="storage.stocktake_exported", actor=layout["keeper"]).count() == 1
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = [[cell or "" for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["差异类别", "档案编号", "姓名", "条码", "账面位置", "实际位置", "档案状态"]
    d2 = layout["d2"]
    assert ["账上有、架上无", d2.number, mask_name(d2.person.name), d2.barcode, "库房1-01-1-02", "", "在库"] in rows
    assert d2.person.name not in {cell for row in rows for cell in row}  # names are masked
    assert [row[0] for row in rows[1:]] == [
        "账上有、架上无",
        "位置不符",
        "架上有、账上无",
        "架上有、账上无",
        "架上有、账上无",
    ]


def test_an_open_stocktake_has_no_report_yet(client, layout):
    stocktake = stocktake_start(actor=layout["keeper"], room_id=layout["room"].pk)
    client.force_login(layout["keeper"])
    assert client.get(reverse("storage:stocktake_report_xlsx", args=[stocktake.pk])).status_code == 404
    response = client.get(reverse("storage:stocktake_report", args=[stocktake.pk]))
    assert response["Location"] == reverse("storage:stocktake", args=[stocktake.pk])


# Console pages


@pytest.mark.rule("R42")
def test_r42_the_keeper_takes_stock_in_the_console(client, layout):
    keeper, room = layout["keeper"], layout["room"]
    client.force_login(keeper)
    assert "库房盘点" in client.get(reverse("storage:room", args=[room.pk])).content.decode()
    listing = client.get(reverse("storage:stocktakes", args=[room.pk])).content.decode()
    assert "开始盘点" in listing
    assert "尚未盘点" in listing

    started = client.post(reverse("storage:stocktake_start", args=[room.pk]))
    stocktake = Stocktake.objects.get(room=room)
    assert started["Location"] == reverse("storage:stocktake", args=[stocktake.pk])
    page = client.get(started["Location"]).content.decode()
    assert 'hx-post="{}"'.format(reverse("storage:stocktake_scan", args=[stocktake.pk])) in page
    assert "尚未扫描" in page

    scan_url = reverse("storage:stocktake_scan", args=[stocktake.pk])
    # the scanner's Enter after the shelf place keeps the place and waits for the box
    waiting = client.post(scan_url, {"location_code": "库房1-01-1-05", "barcode": ""}, **HTMX).content.decode()
    assert "请扫描该格中的档案盒条码" in waiting
    assert 'value="库房1-01-1-05"' in waiting
    assert 'class="field-error"' not in waiting
    fragment = client.post(
        scan_url, {"location_code": "库房1-01-1-05", "barcode": layout["d3"].barcode}, **HTMX
    ).content.decode()
    assert "<html" not in fragment  # a fragment for htmx
    assert "位置不符" in fragment
    assert "库房1-01-1-03" in fragment
    assert mask_name(layout["d3"].person.name) in fragment
    assert layout["d3"].person.name not in fragment
    assert 'data-testid="scanned-count">1<' in fragment
    # without htmx the post comes back to the page
    plain = client.post(scan_url, {"location_code": "库房1-01-1-01", "barcode": layout["d1"].barcode})
    assert plain["Location"] == reverse("storage:stocktake", args=[stocktake.pk])
    assert StocktakeScan.objects.filter(stocktake=stocktake).count() == 2

    finished = client.post(reverse("storage:stocktake_finish", args=[stocktake.pk]))
    assert finished["Location"] == reverse("storage:stocktake_report", args=[stocktake.pk])
    report = client.get(finished["Location"]).content.decode()
    assert 'data-testid="missing-count">2<' in report  # d2 and d4
    assert layout["d2"].number in report
    assert layout["d4"].number in report
    assert mask_name(layout["d2"].person.name) in report
    assert reverse("storage:stocktake_report_xlsx", args=[stocktake.pk]) in report


def test_console_scan_errors_show_on_their_fields(client, layout):
    stocktake = stocktake_start(actor=layout["keeper"], room_id=layout["room"].pk)
    client.force_login(layout["keeper"])
    url = reverse("storage:stocktake_scan", args=[stocktake.pk])
    empty = client.post(url, {"location_code": "", "barcode": ""}, **HTMX).content.decode()
    assert "请扫描或输入存放位置编号" in empty
    assert "请扫描或输入档案条码" in empty
    unknown = client.post(url, {"location_code": "库房9-01-1-01", "barcode": ""}, **HTMX).content.decode()
    assert 'class="field-error"' in unknown
    assert "没有编号为“库房9-01-1-01”的位置" in unknown
    client.post(url, {"location_code": "库房1-01-1-01", "barcode": layout["d1"].barcode}, **HTMX)
    twice = client.post(url, {"location_code": "库房1-01-1-02", "barcode": layout["d1"].barcode}, **HTMX)
    assert "已在 库房1-01-1-01 扫描过" in twice.content.decode()
    assert StocktakeScan.objects.count() == 1
    cancel = client.post(reverse("storage:stocktake_cancel", args=[stocktake.pk]), {"reason": ""}).content.decode()
    assert "请填写取消原因" in cancel


PAGES = [
    ("storage:stocktakes", "get", lambda s: [s["room"].pk], {"no_role": 403, "right": 200, "other": 404}),
    ("storage:stocktake_start", "post", lambda s: [s["other_room"].pk], {"no_role": 403, "right": 302, "other": 404}),
    ("storage:stocktake", "get", lambda s: [s["stocktake"].pk], {"no_role": 403, "right": 200, "other": 404}),
    ("storage:stocktake_scan", "post", lambda s: [s["stocktake"].pk], {"no_role": 403, "right": 302, "other": 404}),
    ("storage:stocktake_finish", "post", lambda s: [s["stocktake"].pk], {"no_role": 403, "right": 302, "other": 404}),
    ("storage:stocktake_report", "get", lambda s: [s["finished"].pk], {"no_role": 403, "right": 200, "other": 404}),
    (
        "storage:stocktake_report_xlsx",
        "get",
        lambda s: [s["finished"].pk],
        {"no_role": 403, "right": 200, "other": 404},
    ),
]


@pytest.mark.parametrize("page", PAGES, ids=[p[0] for p in PAGES])
@pytest.mark.parametrize("who", ["anonymous", "no_role", "right", "other"])
def test_stocktake_page_permission_matrix(client, layout, make_room, actor_for, page, who):
    name, method, args, expected = page
    keeper = layout["keeper"]
    third = make_room("370600", "库房3", cabinets=((1, 1, 1),))
    finished = stocktake_start(actor=keeper, room_id=third.pk)
    stocktake_finish(actor=keeper, stocktake_id=finished.pk)
    scene = {**layout, "stocktake": stocktake_start(actor=keeper, room_id=layout["room"].pk), "finished": finished}
    user = actor_for(who, KEEPER)
    if user is not None:
        client.force_login(user)
    body = {"location_code": "库房1-01-1-01", "barcode": layout["d1"].barcode} if method == "post" else {}
    response = getattr(client, method)(reverse(name, args=args(scene)), body)
    if who == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("agencies:login"))
    else:
        assert response.status_code == expected[who]


def test_a_supervisor_reads_the_stocktakes_but_cannot_start_one(client, layout, make_staff):
    client.force_login(make_staff("370600", Role.SUPERVISOR))
    page = client.get(reverse("storage:stocktakes", args=[layout["room"].pk])).content.decode()
    assert "开始盘点" not in page
    assert client.post(reverse("storage:stocktake_start", args=[layout["room"].pk])).status_code == 403
    assert not Stocktake.objects.exists()


def test_the_stocktake_page_stays_within_a_query_budget(client, layout, django_assert_max_num_queries):
    stocktake = _walk_the_room(layout)
    client.force_login(layout["keeper"])
    with django_assert_max_num_queries(14):
        body = client.get(reverse("storage:stocktake", args=[stocktake.pk])).content.decode()
    assert "NOPE999" in body


# API


@pytest.mark.rule("R42")
def test_r42_the_api_takes_stock_and_reports(api_client, layout):
    api_client.force_authenticate(layout["keeper"])
    room = layout["room"]
    started = api_client.post(f"{API}/rooms/{room.pk}/stocktakes/")
    assert started.status_code == 201, started.content
    stocktake_id = started.json()["id"]
    assert started.json()["status"] == "open"
    assert started.json()["progress"]["recorded"] == 4

    again = api_client.post(f"{API}/rooms/{room.pk}/stocktakes/")
    assert again.status_code == 409
    assert again.json()["code"] == "stocktake_open"

    scans = f"{API}/stocktakes/{stocktake_id}/scans/"
    body = {"location_code": "库房1-01-1-05", "barcode": layout["d3"].barcode}
    first = api_client.post(scans, body, format="json")
    assert first.status_code == 201
    assert first.json()["result"] == "misplaced"
    assert first.json()["recorded_location"] == "库房1-01-1-03"
    assert first.json()["name"] == mask_name(layout["d3"].person.name)
    repeated = api_client.post(scans, body, format="json")
    assert repeated.status_code == 200
    assert repeated.json()["repeated"] is True
    bad = api_client.post(scans, {"location_code": "库房1-99-1-01", "barcode": "X"}, format="json")
    assert bad.status_code == 400
    assert bad.json()["fields"] == {"location_code": ["库房1 中没有编号为“库房1-99-1-01”的位置"]}

    assert api_client.get(f"{API}/stocktakes/{stocktake_id}/report/").status_code == 409
    finished = api_client.post(f"{API}/stocktakes/{stocktake_id}/finish/")
    assert finished.status_code == 200
    assert finished.json()["missing_count"] == 3
    assert finished.json()["misplaced_count"] == 1
    report = api_client.get(f"{API}/stocktakes/{stocktake_id}/report/", {"kind": "misplaced"}).json()
    assert report["count"] == 1
    assert report["results"][0]["number"] == layout["d3"].number
    assert report["results"][0]["found_location"] == "库房1-01-1-05"
    assert api_client.get(f"{API}/stocktakes/{stocktake_id}/report/").json()["count"] == 4


@pytest.mark.parametrize("who", ["no_role", "other"])
def test_the_api_refuses_a_non_keeper_with_a_structured_error(api_client, layout, actor_for, who):
    stocktake = stocktake_start(actor=layout["keeper"], room_id=layout["room"].pk)
    api_client.force_authenticate(actor_for(who, KEEPER))
    expected = 403 if who == "no_role" else 404
    calls = [
        api_client.post(f"{API}/rooms/{layout['other_room'].pk}/stocktakes/"),
        api_client.post(
            f"{API}/stocktakes/{stocktake.pk}/scans/",
            {"location_code": "库房1-01-1-01", "barcode": layout["d1"].barcode},
            format="json",
        ),
        api_client.post(f"{API}/stocktakes/{stocktake.pk}/finish/"),
    ]
    for response in calls:
        assert response.status_code == expected
        assert set(response.json()) == {"code", "message", "fields"}
    assert Stocktake.objects.count() == 1
    assert not StocktakeScan.objects.exists()


def test_a_scan_after_the_stocktake_closed_is_told_on_the_page(client, layout):
    stocktake = stocktake_start(actor=layout["keeper"], room_id=layout["room"].pk)
    stocktake_finish(actor=layout["keeper"], stocktake_id=stocktake.pk)
    client.force_login(layout["keeper"])
    body = client.post(
        reverse("storage:stocktake_scan", args=[stocktake.pk]),
        {"location_code": "库房1-01-1-01", "barcode": layout["d1"].barcode},
        **HTMX,
    ).content.decode()
    assert "该盘点已完成，不能再扫描" in body
    assert not StocktakeScan.objects.exists()
