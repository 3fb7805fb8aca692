"""R38/R46: the dashboard's maintained counters agree with plain GROUP BY counts and with a full rebuild,
after a random series of operations through the services."""

import datetime as dt
import random

import pytest
from django.core.management import call_command
from django.db import transaction

from dangan.agencies.models import Role
from dangan.agreements.services.common import dossier_set_entrustment
from dangan.analytics import aggregates, figures, stock
from dangan.analytics.models import DossierFacts, StockCount
from dangan.analytics.scope import scope_for
from dangan.analytics.tests.helpers import place
from dangan.dossiers import basicinfo, changes
from dangan.dossiers.models import Dossier, EducationRecord, Person
from dangan.dossiers.services import history_add, item_declare_none, person_update
from dangan.storage.models import DossierLocation
from dangan.transfers.services import transfer_apply, transfer_approve, transfer_dispatch, transfer_receive

TODAY = dt.date.today()
DISTRICTS = ("370602", "370611", "370683", "370613")


def _counters():
    return sorted(StockCount.objects.exclude(n=0).values_list("agency_id", "dimension", "key", "n"))


def _sections(scope):
    """Every stock section both ways, with the top-n lists uncut and rows in a fixed order."""
    out = {}
    for name, fast in stock.STOCK_SECTIONS.items():
        if name == "origins":
            pair = (stock.origins(scope, limit=10_000), figures.origins(scope, limit=10_000))
        elif name == "worst":
            pair = (stock.worst_records(scope, limit=10_000), figures.worst_records(scope, limit=10_000))
            out[name] = (pair[0].rows, pair[1].rows)  # ordered by (filled, pk) both ways: compare as is
            continue
        else:
            pair = (fast(scope, TODAY), figures.SECTIONS[name](scope, TODAY))
        out[name] = (sorted(map(repr, pair[0].rows)), sorted(map(repr, pair[1].rows)))
    return out


NONEABLE = [item.key for item in basicinfo.MANDATORY if item.noneable]


