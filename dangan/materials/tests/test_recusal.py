"""R13 recusal (回避) on the materials paths: no one consults or handles their own dossier or a relative's.

Clause checked throughout: "no one may consult or borrow their own dossier or that of a relative" — here the list of
materials, one material, the catalogue in every export format, and the receive, appraise and file actions.
"""

import pytest
from django.urls import reverse

from dangan.audit.models import AuditEvent
from dangan.core.errors import PermissionDenied
from dangan.dossiers.models import FamilyMember
from dangan.lending.services import relative_declare
from dangan.materials.models import Material
from dangan.materials.services import material_appraise, material_file, material_read
from dangan.materials.tests.test_api import BODY


def _own_dossier(user, dossier):
    """The staff member's ID number is the person's: the dossier is their own."""
    user.staff.id_number = dossier.person.id_number
    user.staff.save(update_fields=["id_number"])
    return user


def _refused_json(response):
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "recusal"
    assert "本人" in body["message"]
    assert "R13" in body["message"]
    assert body["fields"] == {}
    return body


@pytest.mark.rule("R13")
def test_r13_own_dossier_material_list_through_the_api_is_refused_and_the_refusal_audited(zhifu, api_client, receive):
    """R13 clause: no one may consult their own dossier — the material list; a colleague still reads it."""
    receive()
    _own_dossier(zhifu.clerk, zhifu.dossier)
    api_client.force_authenticate(zhifu.clerk)
    body = _refused_json(api_client.get("/api/v1/materials/", {"dossier": zhifu.dossier.pk}))
    refused = AuditEvent.objects.get(action="dossier.read_refused")
    assert (refused.dossier_id, refused.reason, refused.after) == (
        zhifu.dossier.pk,
        body["message"],
        {"read": "materials"},
    )
    assert not AuditEvent.objects.filter(action="materials.viewed").exists()

    api_client.force_authenticate(zhifu.counter)
    listed = api_client.get("/api/v1/materials/", {"dossier": zhifu.dossier.pk})
    assert listed.status_code == 200
    assert len(listed.json()["results"]) == 1


@pytest.mark.rule("R13")
def test_r13_own_dossier_single_material_is_refused(zhifu, api_client, receive):
    """R13 clause: no one may consult their own dossier — one material, by the API and the service."""
    material = receive()
    _own_dossier(zhifu.approver, zhifu.dossier)
    api_client.force_authenticate(zhifu.approver)
    _refused_json(api_client.get(f"/api/v1/materials/{material.pk}/"))
    with pytest.raises(PermissionDenied, match="回避") as refused:
        material_read(actor=zhifu.approver, material_id=material.pk)
    assert refused.value.code == "recusal"
    assert AuditEvent.objects.filter(action="dossier.read_refused", after={"read": "material"}).count() == 2
    assert material_read(actor=zhifu.counter, material_id=material.pk).pk == material.pk


@pytest.mark.rule("R13")
@pytest.mark.parametrize("fmt", ["json", "pdf", "xlsx"])
def test_r13_own_dossier_catalogue_export_through_the_api_is_refused(zhifu, api_client, filed, fmt):
    """R13 clause: no one may consult their own dossier — the catalogue in JSON, PDF and Excel; a colleague exports."""
    filed()
    url = {"json": "/api/v1/catalogues/{}/", "pdf": "/api/v1/catalogues/{}/pdf/", "xlsx": "/api/v1/catalogues/{}/xlsx/"}
    _own_dossier(zhifu.keeper, zhifu.dossier)
    api_client.force_authenticate(zhifu.keeper)
    _refused_json(api_client.get(url[fmt].format(zhifu.dossier.pk)))
    assert AuditEvent.objects.filter(action="dossier.read_refused", after={"read": f"catalogue.{fmt}"}).exists()
    assert not AuditEvent.objects.filter(action="catalogue.viewed").exists()

    api_client.force_authenticate(zhifu.approver)
    assert api_client.get(url[fmt].format(zhifu.dossier.pk)).status_code == 200


