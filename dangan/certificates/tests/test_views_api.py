import pytest
from django.urls import reverse

from dangan.agencies.models import Role
from dangan.audit.models import AuditEvent
from dangan.certificates.models import Certificate
from dangan.certificates.services import certificate_issue


@pytest.fixture
def certificate(staff, full_dossier, apply_for):
    return certificate_issue(actor=staff["clerk"], request_id=apply_for(full_dossier()).pk)


def _users(make_staff):
    return {
        "no_role": make_staff("370602"),
        "right_role": make_staff("370602", Role.COUNTER_CLERK),
        "other_agency": make_staff("370681", Role.COUNTER_CLERK, Role.APPROVER),
    }


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("no_role", 404), ("right_role", 200), ("other_agency", 404)]
)
@pytest.mark.parametrize("page", ["certificates:detail", "certificates:request", "certificates:pdf"])
def test_console_permission_matrix(client, make_staff, certificate, who, status, page):
    users = _users(make_staff)
    if who in users:
        client.force_login(users[who])
    target = certificate.request_id if page == "certificates:request" else certificate.pk
    assert client.get(reverse(page, args=[target])).status_code == status


def test_staff_of_another_province_agency_without_a_role_sees_nothing(client, make_staff, certificate):
    client.force_login(make_staff("370683"))
    assert client.get(reverse("certificates:detail", args=[certificate.pk])).status_code == 404
    assert certificate.serial not in client.get(reverse("certificates:home")).content.decode()


def test_apply_form_shows_field_errors_and_issue_shows_the_missing_list(client, staff, make_dossier):
    dossier = make_dossier("370602", work_started_on=None)
    client.force_login(staff["clerk"])
    form = {
        "type_code": "career", "person_id_number": dossier.person.id_number, "applicant_kind": "person",
        "applicant_name": dossier.person.name, "channel": "counter",
    }  # fmt: skip
    refused = client.post(reverse("certificates:apply"), form)
    assert refused.status_code == 200
    assert "缺少以下材料" in refused.content.decode()
    accepted = client.post(reverse("certificates:apply"), {**form, "documents": ["id_card"]})
    assert accepted.status_code == 302
    request_page = accepted["Location"]
    request_id = int(request_page.rstrip("/").split("/")[-1])
    missing = client.post(reverse("certificates:issue", args=[request_id]))
    body = missing.content.decode()
    assert missing.status_code == 400
    assert "参加工作时间" in body
    assert "学习经历" in body
    assert not Certificate.objects.exists()


def test_clerk_cannot_revoke_on_the_console_and_nothing_changes(client, staff, certificate):
    client.force_login(staff["clerk"])
    before = AuditEvent.objects.count()
    page = client.get(reverse("certificates:detail", args=[certificate.pk])).content.decode()
    assert "作废原因" not in page
    client.post(reverse("certificates:revoke", args=[certificate.pk]), {"reason": "试图作废"})
    assert Certificate.objects.get(pk=certificate.pk).status == "valid"
    assert AuditEvent.objects.count() == before
    client.force_login(staff["approver"])
    client.post(reverse("certificates:revoke", args=[certificate.pk]), {"reason": "信息有误"})
    assert Certificate.objects.get(pk=certificate.pk).status == "revoked"


def test_type_pages_are_for_administrators(client, staff):
    client.force_login(staff["clerk"])
    assert client.get(reverse("certificates:types")).status_code == 403
    client.force_login(staff["admin"])
    assert "存档证明" in client.get(reverse("certificates:types")).content.decode()
    bad = client.post(
        reverse("certificates:type_new"), {"code": "x1", "name": "测试", "body": "{wage}", "sort_order": 1}
    )
    assert "wage" in bad.content.decode()
    edit = client.get(reverse("certificates:type_edit", args=["custody"]))
    assert "{received_on}" in edit.content.decode()


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 401), ("no_role", 404), ("right_role", 200), ("other_agency", 404)]
)
def test_api_permission_matrix(api_client, make_staff, certificate, who, status):
    users = _users(make_staff)
    if who in users:
        api_client.force_authenticate(users[who])
    assert api_client.get(f"/api/v1/certificates/{certificate.pk}/").status_code == status


def test_api_apply_issue_revoke_and_pdf(api_client, staff, full_dossier, make_dossier):
    dossier = full_dossier()
    api_client.force_authenticate(staff["laizhou_clerk"])
    applied = api_client.post(
        "/api/v1/certificates/applications/",
        {"type_code": "custody", "person_id_number": dossier.person.id_number, "applicant_kind": "person",
         "applicant_name": dossier.person.name, "documents": ["id_card"]},
        format="json",
    )  # fmt: skip
    assert applied.status_code == 201, applied.json()
    assert applied.json()["channel"] == "proxy"
    request_id = applied.json()["id"]
    assert api_client.post(f"/api/v1/certificates/applications/{request_id}/issue/").status_code == 403
    api_client.force_authenticate(staff["clerk"])
    issued = api_client.post(f"/api/v1/certificates/applications/{request_id}/issue/")
    assert issued.status_code == 201
    body = issued.json()
    assert body["status"] == "valid"
    assert body["verify_url"].endswith(body["verify_url"].split("/verify/")[1])
    pdf = api_client.get(f"/api/v1/certificates/{body['id']}/pdf/")
    assert pdf["Content-Type"] == "application/pdf"
    api_client.force_authenticate(staff["approver"])
    assert api_client.post(f"/api/v1/certificates/{body['id']}/revoke/", {}, format="json").status_code == 400
    revoked = api_client.post(f"/api/v1/certificates/{body['id']}/revoke/", {"reason": "重开"}, format="json")
    assert revoked.json()["status"] == "revoked"

    bare = make_dossier("370602")
    api_client.force_authenticate(staff["clerk"])
    second = api_client.post(
        "/api/v1/certificates/applications/",
        {"type_code": "career", "person_id_number": bare.person.id_number, "applicant_kind": "person",
         "applicant_name": bare.person.name, "documents": ["id_card"]},
        format="json",
    ).json()  # fmt: skip
    missing = api_client.post(f"/api/v1/certificates/applications/{second['id']}/issue/")
    assert missing.status_code == 400
    assert missing.json()["code"] == "missing_data"
    assert "学习经历" in missing.json()["fields"]["missing"]


def test_api_types_list_and_admin_save(api_client, staff):
    api_client.force_authenticate(staff["clerk"])
    codes = [t["code"] for t in api_client.get("/api/v1/certificates/types/").json()]
    assert codes[:4] == ["custody", "career", "kinship", "conduct"]
    denied = api_client.post("/api/v1/certificates/types/", {"code": "x", "name": "x", "body": "{name}"}, format="json")
    assert denied.status_code == 403
    api_client.force_authenticate(staff["admin"])
    saved = api_client.post(
        "/api/v1/certificates/types/", {"code": "simple", "name": "简要证明", "body": "兹证明{name}"}, format="json"
    )
    assert saved.status_code == 200
