"""R38: every figure of the dashboard agrees with a direct count after a random series of operations."""

import datetime as dt
import random
import re

import pytest

from dangan.agencies.models import Role
from dangan.agreements import services as agreements
from dangan.agreements.models import Employer, RosterEntry
from dangan.analytics import figures
from dangan.analytics.scope import scope_for
from dangan.core.codetables import table
from dangan.core.errors import NotFound
from dangan.dossiers import basicinfo
from dangan.dossiers.models import Dossier
from dangan.transfers.services import transfer_apply, transfer_approve, transfer_dispatch, transfer_receive

TODAY = dt.date.today()
DISTRICTS = ("370602", "370611", "370683", "370613")
EMPLOYER_SERVICES = ["procedures", "custody_certificates"]


def _register(clerk, synth, code, **overrides):
    synthetic = synth.employer()
    data = {
        "name": synthetic.name, "nature": synthetic.nature, "credit_code": synthetic.credit_code,
        "legal_representative": "王建国", "founded_on": dt.date(2015, 5, 20), "registered_capital": "",
        "address": "烟台市南大街100号", "postcode": "264000", "phone": "0535-6612345", "contact": "李娜",
        "contact_post": "人力资源部经理", "remarks": "", "industry": synthetic.industry, "size": synthetic.size,
        "registration_level": "district", "registration_authority": "market_regulation", "county_code": code,
    }  # fmt: skip
    data.update(overrides)
    return agreements.employer_register(actor=clerk, data=data, today=TODAY)


def _sign(clerk, employer, start, years=3):
    return agreements.employer_agreement_sign(
        actor=clerk, employer_id=employer.pk, term_years=years, start_date=start, services=EMPLOYER_SERVICES,
        hr_contact_name="李娜", hr_contact_post="人事专员", hr_contact_phone="13905351234", today=start,
    )  # fmt: skip


def _employers(rng, synth, staff, dossiers):
    """Employers of each district with agreements in force, lapsed and ended, employees joining and leaving;
    some registered before industry and size were asked (blank), one with an industry but no size."""
    free = {code: [d for d in dossiers if d.holding_agency.code == code] for code in DISTRICTS}
    for code in DISTRICTS:
        clerk = staff[code][Role.COUNTER_CLERK]
        for n in range(4):
            employer = _register(clerk, synth, code)
            if n == 0:
                Employer.objects.filter(pk=employer.pk).update(industry="", size="")
            elif n == 1 and rng.random() < 0.5:
                Employer.objects.filter(pk=employer.pk).update(size="")
            lapsed = n == 3 and rng.random() < 0.7  # its term ended yesterday; the daily job has not run yet
            start = TODAY - dt.timedelta(days=366) if lapsed else TODAY - dt.timedelta(days=rng.randint(0, 300))
            agreement = _sign(clerk, employer, start, years=1 if lapsed else 3)
            joined = []
            for dossier in rng.sample(free[code], min(len(free[code]), rng.randint(1, 4))):
                free[code].remove(dossier)
                joined.append(
                    agreements.roster_join(actor=clerk, agreement_id=agreement.pk, dossier_id=dossier.pk, today=start)
                )
            for entry in joined:
                if rng.random() < 0.25:
                    personal = rng.random() < 0.5
                    agreements.roster_departure_report(
                        actor=clerk, entry_id=entry.pk, left_on=TODAY, choice="personal" if personal else "transfer",
                        personal=agreements.PersonalTerms(start_date=TODAY, services=["receive_transfer"])
                        if personal else None,
                        today=TODAY,
                    )  # fmt: skip
            if n == 2 and rng.random() < 0.4:
                agreements.employer_dissolve(actor=clerk, employer_id=employer.pk, kind="deregistered", on=TODAY,
                                             today=TODAY)  # fmt: skip


@pytest.fixture
def world(make_dossier, make_staff, agencies, synth):
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
    _employers(rng, synth, staff, dossiers)
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


