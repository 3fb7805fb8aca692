"""Data entry of basic information (R35, R36): first-generation ID numbers, the 16th birthday as the earliest
start of work, the highest-education flag as a real yes/no."""

import datetime

import pytest
from django.urls import reverse

from dangan.agencies.models import Role
from dangan.core.errors import Conflict, ValidationFailed
from dangan.dossiers.basicinfo import birthday, work_started_too_early
from dangan.dossiers.lookup import dossier_lookup
from dangan.dossiers.models import Dossier, EducationRecord, Person
from dangan.dossiers.selectors import dossier_search, query_shape
from dangan.dossiers.services import dossier_receive, history_add, validate_person_data

TODAY = datetime.date(2026, 7, 10)
BORN = datetime.date(1985, 3, 7)


@pytest.fixture
def clerk(make_staff):
    return make_staff("370602", Role.COUNTER_CLERK)


@pytest.fixture
def numbers(synth):
    """An 18-digit number of someone born in 1985 and the 15-digit first-generation number it replaced."""
    eighteen = synth.id_number("370602", BORN, "1")
    return eighteen, eighteen[:6] + eighteen[8:17]


def _receive(clerk, intake_input, **person):
    data = intake_input()
    data.person.update(person)
    return dossier_receive(actor=clerk, data=data, today=TODAY)


# --- 15-digit first-generation ID numbers ------------------------------------------------------------------


@pytest.mark.rule("R36")
def test_intake_with_a_fifteen_digit_number_stores_the_eighteen_digit_one(clerk, intake_input, numbers):
    eighteen, legacy = numbers
    person = _receive(clerk, intake_input, id_number=legacy).dossier.person
    assert person.id_number == eighteen
    assert (person.birth_date, person.sex) == (BORN, "1")  # from the converted number
    assert not Person.objects.filter(id_number=legacy).exists()


@pytest.mark.rule("R36")
def test_the_fifteen_and_eighteen_digit_forms_are_one_person_at_intake(clerk, intake_input, numbers):
    eighteen, legacy = numbers
    _receive(clerk, intake_input, id_number=eighteen)
    with pytest.raises(Conflict):
        _receive(clerk, intake_input, id_number=legacy)
    assert Person.objects.count() == 1


@pytest.mark.rule("R36")
def test_api_intake_takes_a_fifteen_digit_number(api_client, clerk, synth, numbers):
    eighteen, legacy = numbers
    api_client.force_authenticate(clerk)
    p = synth.person()
    body = {
        "person": {"id_number": legacy, "name": p.name, "ethnic_group": "01", "native_place": "山东莱州",
                   "household_region": "370683", "political_status": "13", "person_category": "6", "phone": p.phone},
        "entrustment_type": "personal", "source_kind": "application", "source_name": "本人申请",
        "delivery": "registered_post", "received_on": "2026-07-01",
    }  # fmt: skip
    response = api_client.post("/api/v1/intakes/", body, format="json")
    assert response.status_code == 201, response.json()
    assert Dossier.objects.get(pk=response.json()["dossier"]).person.id_number == eighteen


@pytest.mark.rule("R36")
@pytest.mark.parametrize(
    ("legacy", "message"),
    [
        ("370602851307123", "身份证号码中的出生日期无效：851307"),  # month 13
        ("370602850229123", "身份证号码中的出生日期无效：850229"),  # 1985 is a common year
        ("37060285030712A", "15位身份证号码应全部为数字"),
    ],
)
def test_an_invalid_fifteen_digit_number_is_refused_in_chinese(clerk, intake_input, legacy, message):
    with pytest.raises(ValidationFailed) as caught:
        _receive(clerk, intake_input, id_number=legacy)
    assert caught.value.fields["id_number"] == [message]
    assert Dossier.objects.count() == 0


@pytest.mark.rule("R36")
def test_search_by_the_fifteen_digit_number_finds_the_dossier(client, clerk, intake_input, numbers):
    eighteen, legacy = numbers
    dossier = _receive(clerk, intake_input, id_number=legacy).dossier
    assert query_shape(legacy) == ("id_number", eighteen)
    assert list(dossier_search(clerk, legacy)) == [dossier]
    assert [h.id for h in dossier_lookup(clerk, legacy).hits] == [dossier.pk]
    assert [h.id for h in dossier_lookup(clerk, f" {legacy}\r").hits] == [dossier.pk]  # a scanner's CR
    client.force_login(clerk)
    assert dossier.number in client.get(reverse("dossiers:list"), {"q": legacy}).content.decode()


# --- The start of work: not before the 16th birthday ---------------------------------------------------------


def test_birthdays_are_exact_dates():
    assert birthday(datetime.date(1990, 5, 10), 16) == datetime.date(2006, 5, 10)
    assert birthday(datetime.date(1992, 2, 29), 16) == datetime.date(2008, 2, 29)  # 2008 is a leap year
    assert birthday(datetime.date(1992, 2, 29), 1) == datetime.date(1993, 3, 1)
    assert birthday(datetime.date(2084, 2, 29), 16) == datetime.date(2100, 3, 1)  # 2100 is not
    assert work_started_too_early(datetime.date(2084, 2, 29), datetime.date(2100, 2, 28))
    assert not work_started_too_early(datetime.date(2084, 2, 29), datetime.date(2100, 3, 1))


