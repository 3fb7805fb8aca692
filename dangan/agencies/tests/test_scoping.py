"""Staff act on the dossiers their agency holds; others' look missing. The province supervisor reads all (R48)."""

import pytest
from django.urls import reverse

from dangan.agencies.models import Agency, Role
from dangan.agencies.policies import can_act_for_agency, can_read_agency
from dangan.audit.models import AuditEvent
from dangan.core.errors import NotFound
from dangan.dossiers.services import dossier_read


@pytest.fixture
def two_districts(make_staff, make_dossier):
    return {
        "zhifu_clerk": make_staff("370602", Role.COUNTER_CLERK),
        "laizhou_clerk": make_staff("370683", Role.COUNTER_CLERK),
        "province_supervisor": make_staff("370000", Role.SUPERVISOR),
        "city_supervisor": make_staff("370600", Role.SUPERVISOR),
        "zhifu_dossier": make_dossier("370602"),
        "laizhou_dossier": make_dossier("370683"),
    }


@pytest.mark.rule("R43")
def test_clerk_cannot_read_another_districts_dossier_through_the_service(two_districts):
    with pytest.raises(NotFound):
        dossier_read(actor=two_districts["laizhou_clerk"], dossier_id=two_districts["zhifu_dossier"].pk)
    assert not AuditEvent.objects.filter(action="dossier.viewed").exists()
    dossier = dossier_read(actor=two_districts["zhifu_clerk"], dossier_id=two_districts["zhifu_dossier"].pk)
    assert dossier.pk == two_districts["zhifu_dossier"].pk
    assert AuditEvent.objects.filter(action="dossier.viewed", dossier_id=dossier.pk).count() == 1


@pytest.mark.rule("R43")
def test_clerk_cannot_read_another_districts_dossier_through_the_api(two_districts, api_client):
    api_client.force_authenticate(two_districts["laizhou_clerk"])
    other = two_districts["zhifu_dossier"]
    response = api_client.get(f"/api/v1/dossiers/{other.pk}/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    listed = api_client.get("/api/v1/dossiers/").json()["results"]
    assert [d["id"] for d in listed] == [two_districts["laizhou_dossier"].pk]
    assert api_client.get("/api/v1/dossiers/", {"q": other.person.id_number}).json()["count"] == 0


@pytest.mark.rule("R43")
def test_clerk_cannot_read_another_districts_dossier_in_the_console(two_districts, client):
    client.force_login(two_districts["laizhou_clerk"])
    other = two_districts["zhifu_dossier"]
    assert client.get(reverse("dossiers:detail", args=[other.pk])).status_code == 404
    own = two_districts["laizhou_dossier"]
    page = client.get(reverse("dossiers:detail", args=[own.pk])).content.decode()
    assert own.person.id_number in page  # counter clerks need the full number on the detail page


@pytest.mark.rule("R43")
def test_lists_mask_id_numbers(two_districts, client):
    client.force_login(two_districts["zhifu_clerk"])
    own = two_districts["zhifu_dossier"]
    body = client.get(reverse("dossiers:list")).content.decode()
    assert own.person.name in body
    assert own.person.id_number not in body
    assert own.person.masked_id_number in body


@pytest.mark.rule("R48")
def test_province_supervisor_reads_everything_but_acts_nowhere(two_districts, agencies):
    supervisor = two_districts["province_supervisor"]
    for code in ("370602", "370683", "370100"):
        assert can_read_agency(supervisor, agencies[code])
        assert not can_act_for_agency(supervisor, agencies[code])
    dossier_read(actor=supervisor, dossier_id=two_districts["zhifu_dossier"].pk)


@pytest.mark.rule("R48")
def test_city_supervisor_reads_its_city_only(two_districts, agencies):
    supervisor = two_districts["city_supervisor"]
    assert can_read_agency(supervisor, agencies["370683"])
    assert not can_read_agency(supervisor, agencies["370102"])  # 历下区 belongs to 济南


def test_clerk_acts_only_for_own_agency(two_districts, agencies):
    clerk = two_districts["zhifu_clerk"]
    assert can_act_for_agency(clerk, agencies["370602"])
    assert not can_act_for_agency(clerk, agencies["370683"])
    assert not can_act_for_agency(clerk, agencies["370600"])


@pytest.mark.rule("R47")
def test_central_storeroom_keeper_sees_district_dossiers_it_keeps(make_staff, make_dossier, agencies):
    laishan = make_dossier("370613")  # 莱山区 keeps its paper in the city center's storeroom
    assert laishan.custodian == agencies["370600"]
    assert laishan.holding_agency == agencies["370613"]
    keeper = make_staff("370600", Role.ARCHIVE_KEEPER)
    clerk = make_staff("370600", Role.COUNTER_CLERK)
    assert dossier_read(actor=keeper, dossier_id=laishan.pk) == laishan
    with pytest.raises(NotFound):
        dossier_read(actor=clerk, dossier_id=laishan.pk)


def test_hierarchy_province_city_districts_townships(agencies):
    city = agencies["370600"]
    districts = Agency.objects.filter(parent=city)
    assert districts.count() == 13  # 11 districts and county-level cities + 2 functional zones
    assert agencies["370671"].statistical_code == "370671"
    township = agencies["370602001"]
    assert township.level == "township"
    assert township.is_within(city)
    assert township.is_within(agencies["370000"])
