"""The pure parts: the transition table, the R20 test, dates with their precision."""

import datetime

import pytest

from dangan.materials import formed, workflow
from dangan.materials.workflow import MaterialStatus as S


def test_status_moves_only_along_the_table():
    assert workflow.can_move(S.RECEIVED, S.ACCEPTED)
    assert workflow.can_move(S.RECEIVED, S.RETURNED)
    assert workflow.can_move(S.ACCEPTED, S.FILED)
    assert not workflow.can_move(S.RECEIVED, S.FILED)
    assert not workflow.can_move(S.RETURNED, S.ACCEPTED)
    assert not workflow.can_move(S.FILED, S.RECEIVED)
    assert workflow.process_for(S.ACCEPTED, S.FILED) == "file"
    assert set(workflow.TRANSITIONS) == set(S.values)


def test_the_return_reasons_are_the_five_the_rules_name():
    assert set(workflow.ReturnReason.values) == {
        "incomplete", "unsigned_unstamped", "not_dossier_material", "abolished", "copy_not_original",
    }  # fmt: skip


@pytest.mark.rule("R20")
@pytest.mark.parametrize(
    ("material_class", "title", "formed_on"),
    [
        ("9-1", "转正定级审批表", datetime.date(1998, 7, 1)),
        ("1", "转 正 定 级 表", None),
        ("9-1", "工资调整审批表", datetime.date(2016, 10, 1)),
        ("9-1", "2016年度工资审批表", datetime.date(2016, 1, 1)),
        ("10", "调资呈报表", datetime.date(2003, 1, 1)),
        ("10", "工资介绍信", datetime.date(2019, 1, 1)),
        ("10", "行政介绍信", datetime.date(2019, 1, 1)),
    ],
)
def test_r20_abolished_kinds_are_recognised(material_class, title, formed_on):
    assert workflow.abolished_kind(material_class, title, formed_on)


@pytest.mark.rule("R20")
@pytest.mark.parametrize(
    ("material_class", "title", "formed_on"),
    [
        ("9-1", "工资审批表", datetime.date(2014, 12, 31)),  # wage records before 2015 stay
        ("9-1", "工资审批表", None),
        ("9-2", "任职通知", datetime.date(2020, 1, 1)),
        ("1", "干部履历表", datetime.date(2020, 1, 1)),
    ],
)
def test_r20_other_materials_may_be_filed(material_class, title, formed_on):
    assert workflow.abolished_kind(material_class, title, formed_on) is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2010", (datetime.date(2010, 1, 1), "year")),
        ("2010.3", (datetime.date(2010, 3, 1), "month")),
        ("2010-03", (datetime.date(2010, 3, 1), "month")),
        ("2010年3月", (datetime.date(2010, 3, 1), "month")),
        ("2010.03.05", (datetime.date(2010, 3, 5), "day")),
        ("2010年3月5日", (datetime.date(2010, 3, 5), "day")),
        ("20100305", (datetime.date(2010, 3, 5), "day")),
        ("", (None, "undated")),
    ],
)
def test_dates_are_read_with_their_precision(text, expected):
    assert formed.parse(text) == expected


@pytest.mark.parametrize("text", ["10.3", "2010.13", "2010.02.30", "abc", "2010.1.2.3"])
def test_impossible_dates_are_refused_in_chinese(text):
    with pytest.raises(ValueError, match=r"[\u4e00-\u9fff]"):
        formed.parse(text)


def test_dates_display_as_year_month_day_with_the_precision_known():
    day = datetime.date(2010, 3, 5)
    assert formed.display(day, "day") == "2010.03.05"
    assert formed.display(day.replace(day=1), "month") == "2010.03"
    assert formed.display(day.replace(month=1, day=1), "year") == "2010"
    assert formed.display(None, "undated") == ""


def test_filing_order_puts_a_bare_year_first_in_its_year_and_undated_last():
    keys = {
        "2009.12.31": formed.sort_key(datetime.date(2009, 12, 31), "day"),
        "2010": formed.sort_key(datetime.date(2010, 1, 1), "year"),
        "2010.01": formed.sort_key(datetime.date(2010, 1, 1), "month"),
        "2010.01.01": formed.sort_key(datetime.date(2010, 1, 1), "day"),
        "2010.03": formed.sort_key(datetime.date(2010, 3, 1), "month"),
        "2010.03.05": formed.sort_key(datetime.date(2010, 3, 5), "day"),
        "undated": formed.sort_key(None, "undated"),
    }
    assert sorted(keys, key=keys.__getitem__) == list(keys)


def test_normalise_keeps_only_what_the_precision_says():
    day = datetime.date(2010, 3, 5)
    assert formed.normalise(day, "year") == datetime.date(2010, 1, 1)
    assert formed.normalise(day, "month") == datetime.date(2010, 3, 1)
    assert formed.normalise(day, "undated") is None
    with pytest.raises(ValueError, match="时间"):
        formed.normalise(None, "day")
