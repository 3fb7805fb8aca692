"""R38: every figure of the dashboard agrees with a direct count after a random series of operations."""

import datetime as dt
import random

import pytest

from dangan.agencies.models import Role
from dangan.analytics import figures
from dangan.analytics.scope import scope_for
from dangan.core.errors import NotFound
from dangan.dossiers.models import Dossier
from dangan.transfers.services import transfer_apply, transfer_approve, transfer_dispatch, transfer_receive

TODAY = dt.date.today()
DISTRICTS = ("370602", "370611", "370683", "370613")


@pytest.fixture
def world(make_dossier, make_staff, agencies):
    rng = random.Random(20261123)
    staff = {
        code: {r: make_staff(code, r) for r in (Role.COUNTER_CLERK, Role.APPROVER, Role.ARCHIVE_KEEPER)}
        for code in DISTRICTS
    }
    dossiers = []
    for _ in range(60):
        code = rng.choice(DISTRICTS)
        dossiers.append(
            make_dossier(
                code,
                political_status=rng.choice(["01", "03", "13", "13", ""]),
                sex=rng.choice(["1", "2"]),
                birth_date=TODAY.replace(year=TODAY.year - rng.randint(18, 66))
                - dt.timedelta(days=rng.randint(1, 300)),
                person_category=rng.choice(["1", "3", "6"]),
                phone=rng.choice(["13805351234", ""]),
            )
        )
    for dossier in rng.sample(dossiers, 12):
        source = dossier.holding_agency.code
        target = rng.choice([c for c in DISTRICTS if c != source])
        transfer = transfer_apply(
            actor=staff[source][Role.COUNTER_CLERK], person_id_number=dossier.person.id_number, requester_kind="person",
            applicant_name=dossier.person.name, to_agency=agencies[target], reason="调动", documents=["id_card", "request_letter"],
        )  # fmt: skip
        transfer_approve(actor=staff[source][Role.APPROVER], transfer_id=transfer.pk)
        transfer_dispatch(actor=staff[source][Role.ARCHIVE_KEEPER], transfer_id=transfer.pk, way="confidential_courier",
                          tracking_no=f"JY{transfer.pk}", dispatched_on=TODAY, items=10)  # fmt: skip
        if rng.random() < 0.6:
            transfer_receive(actor=staff[target][Role.ARCHIVE_KEEPER], transfer_id=transfer.pk, arrived_by="confidential_courier",
                             seal_intact=True, catalogue_matches=True)  # fmt: skip
    return {
        "staff": staff,
        "supervisor": make_staff("370600", Role.SUPERVISOR),
        "province": make_staff("370000", Role.SUPERVISOR),
    }


def _stock(codes):
    return [
        d
        for d in Dossier.objects.select_related("person", "holding_agency")
        if d.holding_agency.code in codes and d.status in ("in_custody", "on_loan", "in_transfer")
    ]


@pytest.mark.rule("R38")
@pytest.mark.parametrize("code", ["370602", "370683"])
def test_district_figures_agree_with_direct_counts(world, code):
    scope = scope_for(world["staff"][code][Role.COUNTER_CLERK])
    stock = _stock({code})
    assert figures.count(scope, TODAY).rows[0] == ["在库档案", len(stock)]
    political = {row[0]: row[1] for row in figures.political_status(scope).rows}
    assert sum(political.values()) == len(stock)
    assert political.get("群众", 0) == sum(1 for d in stock if d.person.political_status == "13")
    assert political.get("未填写", 0) == sum(1 for d in stock if not d.person.political_status)
    age = figures.age_by_sex(scope, TODAY).rows
    assert sum(r[1] for r in age) == sum(1 for d in stock if d.person.sex == "1")
    assert sum(r[2] for r in age) == sum(1 for d in stock if d.person.sex == "2")
    sent = Dossier.objects.filter(transfers__from_agency__code=code, transfers__dispatched_on=TODAY).count()
    assert dict(figures.count(scope, TODAY).rows)["本月转出"] == sent


@pytest.mark.rule("R38")
@pytest.mark.rule("R48")
def test_city_and_province_figures_cover_their_subtree(world):
    city = scope_for(world["supervisor"])
    assert dict(figures.count(city, TODAY).rows)["在库档案"] == len(_stock(set(DISTRICTS)))
    by_agency = {row[0]: row[2] for row in figures.by_agency(city).rows}
    for code in DISTRICTS:
        agency = Dossier.objects.filter(holding_agency__code=code).first().holding_agency
        assert by_agency.get(agency.short_name, 0) == len(_stock({code}))
    province = scope_for(world["province"])
    assert dict(figures.count(province, TODAY).rows)["在库档案"] == dict(figures.count(city, TODAY).rows)["在库档案"]
    flows = figures.flows(city).rows
    assert sum(r[2] for r in flows) == 12


def _filled(dossier):
    values = []
    for name in figures.QUALITY_FIELDS:
        target = dossier
        for part in name.split("__"):
            target = getattr(target, part)
        values.append(bool(target))
    return sum(values)


@pytest.mark.rule("R35")
def test_quality_and_worst_records_agree_with_direct_counts(world):
    scope = scope_for(world["staff"]["370602"][Role.COUNTER_CLERK])
    stock = _stock({"370602"})
    total = len(figures.QUALITY_FIELDS)
    quality = figures.quality(scope).rows
    assert quality[0][1] == len(stock)
    assert quality[0][2] == f"{100 * sum(_filled(d) for d in stock) / (len(stock) * total):.1f}%"
    worst = figures.worst_records(scope).rows
    assert worst[0][3] == f"{min(_filled(d) for d in stock)}/{total}"


def test_a_clerk_cannot_pick_another_agency(world):
    with pytest.raises(NotFound):
        scope_for(world["staff"]["370602"][Role.COUNTER_CLERK], "370683")


def test_dashboard_page_api_and_excel(client, api_client, world):
    supervisor = world["supervisor"]
    client.force_login(supervisor)
    page = client.get("/console/analytics/")
    assert page.status_code == 200
    assert "vendor/echarts/echarts.min.js" in page.content.decode()
    export = client.get("/console/analytics/?export=political")
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(b"".join(export.streaming_content))).active
    assert sheet.cell(1, 1).value == "政治面貌"
    api_client.force_authenticate(supervisor)
    body = api_client.get("/api/v1/analytics/summary/").json()
    assert body["scope"] == "370600"
    assert set(body["sections"]) >= {"count", "age", "flows", "services", "quality"}
    api_client.force_authenticate(world["staff"]["370602"][Role.COUNTER_CLERK])
    assert api_client.get("/api/v1/analytics/summary/", {"agency": "370600"}).status_code == 404