@pytest.fixture
def busy_world(make_dossier, make_staff, agencies, synth):
    """60 dossiers, then 250 random operations: edits, every kind of history, items declared "无", shelving,
    entrustment, transfers out and in."""
    rng = random.Random(20261201)
    staff = {
        code: {r: make_staff(code, r) for r in (Role.COUNTER_CLERK, Role.APPROVER, Role.ARCHIVE_KEEPER)}
        for code in DISTRICTS
    }
    dossiers = [
        make_dossier(
            rng.choice(DISTRICTS),
            political_status=rng.choice(["01", "03", "13", ""]),
            person_category=rng.choice(["1", "3", "6"]),
            phone=rng.choice(["13805351234", ""]),
            native_place=rng.choice(["山东烟台", ""]),
            work_started_on=rng.choice([dt.date(2015, 7, 1), None]),
        )
        for _ in range(60)
    ]
    rooms = {}
    for dossier in rng.sample(dossiers, 15):
        place(dossier, staff[DISTRICTS[0]][Role.ARCHIVE_KEEPER], rooms)
    for step in range(250):
        dossier = Dossier.objects.select_related("holding_agency", "person").get(pk=rng.choice(dossiers).pk)
        if dossier.status not in ("in_custody",):
            continue
        clerk = staff[dossier.holding_agency.code][Role.COUNTER_CLERK]
        action = rng.choice(
            ["person", "education", "title", "employment", "qualification", "party", "none", "place", "entrustment",
             "transfer"]
        )  # fmt: skip
        if action == "person":
            person_update(
                actor=clerk, dossier_id=dossier.pk, reason="更正",
                changes={"political_status": rng.choice(["01", "13", "03"]), "ethnic_group": rng.choice(["01", "03"]),
                         "work_started_on": rng.choice([dt.date(dossier.person.birth_date.year + 22, 9, 1), None]),
                         "native_place": rng.choice(["山东烟台", ""])},
            )  # fmt: skip
        elif action == "education":
            history_add(
                actor=clerk, dossier_id=dossier.pk, kind="education",
                values={"education": rng.choice(["21", "31", "14"]), "school": "烟台大学", "is_highest": rng.random() < 0.8,
                        "degree": rng.choice(["4", ""]), "major": rng.choice(["会计学", ""]),
                        "graduated_on": rng.choice([dt.date(2010, 7, 1), dt.date(2014, 7, 1), None])},
            )  # fmt: skip
        elif action == "title":
            history_add(
                actor=clerk, dossier_id=dossier.pk, kind="title",
                values={"title": "工程师", "level": rng.choice(["junior", "intermediate"]),
                        "obtained_on": rng.choice([dt.date(2019, 1, 1), None])},
            )  # fmt: skip
        elif action == "employment":
            history_add(
                actor=clerk, dossier_id=dossier.pk, kind="employment",
                values={"employer_name": "烟台市某公司", "credit_code": rng.choice([synth.employer().credit_code, ""]),
                        "started_on": rng.choice([dt.date(2018, 3, 1), None]),
                        "ended_on": rng.choice([None, dt.date(2020, 3, 1)])},
            )  # fmt: skip
        elif action == "qualification":
            history_add(
                actor=clerk, dossier_id=dossier.pk, kind="qualification", values={"name": "电工", "level": "四级"}
            )
        elif action == "party":
            history_add(
                actor=clerk, dossier_id=dossier.pk, kind="party",
                values={"organisation": "party", "joined_on": dt.date(2016, 7, 1),
                        "left_on": rng.choice([None, dt.date(2019, 1, 1)])},
            )  # fmt: skip
        elif action == "none":
            item_declare_none(actor=clerk, dossier_id=dossier.pk, key=rng.choice(NONEABLE))
        elif action == "place":
            placed = DossierLocation.objects.filter(dossier=dossier).first()
            if placed is None:
                place(dossier, staff[dossier.holding_agency.code][Role.ARCHIVE_KEEPER], rooms)
            else:
                placed.delete()
        elif action == "entrustment":
            with transaction.atomic():
                locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
                target = "collective" if locked.entrustment_type == "personal" else "personal"
                dossier_set_entrustment(actor=clerk, dossier=locked, entrustment_type=target, reason="测试")
        else:
            source = dossier.holding_agency.code
            target = rng.choice([c for c in DISTRICTS if c != source])
            transfer = transfer_apply(
                actor=clerk, person_id_number=dossier.person.id_number, requester_kind="person",
                applicant_name=dossier.person.name, to_agency=agencies[target], reason="调动",
                documents=["id_card", "request_letter"],
            )  # fmt: skip
            transfer_approve(actor=staff[source][Role.APPROVER], transfer_id=transfer.pk)
            transfer_dispatch(
                actor=staff[source][Role.ARCHIVE_KEEPER], transfer_id=transfer.pk, way="confidential_courier",
                tracking_no=f"JY{step}", dispatched_on=TODAY, items=3,
            )  # fmt: skip
            if rng.random() < 0.6:
                transfer_receive(
                    actor=staff[target][Role.ARCHIVE_KEEPER], transfer_id=transfer.pk,
                    arrived_by="confidential_courier", seal_intact=True, catalogue_matches=True,
                )  # fmt: skip
    return {
        "staff": staff,
        "city": make_staff("370600", Role.SUPERVISOR),
        "province": make_staff("370000", Role.SUPERVISOR),
    }


@pytest.mark.rule("R38")
@pytest.mark.rule("R46")
@pytest.mark.rule("R48")
def test_counters_agree_with_plain_counts_in_every_scope_after_random_operations(busy_world):
    users = [busy_world["city"], busy_world["province"], *(s[Role.COUNTER_CLERK] for s in busy_world["staff"].values())]
    for user in users:
        for name, (from_counters, from_tables) in _sections(scope_for(user)).items():
            assert from_counters == from_tables, (user.username, name)
    held = dict(stock.count(scope_for(busy_world["city"]), TODAY).rows)["在库档案"]
    assert held == Dossier.objects.filter(status__in=("in_custody", "on_loan", "in_transfer")).count()
    assert held > 0


