"""REST endpoints: the same services behind one endpoint per action; errors as {code, message, fields}."""

import datetime
import io

import openpyxl
import pytest

from dangan.audit.models import AuditEvent
from dangan.dossiers.models import Gap, GapStatus
from dangan.materials.models import Material

BODY = {
    "material_class": "4-1",
    "title": "学士学位证书",
    "formed_on": "2014-07-01",
    "formed_precision": "month",
    "pages": 1,
    "source": "school",
    "source_name": "烟台大学",
    "received_on": "2024-03-05",
}


def test_receive_appraise_file_and_read_the_catalogue(zhifu, api_client, make_gap):
    gap = make_gap(material_class="4-1")
    api_client.force_authenticate(zhifu.clerk)
    response = api_client.post(
        "/api/v1/materials/", {**BODY, "dossier": zhifu.dossier.pk, "gap": gap.pk}, format="json"
    )
    assert response.status_code == 201, response.json()
    created = response.json()
    assert (created["status"], created["formed"], created["sequence"]) == ("received", "2014.07", None)
    assert created["received_by"] == zhifu.clerk.staff.full_name
    gap.refresh_from_db()
    assert gap.status == GapStatus.CLOSED

    api_client.force_authenticate(zhifu.approver)
    response = api_client.post(f"/api/v1/materials/{created['id']}/appraise/", {"decision": "accept"}, format="json")
    assert response.json()["status"] == "accepted"

    api_client.force_authenticate(zhifu.keeper)
    response = api_client.post(f"/api/v1/materials/{created['id']}/file/")
    assert (response.json()["status"], response.json()["sequence"]) == ("filed", 1)

    catalogue = api_client.get(f"/api/v1/catalogues/{zhifu.dossier.pk}/").json()
    assert catalogue["rows"] == [{"class_code": "4-1", "sequence": 1, "title": "学士学位证书", "formed": "2014.07",
                                  "copies": 1, "pages": 1, "remarks": ""}]  # fmt: skip
    listed = api_client.get("/api/v1/materials/", {"dossier": zhifu.dossier.pk}).json()
    assert [m["id"] for m in listed["results"]] == [created["id"]]
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"material.received", "gap.closed", "material.accepted", "material.filed", "catalogue.viewed",
            "materials.viewed"} <= actions  # fmt: skip