def _employer_table(result):
    """{(industry, size): dossiers} of the figure, blanks for 未登记行业 and 未登记规模."""
    sizes = [c.code for c in table("enterprise_size").codes] + [""]
    cells = {}
    for row in result.rows:
        industry = "" if row[0] == figures.NO_INDUSTRY else row[0].split(" ")[0]
        for size, n in zip(sizes, row[1:], strict=True):
            if n:
                cells[(industry, size)] = n
    return cells


def _note_counts(result):
    match = re.search(r"共(\d+)份.*个人委托存档(\d+)份；其他(\d+)份", result.note)
    assert match, result.note
    return tuple(int(n) for n in match.groups())


def _direct_employer_counts(codes):
    """The same figure counted dossier by dossier in Python."""
    cells, personal, other = {}, 0, 0
    for dossier in _stock(codes):
        entry = (
            RosterEntry.objects.filter(dossier=dossier, status="active").select_related("agreement__employer").first()
        )
        if entry is not None and entry.agreement.status == "in_force" and entry.agreement.end_date >= TODAY:
            key = (entry.agreement.employer.industry, entry.agreement.employer.size)
            cells[key] = cells.get(key, 0) + 1
        elif dossier.entrustment_type == "personal":
            personal += 1
        else:
            other += 1
    return cells, personal, other


@pytest.mark.rule("R38")
@pytest.mark.parametrize("who", ["370602", "city", "province"])
def test_distribution_by_employer_industry_and_size_agrees_with_direct_counts(world, who):
    user = (
        world["staff"][who][Role.COUNTER_CLERK] if who in DISTRICTS else world["supervisor" if who == "city" else who]
    )
    codes = {who} if who in DISTRICTS else set(DISTRICTS)
    result = figures.by_employer(scope_for(user), TODAY)
    cells, personal, other = _direct_employer_counts(codes)
    assert _employer_table(result) == cells
    covered, noted_personal, noted_other = _note_counts(result)
    assert (covered, noted_personal, noted_other) == (sum(cells.values()), personal, other)
    assert covered + personal + other == len(_stock(codes))
    labels = [row[0] for row in result.rows]  # sections in A–T order, 未登记行业 last
    registered = [label for label in labels if label != figures.NO_INDUSTRY]
    assert labels[: len(registered)] == sorted(registered)
    if who == "city":
        assert cells, "the random world puts dossiers under agreements in force"
        assert any(industry == "" for industry, _size in cells), "legacy employers give a 未登记行业 row"


def _completeness(dossier):
    return basicinfo.completeness(dossier.person, dossier)  # what the dossier's own page shows


@pytest.mark.rule("R35")
def test_quality_and_worst_records_agree_with_direct_counts(world):
    scope = scope_for(world["staff"]["370602"][Role.COUNTER_CLERK])
    stock = _stock({"370602"})
    total = len(basicinfo.MANDATORY)
    assert total == 26
    quality = figures.quality(scope).rows
    assert quality[0][1] == len(stock)
    filled = sum(_completeness(d).mandatory_filled for d in stock)
    assert quality[0][2] == f"{100 * filled / (len(stock) * total):.1f}%"
    worst = figures.worst_records(scope, limit=10_000).rows
    by_number = {d.number: _completeness(d) for d in stock}
    assert len(worst) == len(stock)
    for number, _name, _agency, filled_items, missing in worst:
        assert filled_items == f"{by_number[number].mandatory_filled}/{total}"
        assert missing == "、".join(item.label for item in by_number[number].missing)
    assert worst[0][3] == f"{min(c.mandatory_filled for c in by_number.values())}/{total}"


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
    body = page.content.decode()
    assert 'id="chart-industry"' in body
    assert "按单位行业和规模分布" in body
    assert 'data-testid="note-industry"' in body
    rows = list(
        load_workbook(
            BytesIO(b"".join(client.get("/console/analytics/?export=industry").streaming_content))
        ).active.iter_rows(values_only=True)
    )
    assert rows[0][:2] == ("行业门类", "大型")
    assert rows[-1][0].startswith("注：本表统计在履行中的单位委托集体存档协议名册内的在库档案")
    api_client.force_authenticate(supervisor)
    body = api_client.get("/api/v1/analytics/summary/").json()
    assert body["scope"] == "370600"
    assert set(body["sections"]) >= {"count", "age", "flows", "services", "quality", "industry"}
    assert body["sections"]["industry"]["header"][0] == "行业门类"
    assert "未计入" in body["sections"]["industry"]["note"]
    api_client.force_authenticate(world["staff"]["370602"][Role.COUNTER_CLERK])
    assert api_client.get("/api/v1/analytics/summary/", {"agency": "370600"}).status_code == 404


