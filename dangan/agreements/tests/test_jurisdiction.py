"""Who serves whom (R2, R3, R4): realistic Yantai cases, each option with its reason."""

import pytest

from dangan.agreements.jurisdiction import Places, Situation, for_employer, for_person, require
from dangan.core.errors import ValidationFailed


def codes(options):
    return [o.agency.code for o in options]


@pytest.mark.rule("R2")
def test_r2_city_registered_company_chooses_city_center_or_its_district(agencies):
    # given a company registered with the city market regulator, sitting in 芝罘区
    options = for_employer(registration_level="city", county_code="370602")
    # then the city center and 芝罘区 may serve it, each with the reason, and 莱州 may not
    assert codes(options) == ["370600", "370602"]
    assert all(reason.startswith("R2") for o in options for reason in o.reasons)
    assert "市公共就业和人才服务中心" in options[0].reasons[0]
    assert "芝罘区" in options[1].reasons[0]
    with pytest.raises(ValidationFailed) as refused:
        require(options, agencies["370683"], field_name="agency", subject="该单位")
    assert "莱州市公共就业和人才服务中心不是该单位的存档机构" in refused.value.message
    assert "烟台市公共就业和人才服务中心" in refused.value.message
    assert "R2" in refused.value.message


@pytest.mark.rule("R2")
def test_r2_district_registered_employer_goes_to_its_district_only(agencies):
    options = for_employer(registration_level="district", county_code="370683")
    assert codes(options) == ["370683"]
    assert "区市" in options[0].reasons[0]
    with pytest.raises(ValidationFailed):
        require(options, agencies["370600"], field_name="agency", subject="该单位")


@pytest.mark.rule("R2")
def test_r2_county_code_maps_to_the_ordinary_district_not_the_functional_zone(agencies):
    # 莱山区 370613 and 高新区 share the region code; only the one without a statistical code is the district
    assert codes(for_employer(registration_level="district", county_code="370613")) == ["370613"]
    # unless the employer says it sits in the zone
    zone = agencies["370671"]
    assert codes(for_employer(registration_level="district", county_code="370613", zone_agency=zone)) == ["370671"]
    assert codes(for_employer(registration_level="city", county_code="370613", zone_agency=zone)) == [
        "370600",
        "370671",
    ]


@pytest.mark.rule("R2")
def test_r2_works_in_another_city_too(agencies):
    assert codes(for_employer(registration_level="city", county_code="370102")) == ["370100", "370102"]


@pytest.mark.rule("R3")
def test_r3_resigned_civil_servant_by_household_registration_or_former_employer(agencies):
    # a civil servant who resigned, registered in 莱州, whose former employer sits in 芝罘区
    places = Places(household_region="370683", former_employer_region="370602", work_region="370611")
    options = for_person(situation=Situation.PUBLIC_STAFF_LEFT, places=places)
    assert codes(options) == ["370683", "370602"]
    assert "R3" in options[0].reasons[0]
    assert "户籍所在地" in options[0].reasons[0]
    assert "原用人单位所在地" in options[1].reasons[0]
    # the place of work does not count for R3, nor does the city center
    with pytest.raises(ValidationFailed):
        require(options, agencies["370611"], field_name="situation", subject="该人员档案")
    with pytest.raises(ValidationFailed):
        require(options, agencies["370600"], field_name="situation", subject="该人员档案")


@pytest.mark.rule("R3")
@pytest.mark.parametrize("situation", [Situation.FLEXIBLE, Situation.ABROAD, Situation.CONTRACT_ENDED])
def test_r3_other_individuals_by_household_registration(agencies, situation):
    options = for_person(situation=situation, places=Places(household_region="370687"))
    assert codes(options) == ["370687"]


@pytest.mark.rule("R4")
def test_r4_graduate_has_three_choices(agencies):
    # a self-employed graduate: household now in 芝罘区, before university in 莱阳, business in 福山区
    places = Places(household_region="370602", pre_enrolment_region="370682", work_region="370611")
    options = for_person(situation=Situation.GRADUATE_SELF_EMPLOYED, places=places)
    assert codes(options) == ["370602", "370682", "370611"]
    assert ["户籍所在地" in options[0].reasons[0], "入学前户籍所在地" in options[1].reasons[0]] == [True, True]
    assert "就业、创业所在地" in options[2].reasons[0]
    assert all(o.reasons[0].startswith("R4") for o in options)


@pytest.mark.rule("R4")
def test_r4_graduate_whose_employer_keeps_no_collective_dossiers_merges_equal_places(agencies):
    places = Places(household_region="370602", pre_enrolment_region="370602", work_region="370613")
    options = for_person(situation=Situation.GRADUATE_NO_COLLECTIVE, places=places)
    assert codes(options) == ["370602", "370613"]
    assert len(options[0].reasons) == 2


@pytest.mark.rule("R8")
def test_r8_a_leaving_collective_employee_may_stay_where_the_dossier_is(agencies):
    places = Places(household_region="370683", former_employer_region="370602")
    options = for_person(situation=Situation.COLLECTIVE_DEPARTURE, places=places, current_holder=agencies["370600"])
    assert codes(options) == ["370600", "370683", "370602"]
    assert "R6、R8" in options[0].reasons[0]


def test_no_agency_found_gives_a_clear_message(agencies):
    options = for_person(situation=Situation.FLEXIBLE, places=Places(household_region="110101"))
    assert options == []
    with pytest.raises(ValidationFailed) as refused:
        require(options, agencies["370602"], field_name="situation", subject="该人员档案")
    assert "找不到" in refused.value.message