@pytest.mark.rule("R13")
@pytest.mark.parametrize("view", ["materials:dossier_section", "materials:catalogue_pdf", "materials:catalogue_xlsx"])
def test_r13_console_pages_of_an_own_dossier_show_the_reason(zhifu, client, view):
    """R13 clause: no one may consult their own dossier — the console pages refuse with the reason in Chinese."""
    _own_dossier(zhifu.bare, zhifu.dossier)
    client.force_login(zhifu.bare)
    response = client.get(reverse(view, args=[zhifu.dossier.pk]))
    assert response.status_code == 403
    assert 'data-testid="refusal">这是您本人的档案，按回避规定不得查阅、借阅或经办（R13）' in response.content.decode()
    client.force_login(zhifu.clerk)
    assert client.get(reverse(view, args=[zhifu.dossier.pk])).status_code == 200


@pytest.mark.rule("R13")
def test_r13_own_dossier_receiving_a_material_is_refused_and_nothing_is_written(zhifu, api_client, receive, client):
    """R13 clause: no one may handle their own dossier — receiving a material (service, API, console form)."""
    _own_dossier(zhifu.clerk, zhifu.dossier)
    with pytest.raises(PermissionDenied, match="本人") as refused:
        receive()
    assert refused.value.code == "recusal"

    api_client.force_authenticate(zhifu.clerk)
    _refused_json(api_client.post("/api/v1/materials/", {**BODY, "dossier": zhifu.dossier.pk}, format="json"))

    client.force_login(zhifu.clerk)
    page = client.get(reverse("materials:new", args=[zhifu.dossier.pk]))
    assert page.status_code == 403
    assert "按回避规定不得查阅、借阅或经办" in page.content.decode()
    assert (Material.objects.count(), AuditEvent.objects.count()) == (0, 0)

    assert receive(actor=zhifu.counter).received_by == zhifu.counter  # a colleague is not refused


@pytest.mark.rule("R13")
def test_r13_a_declared_relatives_material_is_not_appraised_by_them(zhifu, receive, client):
    """R13 clause: no one may handle a relative's dossier — appraisal, refused with the declared relation."""
    material = receive()
    relative_declare(
        actor=zhifu.approver, name=zhifu.dossier.person.name, id_number=zhifu.dossier.person.id_number,
        relation="spouse",
    )  # fmt: skip
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied, match="夫妻关系") as refused:
        material_appraise(actor=zhifu.approver, material_id=material.pk, decision="accept")
    assert refused.value.code == "recusal"
    client.force_login(zhifu.approver)
    response = client.post(reverse("materials:appraise", args=[material.pk]), {"decision": "accept"})
    assert response.status_code == 403
    assert "夫妻关系" in response.content.decode()
    material.refresh_from_db()
    assert (material.status, AuditEvent.objects.count()) == ("received", before)
    assert material_appraise(actor=zhifu.keeper, material_id=material.pk, decision="accept").status == "accepted"


@pytest.mark.rule("R13")
def test_r13_a_relative_listed_in_the_dossier_does_not_file_its_material(zhifu, accepted, make_dossier):
    """R13 clause: no one may handle a relative's dossier — filing, refused by the family row of the dossier."""
    material = accepted()
    own = make_dossier("370683")
    zhifu.keeper.staff.id_number = own.person.id_number
    zhifu.keeper.staff.save(update_fields=["id_number"])
    FamilyMember.objects.create(
        person=zhifu.dossier.person, relation="儿子", name="亲属", id_number=own.person.id_number
    )
    with pytest.raises(PermissionDenied, match="儿子") as refused:
        material_file(actor=zhifu.keeper, material_id=material.pk)
    assert refused.value.code == "recusal"
    material.refresh_from_db()
    assert (material.status, material.sequence) == ("accepted", None)
