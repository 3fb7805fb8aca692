import pytest

from dangan.core.codetables import region_name, regions_under, table


def test_yantai_counties_are_the_current_eleven():
    codes = {c.code for c in regions_under("370600")}
    assert codes == {
        "370602",
        "370611",
        "370612",
        "370613",
        "370614",
        "370681",
        "370682",
        "370683",
        "370685",
        "370686",
        "370687",
    }
    assert "370634" not in table("regions")  # 长岛县, merged into 蓬莱区 in 2020
    assert region_name("370614") == "山东省烟台市蓬莱区"


def test_every_province_and_shandong_city_is_present():
    regions = table("regions")
    provinces = [c for c in regions.codes if c.extra["level"] == "province"]
    assert len(provinces) == 34
    assert len([c for c in regions_under("370000") if c.extra["level"] == "city"]) == 16
    shandong_counties = [c for c in regions.codes if c.code.startswith("37") and c.extra["level"] == "county"]
    assert len(shandong_counties) == 136


@pytest.mark.parametrize(
    ("name", "count", "sample"),
    [
        ("sex", 4, ("2", "女")),
        ("ethnic_group", 58, ("10", "朝鲜族")),
        ("political_status", 13, ("13", "群众")),
        ("employer_nature", 5, ("3", "民办非企法人")),
        ("person_category", 7, ("6", "自由职业或灵活就业人员")),
    ],
)
def test_code_tables_hold_their_standard(name, count, sample):
    code_table = table(name)
    assert len(code_table.codes) == count
    assert code_table.label(sample[0]) == sample[1]
    assert code_table.standard


def test_education_codes_are_two_digit_and_grouped():
    education = table("education")
    assert education.label("21") == "大学本科毕业"
    assert all(len(c.code) == 2 for c in education.codes)
    assert {c.extra["level"] for c in education.codes} >= {"10", "20", "30", "90"}