@pytest.mark.rule("R38")
@pytest.mark.rule("R48")
def test_distribution_by_employer_industry_and_size_counts_only_rosters_of_agreements_in_force(
    make_dossier, make_staff, synth, agencies
):
    clerk, other_clerk = make_staff("370602", Role.COUNTER_CLERK), make_staff("370611", Role.COUNTER_CLERK)
    start = TODAY - dt.timedelta(days=30)

    def employer_with(clerk, code, employees, *, start=start, years=3, **fields):
        agreement = _sign(clerk, _register(clerk, synth, code, **fields), start, years)
        return [
            agreements.roster_join(
                actor=clerk, agreement_id=agreement.pk, dossier_id=make_dossier(code).pk, today=start
            )
            for _ in range(employees)
        ]

    small = employer_with(clerk, "370602", 3, nature="1", industry="C", size="3")
    employer_with(clerk, "370602", 1, nature="1", industry="C", size="1")
    employer_with(clerk, "370602", 1, nature="2", industry="S", size="9", registration_authority="civil_affairs")
    legacy = employer_with(clerk, "370602", 1, nature="1", industry="C", size="2")
    Employer.objects.filter(pk=legacy[0].agreement.employer_id).update(industry="", size="")
    # its term ended yesterday at the latest; the daily expiry job has not run yet: not in force
    employer_with(clerk, "370602", 1, start=TODAY - dt.timedelta(days=366), years=1, nature="1", industry="F", size="4")
    employer_with(other_clerk, "370611", 2, nature="1", industry="I", size="2")
    agreements.roster_departure_report(
        actor=clerk, entry_id=small[0].pk, left_on=TODAY, choice="transfer", transfer_to="青岛", today=TODAY
    )
    make_dossier("370602")  # held individually

    district = figures.by_employer(scope_for(clerk), TODAY)
    assert district.title == "按单位行业和规模分布"
    assert district.header == ["行业门类", "大型", "中型", "小型", "微型", "不适用", "未登记规模"]
    assert district.rows == [
        ["C 制造业", 1, 0, 2, 0, 0, 0],
        ["S 公共管理、社会保障和社会组织", 0, 0, 0, 0, 1, 0],
        [figures.NO_INDUSTRY, 0, 0, 0, 0, 0, 1],
    ]
    # not counted: the one held individually; the leaver awaiting transfer and the lapsed agreement's employee
    assert _note_counts(district) == (5, 1, 2)
    city = figures.by_employer(scope_for(make_staff("370600", Role.SUPERVISOR)), TODAY)
    assert [row[0] for row in city.rows] == [
        "C 制造业", "I 信息传输、软件和信息技术服务业", "S 公共管理、社会保障和社会组织", figures.NO_INDUSTRY,
    ]  # fmt: skip
    assert city.rows[1] == ["I 信息传输、软件和信息技术服务业", 0, 2, 0, 0, 0, 0]
    assert _note_counts(city) == (7, 1, 2)
    assert figures.all_sections(scope_for(clerk), TODAY)["industry"] == district