@pytest.mark.rule("R20")
def test_r20_accepting_an_abolished_material_through_the_api_is_refused(zhifu, api_client, receive):
    material = receive(material_class="9-1", title="转正定级审批表", formed_on=datetime.date(2000, 1, 1))
    api_client.force_authenticate(zhifu.approver)
    url = f"/api/v1/materials/{material.pk}/appraise/"
    response = api_client.post(url, {"decision": "accept"}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "abolished_material"
    assert "R20" in response.json()["message"]
    response = api_client.post(url, {"decision": "return", "return_reason": "abolished"}, format="json")
    assert (response.json()["status"], response.json()["return_reason"]) == ("returned", "abolished")


@pytest.mark.parametrize(
    ("change", "field"),
    [({"pages": 0}, "pages"), ({"pages": 10**6}, "pages"), ({"dossier": 2**64}, "dossier"),
     ({"material_class": "4"}, "material_class"), ({"formed_on": None}, "formed_on"), ({"title": "\x00"}, "title")],
)  # fmt: skip
def test_invalid_input_is_a_400_with_the_field_named(zhifu, api_client, change, field):
    api_client.force_authenticate(zhifu.clerk)
    response = api_client.post("/api/v1/materials/", {**BODY, "dossier": zhifu.dossier.pk, **change}, format="json")
    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert Material.objects.count() == 0


def test_the_list_needs_a_dossier(zhifu, api_client):
    api_client.force_authenticate(zhifu.keeper)
    assert api_client.get("/api/v1/materials/").status_code == 400
    assert api_client.get("/api/v1/materials/", {"dossier": "x"}).status_code == 400


@pytest.fixture
def endpoints(zhifu, receive, accepted):
    dossier = zhifu.dossier.pk
    fresh = receive(actor=zhifu.counter)
    ready = accepted()
    create = {**BODY, "dossier": dossier}
    # (method, url, body, the role that may, whether any staff of the agency may)
    return {
        "list": ("get", f"/api/v1/materials/?dossier={dossier}", None, zhifu.keeper, True),
        "detail": ("get", f"/api/v1/materials/{fresh.pk}/", None, zhifu.keeper, True),
        "receive": ("post", "/api/v1/materials/", create, zhifu.clerk, False),
        "appraise": ("post", f"/api/v1/materials/{fresh.pk}/appraise/", {"decision": "accept"}, zhifu.approver, False),
        "file": ("post", f"/api/v1/materials/{ready.pk}/file/", {}, zhifu.keeper, False),
        "catalogue": ("get", f"/api/v1/catalogues/{dossier}/", None, zhifu.keeper, True),
        "catalogue_pdf": ("get", f"/api/v1/catalogues/{dossier}/pdf/", None, zhifu.keeper, True),
        "catalogue_xlsx": ("get", f"/api/v1/catalogues/{dossier}/xlsx/", None, zhifu.keeper, True),
    }


ENDPOINTS = ["list", "detail", "receive", "appraise", "file", "catalogue", "catalogue_pdf", "catalogue_xlsx"]


@pytest.mark.rule("R43")
@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("who", ["anonymous", "outsider", "bare", "laizhou", "right"])
def test_r43_permission_matrix_of_the_endpoints(zhifu, api_client, endpoints, endpoint, who):
    method, url, body, right, any_staff = endpoints[endpoint]
    if who != "anonymous":
        api_client.force_authenticate(right if who == "right" else getattr(zhifu, who))
    before = (list(Material.objects.order_by("pk").values_list("status", flat=True)), AuditEvent.objects.count())
    response = (
        getattr(api_client, method)(url, body, format="json") if body is not None else getattr(api_client, method)(url)
    )
    expected = {"anonymous": 401, "outsider": 404, "laizhou": 404,
                "bare": 200 if any_staff else 403, "right": 201 if endpoint == "receive" else 200}[who]  # fmt: skip
    assert response.status_code == expected
    if expected >= 400:
        assert set(response.json()) == {"code", "message", "fields"}
        after = (list(Material.objects.order_by("pk").values_list("status", flat=True)), AuditEvent.objects.count())
        assert after == before  # refused: nothing changed, no audit event


def test_catalogue_files_come_back_whatever_the_client_accepts(zhifu, api_client, filed):
    filed(title="干部履历表")
    api_client.force_authenticate(zhifu.keeper)
    pdf = api_client.get(f"/api/v1/catalogues/{zhifu.dossier.pk}/pdf/", HTTP_ACCEPT="application/pdf")
    assert (pdf.status_code, pdf["Content-Type"]) == (200, "application/pdf")
    xlsx = api_client.get(f"/api/v1/catalogues/{zhifu.dossier.pk}/xlsx/", HTTP_ACCEPT="application/vnd.ms-excel")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    assert [row[2] for row in sheet.iter_rows(values_only=True)] == ["材料名称", "干部履历表"]
    missing = api_client.get("/api/v1/catalogues/999999/pdf/", HTTP_ACCEPT="application/pdf")
    assert (missing.status_code, missing["Content-Type"]) == (404, "application/json")


def test_list_query_count_does_not_grow_with_materials(zhifu, api_client, receive, django_assert_max_num_queries):
    for index in range(30):
        receive(title=f"材料{index}", material_class=["1", "4-1", "10"][index % 3])
    api_client.force_authenticate(zhifu.keeper)
    with django_assert_max_num_queries(14):  # user, dossier, roles, audit write, count, page: no N+1
        response = api_client.get("/api/v1/materials/", {"dossier": zhifu.dossier.pk, "limit": 50})
    assert response.json()["count"] == 30
    assert len({m["received_by"] for m in response.json()["results"]}) == 1


@pytest.mark.rule("R11")
def test_r11_an_escalated_gap_is_closed_by_the_material_posted_for_it(zhifu, api_client, make_gap):
    """R11 clause: the gaps are followed up until closed — also once escalated as overdue."""
    gap = make_gap(material_class="4-1")
    Gap.objects.filter(pk=gap.pk).update(status=GapStatus.ESCALATED)
    api_client.force_authenticate(zhifu.clerk)
    response = api_client.post(
        "/api/v1/materials/", {**BODY, "dossier": zhifu.dossier.pk, "gap": gap.pk}, format="json"
    )
    assert response.status_code == 201, response.json()
    gap.refresh_from_db()
    assert (gap.status, gap.material_id) == (GapStatus.CLOSED, response.json()["id"])
