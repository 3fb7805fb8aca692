import datetime as dt

import pytest

from dangan.agencies.models import Role
from dangan.dossiers.models import EducationRecord, EmploymentRecord, FamilyMember, TitleRecord


@pytest.fixture
def staff(make_staff):
    return {
        "clerk": make_staff("370602", Role.COUNTER_CLERK),
        "approver": make_staff("370602", Role.APPROVER),
        "admin": make_staff("370602", Role.ADMINISTRATOR),
        "laizhou_clerk": make_staff("370683", Role.COUNTER_CLERK),
        "laizhou_approver": make_staff("370683", Role.APPROVER),
    }


@pytest.fixture
def full_dossier(make_dossier):
    """A dossier whose record has what every default certificate type needs."""

    def make(agency_code="370602", **person_fields):
        values = {"name": "张三", "work_started_on": dt.date(2015, 7, 1), "political_status": "13"}
        values.update(person_fields)
        dossier = make_dossier(agency_code, **values)
        person = dossier.person
        EducationRecord.objects.create(
            person=person, education="21", school="烟台大学", major="计算机科学与技术",
            started_on=dt.date(2011, 9, 1), graduated_on=dt.date(2015, 6, 30), is_highest=True,
        )  # fmt: skip
        EmploymentRecord.objects.create(
            person=person, employer_name="烟台某某科技有限公司", position="软件工程师",
            started_on=dt.date(2015, 7, 1), ended_on=dt.date(2020, 12, 31),
        )  # fmt: skip
        EmploymentRecord.objects.create(
            person=person, employer_name="烟台某某网络有限公司", started_on=dt.date(2021, 1, 4)
        )
        TitleRecord.objects.create(
            person=person, title="工程师", level="intermediate", obtained_on=dt.date(2019, 12, 1)
        )
        FamilyMember.objects.create(person=person, relation="父亲", name="张大山", employer="烟台市某某小学 教师")
        FamilyMember.objects.create(person=person, relation="母亲", name="李秀英")
        return dossier

    return make


@pytest.fixture
def apply_for(staff):
    from dangan.certificates.services import certificate_apply

    def apply(dossier, type_code="custody", actor=None, **kw):
        values = {
            "actor": actor or staff["clerk"], "type_code": type_code, "person_id_number": dossier.person.id_number,
            "applicant_kind": "person", "applicant_name": dossier.person.name, "documents": ["id_card"],
            "purpose": "办理落户", "addressee": "烟台市公安局芝罘分局",
        }  # fmt: skip
        values.update(kw)
        return certificate_apply(**values)

    return apply
