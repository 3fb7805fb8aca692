"""The prepared lookup (`dossiers.lookup`) finds exactly what the ORM search (`selectors.dossier_search`) finds,
in the same order, for every query shape and every scope."""

import pytest

from dangan.agencies.models import Role
from dangan.dossiers import changes
from dangan.dossiers.lookup import _name_bounds, dossier_lookup
from dangan.dossiers.models import Dossier, DossierStatus
from dangan.dossiers.selectors import dossier_search


@pytest.fixture
def stock(make_dossier):
    made = []
    names = ["王小明", "王小红", "王小", "王大力", "李王", "王%明", "王_红", "张三"]
    for n, (code, name) in enumerate(zip(["370602", "370613", "370683", "370602"] * 2, names, strict=True)):
        dossier = make_dossier(code, name=name)
        Dossier.objects.filter(pk=dossier.pk).update(number=f"{1000 + n}", barcode=f"DA{code}{n:08d}")
        made.append(Dossier.objects.select_related("person").get(pk=dossier.pk))
    return made


def _queries(stock):
    first = stock[0]
    return [
        "",
        first.person.id_number,
        first.person.id_number.lower(),
        first.person.id_number[:6] + first.person.id_number[8:17],  # its first-generation form (R36)
        "110105491231002",
        first.barcode,
        first.barcode.lower(),
        first.number,
        "王",
        "王小",
        "王%",
        "王_",
        "李",
        "不存在",
        "110101199003070000",
    ]


@pytest.mark.rule("R43")
@pytest.mark.rule("R47")  # a keeper also finds what its storeroom keeps for another holder
@pytest.mark.parametrize(
    ("code", "roles"),
    [
        ("370600", [Role.SUPERVISOR]),  # the city and its districts
        ("370602", [Role.COUNTER_CLERK]),  # its own agency only
        ("370600", [Role.ARCHIVE_KEEPER]),  # also what it keeps for others (莱山区 is kept by the city)
        ("370683", [Role.COUNTER_CLERK, Role.ARCHIVE_KEEPER]),
    ],
)
def test_lookup_finds_what_the_search_finds(stock, make_staff, code, roles):
    user = make_staff(code, *roles)
    for query in _queries(stock):
        expected = list(dossier_search(user, query).values_list("pk", flat=True))
        page = dossier_lookup(user, query, limit=50)
        assert [hit.id for hit in page.hits] == expected, query
        assert page.count == len(expected), query


def test_lookup_pages_and_counts(stock, make_staff):
    user = make_staff("370000", Role.SUPERVISOR)
    every = list(dossier_search(user, "王").values_list("pk", flat=True))
    assert len(every) == 6  # 王小明 王小红 王小 王大力 王%明 王_红; not 李王
    first = dossier_lookup(user, "王", limit=4)
    second = dossier_lookup(user, "王", limit=4, offset=4)
    beyond = dossier_lookup(user, "王", limit=4, offset=40)
    assert [h.id for h in first.hits + second.hits] == every
    assert first.count == second.count == beyond.count == 6
    assert beyond.hits == []


def test_hit_carries_list_columns(stock, make_staff):
    user = make_staff("370602", Role.COUNTER_CLERK)
    dossier = stock[0]
    (hit,) = dossier_lookup(user, dossier.barcode).hits
    assert (hit.name, hit.id_number, hit.holding_agency) == (dossier.person.name, dossier.person.id_number, "芝罘区")
    assert hit.masked_id_number == dossier.person.masked_id_number
    assert hit.status_label == "在库"
    assert hit.received_on == dossier.received_on


