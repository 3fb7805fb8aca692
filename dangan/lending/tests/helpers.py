"""Helpers of the lending tests: values for applications, materials, family rows."""

import datetime as dt

from dangan.dossiers.models import FamilyMember
from dangan.materials.models import Material


def add_materials(dossier, user, pages=(3, 5)):
    for index, count in enumerate(pages, start=1):
        Material.objects.create(
            dossier=dossier, material_class="1", title=f"履历表{index}", formed_on=dt.date(2020, index, 1), pages=count,
            source="employer", received_on=dt.date(2024, 3, 1), received_by=user, status="filed", sequence=index,
        )  # fmt: skip


def readers_of(people, n=2):
    return [{"name": p.name, "id_number": p.id_number, "post": "科员"} for p in people[:n]]


def consultation_values(dossier, people, org_code, **kw):
    values = {
        "person_id_number": dossier.person.id_number, "organisation_name": "烟台市某局", "organisation_code": org_code,
        "letter_number": "烟某函〔2026〕1号", "letter_date": dt.date.today(), "reason": "干部考察",
        "content": "履历材料、考核材料", "purpose": "personnel", "readers": readers_of(people),
        "documents": ["request_letter", "reader_ids"],
    }  # fmt: skip
    values.update(kw)
    return values


def loan_values(dossier, people, org_code, **kw):
    values = {
        "person_id_number": dossier.person.id_number, "borrower_kind": "social_insurance",
        "borrower_name": "烟台市社会保险服务中心", "borrower_code": org_code, "letter_number": "烟社保借〔2026〕3号",
        "letter_date": dt.date.today(), "purpose": "退休待遇核定", "handler_name": people[3].name,
        "handler_id_number": people[3].id_number, "no_lending_on": True,
        "documents": ["loan_letter", "handler_id", "undertaking"],
    }  # fmt: skip
    values.update(kw)
    return values


def family(person, relation, id_number, name="亲属"):
    return FamilyMember.objects.create(person=person, relation=relation, name=name, id_number=id_number)