@pytest.mark.rule("R38")
def test_counters_kept_by_the_services_equal_a_full_rebuild(busy_world):
    kept = _counters()
    assert kept
    assert aggregates.rebuild() == Dossier.objects.count()
    assert _counters() == kept


def test_a_bulk_writer_that_reports_its_dossiers_keeps_the_counters(busy_world, agencies):
    """COPY and bulk_create send no signals: the writer reports the dossiers (`dossiers.changes`)."""
    person = Person.objects.bulk_create(
        [Person(id_number="370602199001011237", name="批量", sex="1", birth_date=dt.date(1990, 1, 1))]
    )[0]
    holder = agencies["370602"]
    dossier = Dossier.objects.bulk_create(
        [Dossier(person=person, number="B000001", holding_agency=holder, custodian_id=holder.default_custodian_id or holder.pk,
                 received_on=TODAY, barcode="DAB000001", source_name="原行业档案室")]
    )[0]  # fmt: skip
    EducationRecord.objects.bulk_create(
        [EducationRecord(person=person, education="21", school="烟台大学", is_highest=True)]
    )
    assert not DossierFacts.objects.filter(dossier_id=dossier.pk).exists()
    changes.dossiers_written([dossier.pk])
    scope = scope_for(busy_world["city"])
    for name, (from_counters, from_tables) in _sections(scope).items():
        assert from_counters == from_tables, name
    assert dict(stock.origins(scope).rows).get("原行业档案室") == 1


def test_the_check_command_finds_a_drifted_counter_and_rebuild_repairs_it(busy_world, capsys):
    call_command("analytics_rebuild", "--check")
    assert "agree" in capsys.readouterr().out
    row = StockCount.objects.filter(dimension="political").first()
    StockCount.objects.filter(pk=row.pk).update(n=row.n + 5)
    with pytest.raises(Exception, match="differ"):
        call_command("analytics_rebuild", "--check")
    call_command("analytics_rebuild")
    call_command("analytics_rebuild", "--check")


@pytest.mark.rule("R38")
def test_age_bands_from_monthly_counters_are_exact_at_every_band_boundary(make_dossier, make_staff):
    """Births are counted by month; the months a boundary falls in are resolved by day."""
    for low, high in figures.AGE_BANDS:
        oldest, youngest = figures.band_births(TODAY, low, high)
        for birth in (oldest - dt.timedelta(days=1), oldest, youngest, youngest + dt.timedelta(days=1)):
            make_dossier("370602", birth_date=birth, sex=rng_sex(birth))
    make_dossier("370602", birth_date=dt.date(1990, 6, 15), sex="1")
    scope = scope_for(make_staff("370602", Role.COUNTER_CLERK))
    from_counters, from_tables = stock.age_by_sex(scope, TODAY).rows, figures.age_by_sex(scope, TODAY).rows
    assert from_counters == from_tables
    assert sum(r[1] + r[2] for r in from_counters) == 4 * len(figures.AGE_BANDS) + 1


def rng_sex(birth):
    return "1" if birth.toordinal() % 2 else "2"


@pytest.mark.rule("R35")
def test_the_incomplete_records_download_streams_every_one_least_complete_first(busy_world, client):
    from io import BytesIO

    from django.urls import reverse
    from openpyxl import load_workbook

    user = busy_world["city"]
    client.force_login(user)
    response = client.get(reverse("analytics:home"), {"export": "incomplete"})
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content)), read_only=True).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(min_row=2, values_only=True)]
    expected = [r for r in figures.worst_records(scope_for(user), limit=10_000).rows if not r[3].startswith("26/")]
    assert rows == expected
    assert rows


@pytest.mark.rule("R38")
def test_facts_built_in_sql_equal_the_facts_built_one_dossier_at_a_time(busy_world):
    from django.db import connection

    from dangan.analytics.models import DossierFacts

    if connection.vendor != "postgresql":
        pytest.skip("the set-based rebuild is PostgreSQL's; elsewhere rebuild uses _facts itself")
    by_python = aggregates._facts(Dossier.objects.all())
    assert any(f.educations for f in by_python.values())
    assert any(f.titles for f in by_python.values())
    aggregates.rebuild()
    fields = ["dossier_id", *aggregates.FACT_FIELDS]
    by_sql = {f.dossier_id: [getattr(f, n) for n in fields] for f in DossierFacts.objects.all()}
    assert by_sql == {i: [getattr(f, n) for n in fields] for i, f in by_python.items()}