def test_anonymous_and_non_staff_find_nothing(stock, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    citizen = django_user_model.objects.create_user(username="citizen", password="x" * 12)
    assert dossier_lookup(AnonymousUser(), "王").count == 0
    assert dossier_lookup(citizen, "王").hits == []


def test_name_bounds_cover_exactly_the_prefix():
    assert _name_bounds("王") == chr(ord("王") + 1)
    assert _name_bounds("ab") == "ac"
    assert _name_bounds("a\ud7ff") == "a\ue000"  # skips the surrogates, which UTF-8 cannot carry
    for name in ["王", "王小", "王小明", "王\U0010fffd"]:
        assert "王" <= name < _name_bounds("王")
    after = chr(ord("王") + 1) + "小"  # the next character's names are past the bound
    assert not (after < _name_bounds("王"))


def test_api_list_pages_the_lookup_with_masked_numbers(api_client, stock, make_staff):
    user = make_staff("370600", Role.SUPERVISOR)
    api_client.force_authenticate(user)
    body = api_client.get("/api/v1/dossiers/", {"q": "王", "limit": 4}).json()
    assert body["count"] == 6
    assert len(body["results"]) == 4
    assert "offset=4" in body["next"]
    assert body["previous"] is None
    rest = api_client.get("/api/v1/dossiers/", {"q": "王", "limit": 4, "offset": 4}).json()
    assert [r["name"] for r in body["results"] + rest["results"]] == sorted(
        d.person.name for d in stock if d.person.name.startswith("王")
    )
    first = rest["results"][0]
    assert set(first) == {"id", "number", "barcode", "name", "id_number", "holding_agency", "status",
                          "status_label", "received_on"}  # fmt: skip
    assert "*" in first["id_number"]


def test_console_search_pages_the_lookup_and_a_scanned_barcode_opens_the_dossier(client, stock, make_staff):
    from django.urls import reverse

    user = make_staff("370000", Role.SUPERVISOR)
    client.force_login(user)
    first = client.get(reverse("dossiers:list"), {"q": "王"})
    body = first.content.decode()
    assert first.status_code == 200
    names = [d.person.name for d in stock if d.person.name.startswith("王")]
    assert all(name in body for name in names)
    assert "李王" not in body
    assert stock[0].person.masked_id_number in body
    assert stock[0].person.id_number not in body
    scanned = client.get(reverse("dossiers:list"), {"q": stock[1].barcode.lower()})
    assert scanned.status_code == 302
    assert scanned.url == reverse("dossiers:detail", args=[stock[1].pk])
    paged = client.get(reverse("dossiers:list"), {"page": 2})  # 25 a page; 8 dossiers: the last page
    assert paged.status_code == 200
    assert "王小明" in paged.content.decode()


def test_an_offset_past_every_integer_gives_an_empty_page_not_an_error(api_client, stock, make_staff):
    api_client.force_authenticate(make_staff("370000", Role.SUPERVISOR))
    response = api_client.get("/api/v1/dossiers/", {"q": "王", "offset": "14766361507507850591600640"})
    assert response.status_code == 200
    assert response.json()["results"] == []
    assert response.json()["count"] == 6


@pytest.mark.parametrize("query", ["«\x03", "\x00", "王\x00", "\t王\r\n", "a\\%_"])
def test_control_characters_are_dropped_and_a_page_past_the_last_is_empty(api_client, stock, make_staff, query):
    # The fuzzer's NUL: PostgreSQL text cannot hold one, so it never reaches the database (a 500 before).
    user = make_staff("370000", Role.SUPERVISOR)
    api_client.force_authenticate(user)
    clean = query.translate({0: None, 3: None, 9: None, 10: None, 13: None})
    expected = dossier_search(user, clean).count()
    first = api_client.get("/api/v1/dossiers/", {"q": query})
    assert first.status_code == 200, first.content
    assert first.json()["count"] == expected
    past = api_client.get("/api/v1/dossiers/", {"q": query, "offset": 1591})
    assert past.status_code == 200, past.content
    assert past.json()["results"] == []
    assert past.json()["count"] == expected


@pytest.mark.rule("R43")
@pytest.mark.parametrize(
    ("code", "roles"),
    [("370000", [Role.SUPERVISOR]), ("370602", [Role.COUNTER_CLERK]), ("370600", [Role.ARCHIVE_KEEPER])],
)
def test_the_unfiltered_list_counts_from_the_counters_and_agrees_with_a_count(stock, make_staff, agencies, code, roles):
    """Counting a province's million dossiers took most of a second per list page; the dashboard's counters
    (one per agency and month received) give the same number. A keeper's list also holds what its storerooms
    keep for others: that one is still counted."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dangan.dossiers.lookup import LookupResults

    user = make_staff(code, *roles)
    moved = stock[0]
    moved.holding_agency = agencies["370613"]  # the counters follow every save
    moved.save()
    gone = stock[1]  # left the stock (a recorded transfer out) but still listed: counted, though not "held"
    Dossier.objects.filter(pk=gone.pk).update(status=DossierStatus.TRANSFERRED_OUT)
    changes.dossiers_written([gone.pk])
    expected = dossier_search(user, "").count()
    assert expected >= 2
    with CaptureQueriesContext(connection) as queries:
        page = dossier_lookup(user, "", limit=1)  # a full page: the total is counted
        assert page.count == expected
        assert LookupResults(user, "").count() == expected
    counted = [q["sql"] for q in queries if "count(" in q["sql"].lower() or "sum(" in q["sql"].lower()]
    assert counted
    keeper = Role.ARCHIVE_KEEPER in roles
    # Never a count of everything visible; a keeper's extra count reads only what others hold.
    assert not [sql for sql in counted if "dossiers_person" in sql]
    assert any("custodian_id" in sql and "dossiers_dossier" in sql for sql in counted) == keeper, counted
