"""R35/R46: the dashboard's completeness, its worst records and the 待补录档案清单 download count the 26
mandatory items as the dossier's own page does (`dossiers.basicinfo`), and name the items still missing; the
counters follow every change and agree with a direct recount and with a full rebuild."""

import datetime as dt
from io import BytesIO

import pytest
from django.core.cache import cache
from django.urls import reverse
from openpyxl import load_workbook

from dangan.agencies.models import Role
from dangan.analytics import aggregates, figures, mandatory, stock
from dangan.analytics.models import StockCount
from dangan.analytics.scope import scope_for
from dangan.analytics.tests.helpers import complete
from dangan.dossiers import basicinfo
from dangan.dossiers.services import history_add, item_declare_none, person_update

TODAY = dt.date.today()


def _counters():
    return sorted(StockCount.objects.exclude(n=0).values_list("agency_id", "dimension", "key", "n"))


def _download(client):
    response = client.get(reverse("analytics:home"), {"export": "incomplete"})
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content)), read_only=True).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["档案编号", "姓名", "存档机构", "已填项", "待补项目"]
    return rows[1:]


@pytest.fixture
def setting(make_dossier, make_staff, synth, client):
    clerk = make_staff("370602", Role.COUNTER_CLERK)
    credit_code = synth.employer().credit_code
    full = complete(make_dossier, clerk, "370602", credit_code=credit_code, name="赵完整")
    gappy = complete(
        make_dossier, clerk, "370602", credit_code=credit_code, education=False, work_started_on=None, name="张晓梅"
    )
    client.force_login(clerk)
    return {"clerk": clerk, "full": full, "gappy": gappy, "scope": scope_for(clerk)}


def _check(setting, client, filled, missing):
    """Dashboard figure (from the counters and by direct recount), the download and the dossier page agree."""
    gappy, scope = setting["gappy"], setting["scope"]
    gappy.refresh_from_db()
    page = basicinfo.completeness(gappy.person, gappy)
    assert (page.mandatory_filled, "、".join(i.label for i in page.missing)) == (filled, missing)
    short = gappy.holding_agency.short_name
    row = [gappy.number, "张晓梅", short, f"{filled}/26", missing]
    full = [setting["full"].number, "赵完整", short, "26/26", ""]
    for worst in (stock.worst_records(scope), figures.worst_records(scope)):
        assert worst.header[3:] == ["已填项", "待补项目"]
        assert worst.rows == ([row, full] if filled < 26 else [full, row])  # least complete first, then by age
    percent = f"{100 * (filled + 26) / 52:.1f}%"
    assert stock.quality(scope).rows == figures.quality(scope).rows == [[gappy.holding_agency.name, 2, percent]]
    assert _download(client) == ([row] if filled < 26 else [])
    kept = _counters()
    aggregates.rebuild()
    assert _counters() == kept


@pytest.mark.rule("R35")
@pytest.mark.rule("R46")
def test_missing_items_are_named_and_counted_as_the_dossier_page_counts_them(setting, client):
    clerk, gappy = setting["clerk"], setting["gappy"]
    _check(setting, client, 20, "参加工作时间、最高学历、最高学位、毕业院校、所学专业、毕业时间")
    cache.clear()
    body = client.get(reverse("analytics:home")).content.decode()
    assert "张晓梅" in body
    assert "参加工作时间、最高学历、最高学位、毕业院校、所学专业、毕业时间" in body
    assert "export=incomplete" in body

    # the data clerk confirms the person has no degree and no major: "无" counts as filled
    item_declare_none(actor=clerk, dossier_id=gappy.pk, key="degree")
    item_declare_none(actor=clerk, dossier_id=gappy.pk, key="major")
    _check(setting, client, 22, "参加工作时间、最高学历、毕业院校、毕业时间")

    history_add(
        actor=clerk, dossier_id=gappy.pk, kind="education",
        values={"education": "31", "school": "烟台职业学院", "graduated_on": dt.date(2011, 6, 30), "is_highest": True},
    )  # fmt: skip
    _check(setting, client, 25, "参加工作时间")

    birth = gappy.person.birth_date
    person_update(
        actor=clerk, dossier_id=gappy.pk, reason="补录", changes={"work_started_on": dt.date(birth.year + 20, 9, 1)}
    )
    _check(setting, client, 26, "")


@pytest.mark.rule("R35")
def test_a_party_member_without_a_current_membership_misses_the_joining_date(setting, client):
    clerk, gappy = setting["clerk"], setting["gappy"]
    person_update(actor=clerk, dossier_id=gappy.pk, reason="更正", changes={"political_status": "01"})
    _check(setting, client, 19, "入党（团）时间、参加工作时间、最高学历、最高学位、毕业院校、所学专业、毕业时间")
    history_add(
        actor=clerk, dossier_id=gappy.pk, kind="party",
        values={"organisation": "party", "joined_on": dt.date(2015, 7, 1), "left_on": dt.date(2018, 1, 1)},
    )  # fmt: skip
    _check(setting, client, 19, "入党（团）时间、参加工作时间、最高学历、最高学位、毕业院校、所学专业、毕业时间")
    history_add(
        actor=clerk,
        dossier_id=gappy.pk,
        kind="party",
        values={"organisation": "party", "joined_on": dt.date(2019, 7, 1)},
    )
    _check(setting, client, 20, "参加工作时间、最高学历、最高学位、毕业院校、所学专业、毕业时间")


@pytest.mark.rule("R35")
def test_taking_a_dossier_off_its_shelf_leaves_item_25_missing(setting, client):
    setting["full"].storage_place.delete()
    setting["full"].refresh_from_db()
    scope = setting["scope"]
    for worst in (stock.worst_records(scope), figures.worst_records(scope)):
        assert worst.rows[1][3:] == ["25/26", "存放位置"]


def test_every_mandatory_item_is_counted():
    assert mandatory.TOTAL == len(basicinfo.MANDATORY) == 26
    assert mandatory.labels("10,11,25") == "参加工作时间、最高学历、存放位置"
    assert mandatory.encode(basicinfo.MANDATORY) == ",".join(str(n) for n in range(1, 27))
    assert len(mandatory.encode(basicinfo.MANDATORY)) <= 100  # DossierFacts.missing


@pytest.mark.rule("R46")
def test_facts_counted_by_the_older_rule_are_rebuilt_after_migrate(make_dossier):
    from django.apps import apps

    from dangan.analytics.apps import _rebuild_if_stale
    from dangan.analytics.models import DossierFacts, StockCount

    dossier = make_dossier("370602")
    fresh = DossierFacts.objects.get(dossier=dossier)
    assert fresh.missing  # a test dossier lacks several mandatory items
    DossierFacts.objects.filter(dossier=dossier).update(missing="", filled=7)  # as the ten-field rule left it
    StockCount.objects.filter(dimension="filled").update(n=7)
    _rebuild_if_stale(apps.get_app_config("analytics"))
    rebuilt = DossierFacts.objects.get(dossier=dossier)
    assert (rebuilt.missing, rebuilt.filled) == (fresh.missing, fresh.filled)
    assert StockCount.objects.get(dimension="filled", agency_id=dossier.holding_agency_id).n == fresh.filled