@pytest.mark.rule("R38")
def test_facts_of_some_dossiers_equal_the_facts_built_by_the_orm(busy_world):
    """What each change's refresh reads (one statement on PostgreSQL) is `_facts`' definition."""
    ids = list(Dossier.objects.order_by("pk").values_list("pk", flat=True))
    by_orm = aggregates._facts(Dossier.objects.filter(pk__in=ids))
    fields = ["dossier_id", *aggregates.FACT_FIELDS]
    some = aggregates._facts_of(ids[::2])
    assert set(some) == set(ids[::2])
    assert {i: [getattr(f, n) for n in fields] for i, f in some.items()} == {
        i: [getattr(by_orm[i], n) for n in fields] for i in ids[::2]
    }


@pytest.mark.rule("R38")
def test_refreshing_dossiers_never_counted_stores_the_orm_facts_and_counts_them_once(busy_world):
    """Never-counted dossiers (an import's) get their facts from one INSERT … SELECT on PostgreSQL; the stored
    facts are `_facts`' definition and the counters equal a rebuild. Counting one twice fails, never doubles."""
    from django.db import IntegrityError, connection

    ids = list(Dossier.objects.order_by("pk").values_list("pk", flat=True))
    forgotten = ids[1::3]
    kept = _counters()
    by_orm = aggregates._facts(Dossier.objects.filter(pk__in=forgotten))
    DossierFacts.objects.filter(dossier_id__in=forgotten).delete()
    aggregates.refresh(forgotten)  # counted again on top of counters that already held them
    fields = ["dossier_id", *aggregates.FACT_FIELDS]
    stored = {
        f.dossier_id: [getattr(f, n) for n in fields] for f in DossierFacts.objects.filter(dossier_id__in=forgotten)
    }
    assert stored == {i: [getattr(by_orm[i], n) for n in fields] for i in forgotten}
    held = sum(n for _agency, dimension, _key, n in kept if dimension == "held")
    held_again = sum(n for _agency, dimension, _key, n in _counters() if dimension == "held")
    assert held_again == held + sum(by_orm[i].in_stock for i in forgotten) > held
    assert aggregates.rebuild() == len(ids)
    assert _counters() == kept
    if connection.vendor == "postgresql":
        with pytest.raises(IntegrityError), transaction.atomic():
            aggregates._insert_facts_of(forgotten[:1])


@pytest.mark.rule("R35")
@pytest.mark.rule("R46")
def test_facts_count_the_mandatory_items_as_the_dossier_page_does(busy_world):
    """The facts' filled count and missing items are `basicinfo.completeness` (the dossier page's definition,
    with the storage app's own provider of item 25), for every dossier, by both ways of computing them."""
    dossiers = list(Dossier.objects.select_related("person").order_by("pk"))
    by_page = {d.pk: basicinfo.completeness(d.person, d) for d in dossiers}
    stored = {f.dossier_id: f for f in DossierFacts.objects.all()}
    by_orm = aggregates._facts(Dossier.objects.all())
    some = aggregates._facts_of([d.pk for d in dossiers])  # one prepared statement on PostgreSQL
    for pk, page in by_page.items():
        expected = (page.mandatory_filled, ",".join(str(item.no) for item in page.missing))
        for facts in (stored[pk], by_orm[pk], some[pk]):
            assert (facts.filled, facts.missing) == expected, pk
    # the random world reaches every kind of item: declared "无", the Party date, shelved or not, complete or not
    declared = [d for d in dossiers if d.person.declared_none]
    assert declared
    assert all(by_page[d.pk].mandatory_filled > 0 for d in declared)
    missing = {item.key for page in by_page.values() for item in page.missing}
    assert {"work_started_on", "education", "degree", "location", "party_joined_on", "credit_code"} <= missing
    assert len({page.mandatory_filled for page in by_page.values()}) >= 5
