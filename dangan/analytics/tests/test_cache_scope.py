"""R43/R48: the cached dashboard is keyed by the exact agencies a user reads. A city supervisor (the city and its
districts) and a city counter clerk (the city alone) share a top agency; whoever loads first, each sees only
their own scope's figures and people, on the page, in the JSON API and in every Excel export."""

import datetime as dt
from io import BytesIO

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from dangan.agencies.models import Role
from dangan.analytics.cache import cache_key
from dangan.analytics.scope import Scope, scope_for


def _sheet(client, export):
    response = client.get(reverse("analytics:home"), {"export": export})
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content)), read_only=True).worksheets[0]
    return [list(r) for r in sheet.iter_rows(min_row=2, values_only=True)]


@pytest.fixture
def city(make_dossier, make_staff):
    """One dossier held by the city itself, one by a district: the district's is the least complete."""
    cache.clear()
    own = make_dossier("370600", name="王市直", phone="13805351234", native_place="山东烟台", person_category="1")
    district = make_dossier("370602", name="李县区", phone="", native_place="", person_category="")
    return {
        "supervisor": make_staff("370600", Role.SUPERVISOR),
        "clerk": make_staff("370600", Role.COUNTER_CLERK),
        "own": own,
        "district": district,
    }


def _sees(city, who, client, api_client):
    """What `who` is shown: held count, the worst records' people; never the other scope's."""
    user = city[who]
    own, district = city["own"], city["district"]
    expected = [own.number] if who == "clerk" else [district.number, own.number]
    hidden = [district] if who == "clerk" else []
    client.force_login(user)
    body = client.get(reverse("analytics:home")).content.decode()
    assert "王市直" in body
    assert own.number in body
    for dossier in hidden:
        assert dossier.person.name not in body
        assert dossier.number not in body
    if who == "supervisor":
        assert "李县区" in body
    held = len(expected)
    assert _sheet(client, "count")[0] == ["在库档案", held]
    assert [r[0] for r in _sheet(client, "worst")] == expected
    assert [r[1] for r in _sheet(client, "worst")] == (["王市直"] if who == "clerk" else ["李县区", "王市直"])
    assert [r[0] for r in _sheet(client, "incomplete")] == expected
    agencies = {own.holding_agency.short_name} | ({district.holding_agency.short_name} if who != "clerk" else set())
    assert {r[0] for r in _sheet(client, "agencies")} == agencies
    api_client.force_authenticate(user)
    sections = api_client.get("/api/v1/analytics/summary/").json()["sections"]
    assert sections["count"]["rows"][0] == ["在库档案", held]
    assert [r[0] for r in sections["worst"]["rows"]] == expected


@pytest.mark.rule("R43")
@pytest.mark.rule("R48")
@pytest.mark.parametrize("order", [("supervisor", "clerk"), ("clerk", "supervisor")])
def test_city_supervisor_and_city_clerk_each_see_only_their_scope_whoever_loads_first(city, order, client, api_client):
    assert scope_for(city["supervisor"]).root == scope_for(city["clerk"]).root  # same top agency
    for who in order:  # the first fills the cache, the second reads it
        _sees(city, who, client, api_client)
    for who in order:  # both from the cache now
        _sees(city, who, client, api_client)


@pytest.mark.rule("R43")
def test_the_cache_key_is_the_exact_set_of_agencies_read(agencies):
    city, district = agencies["370600"], agencies["370602"]
    today = dt.date(2026, 12, 1)
    both = cache_key(Scope(root=city, agency_ids=(city.pk, district.pk)), today)
    assert cache_key(Scope(root=district, agency_ids=(district.pk, city.pk)), today) == both  # order, root: same
    assert cache_key(Scope(root=city, agency_ids=(city.pk,)), today) != both
    assert cache_key(Scope(root=city, agency_ids=(city.pk, district.pk)), today.replace(day=2)) != both
    with translation.override("en"):
        assert cache_key(Scope(root=city, agency_ids=(city.pk, district.pk)), today) != both