@pytest.mark.rule("R35")
@pytest.mark.parametrize(
    ("born", "started", "refused"),
    [
        (datetime.date(1990, 5, 10), datetime.date(2006, 5, 9), True),  # the day before the 16th birthday
        (datetime.date(1990, 5, 10), datetime.date(2006, 5, 10), False),  # on it
        (datetime.date(1990, 5, 10), datetime.date(2005, 6, 1), True),  # 15 years old: passed the old 365×14
        (datetime.date(1992, 2, 29), datetime.date(2008, 2, 28), True),
        (datetime.date(1992, 2, 29), datetime.date(2008, 2, 29), False),
    ],
)
def test_intake_refuses_a_start_of_work_before_the_sixteenth_birthday(
    clerk, intake_input, synth, born, started, refused
):
    number = synth.id_number("370602", born, "2")
    if refused:
        with pytest.raises(ValidationFailed) as caught:
            _receive(clerk, intake_input, id_number=number, work_started_on=started)
        assert caught.value.fields == {"work_started_on": ["参加工作时间早于16周岁，请核对"]}
        assert Dossier.objects.count() == 0
    else:
        person = _receive(clerk, intake_input, id_number=number, work_started_on=started).dossier.person
        assert (person.birth_date, person.work_started_on) == (born, started)


@pytest.mark.rule("R35")
def test_a_change_of_the_start_of_work_keeps_the_sixteenth_birthday(synth):
    number = synth.id_number("370602", datetime.date(1990, 5, 10), "1")
    person = {"name": "王小明", "id_number": number}
    assert validate_person_data({**person, "work_started_on": datetime.date(2006, 5, 10)})["sex"] == "1"
    with pytest.raises(ValidationFailed) as caught:
        validate_person_data({**person, "work_started_on": datetime.date(2006, 5, 9)})
    assert set(caught.value.fields) == {"work_started_on"}


# --- The highest-education flag -------------------------------------------------------------------------------


@pytest.fixture
def graduate(clerk, intake_input, make_staff):
    """A dossier whose intake registered one education, flagged highest; and a data clerk."""
    dossier = dossier_receive(actor=clerk, data=intake_input(), today=TODAY).dossier
    assert list(EducationRecord.objects.filter(person=dossier.person).values_list("is_highest", flat=True)) == [True]
    return dossier, make_staff("370602", Role.DATA_CLERK)


def _flags(dossier):
    return dict(EducationRecord.objects.filter(person=dossier.person).values_list("school", "is_highest"))


@pytest.mark.rule("R35")
@pytest.mark.parametrize(("flag", "highest"), [
    ("false", False), ("False", False), ("0", False), ("", False), (False, False), (0, False),
    ("true", True), ("True", True), ("1", True), ("on", True), (True, True), (1, True),
])  # fmt: skip
def test_history_add_reads_is_highest_as_a_yes_or_no(graduate, flag, highest):
    dossier, data_clerk = graduate
    values = {"education": "31", "school": "烟台职业学院", "is_highest": flag}
    row = history_add(actor=data_clerk, dossier_id=dossier.pk, kind="education", values=values)
    assert row.is_highest is highest
    assert _flags(dossier) == {"鲁东大学": not highest, "烟台职业学院": highest}


@pytest.mark.rule("R35")
def test_history_add_refuses_a_flag_it_cannot_read(graduate):
    dossier, data_clerk = graduate
    with pytest.raises(ValidationFailed) as caught:
        history_add(
            actor=data_clerk, dossier_id=dossier.pk, kind="education",
            values={"education": "31", "school": "烟台职业学院", "is_highest": "maybe"},
        )  # fmt: skip
    assert "is_highest" in caught.value.fields
    assert _flags(dossier) == {"鲁东大学": True}


@pytest.mark.rule("R35")
@pytest.mark.parametrize(("flag", "highest"), [("false", False), (False, False), ("true", True), (True, True)])
def test_api_history_reads_is_highest_as_a_yes_or_no(api_client, graduate, flag, highest):
    dossier, data_clerk = graduate
    api_client.force_authenticate(data_clerk)
    response = api_client.post(
        f"/api/v1/dossiers/{dossier.pk}/history/",
        {"kind": "education", "values": {"education": "31", "school": "烟台职业学院", "is_highest": flag}},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert _flags(dossier) == {"鲁东大学": not highest, "烟台职业学院": highest}


@pytest.mark.rule("R35")
def test_api_history_answers_400_for_a_flag_it_cannot_read(api_client, graduate):
    dossier, data_clerk = graduate
    api_client.force_authenticate(data_clerk)
    response = api_client.post(
        f"/api/v1/dossiers/{dossier.pk}/history/",
        {"kind": "education", "values": {"education": "31", "school": "烟台职业学院", "is_highest": "也许"}},
        format="json",
    )
    assert response.status_code == 400
    assert "is_highest" in response.json()["fields"]
    assert _flags(dossier) == {"鲁东大学": True}
