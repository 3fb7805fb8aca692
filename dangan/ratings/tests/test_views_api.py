import pytest
from django.urls import reverse

from dangan.agencies.models import Role
from dangan.audit.models import AuditEvent
from dangan.ratings.models import Rating, RectificationCase
from dangan.ratings.services import rating_submit, visit_end


@pytest.fixture
def case(staff):
    visit = visit_end(actor=staff["clerk"], service_type="certificate")
    return rating_submit(
        rater=None, visit_token=visit.token, grade="very_dissatisfied", comment="窗口无人", channel="counter"
    ).case


def _users(make_staff):
    return {
        "no_role": make_staff("370602"),
        "right_role": make_staff("370602", Role.SUPERVISOR),
        "other_agency": make_staff("370683", Role.SUPERVISOR, Role.APPROVER),
    }


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("no_role", 404), ("right_role", 200), ("other_agency", 404)]
)
def test_case_page_permission_matrix(client, make_staff, case, who, status):
    users = _users(make_staff)
    if who in users:
        client.force_login(users[who])
    assert client.get(reverse("ratings:case", args=[case.pk])).status_code == status


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("no_role", 403), ("right_role", 200), ("other_agency", 200)]
)
def test_report_page_permission_matrix_and_scope(client, make_staff, case, who, status):
    users = _users(make_staff)
    if who in users:
        client.force_login(users[who])
    response = client.get(reverse("ratings:report"), {"by": "agency"})
    assert response.status_code == status
    if status == 200:
        shown = "烟台市芝罘区公共就业和人才服务中心" in response.content.decode()
        assert shown == (who == "right_role")


def test_case_actions_on_the_console_with_field_errors_and_refusals(client, staff, case):
    client.force_login(staff["clerk"])
    before = AuditEvent.objects.count()
    refused = client.post(reverse("ratings:case_action", args=[case.pk, "verify"]), {"verification": "自查无问题"})
    assert refused.status_code == 400
    assert RectificationCase.objects.get(pk=case.pk).status == "open"
    assert AuditEvent.objects.count() == before

    client.force_login(staff["supervisor"])
    page = client.get(reverse("ratings:case", args=[case.pk])).content.decode()
    assert "核实情况" in page
    empty = client.post(reverse("ratings:case_action", args=[case.pk, "verify"]), {"verification": ""})
    assert empty.status_code == 400
    assert "此项为必填项" in empty.content.decode()
    done = client.post(
        reverse("ratings:case_action", args=[case.pk, "verify"]), {"verification": "属实", "substantiated": "on"}
    )
    assert done.status_code == 302
    assert RectificationCase.objects.get(pk=case.pk).status == "verified"


def test_clerk_ends_a_visit_and_shows_the_qr_code(client, staff):
    client.force_login(staff["clerk"])
    created = client.post(reverse("ratings:visit_new"), {"service_type": "certificate", "request_number": ""})
    assert created.status_code == 302
    page = client.get(created["Location"]).content.decode()
    assert "<svg" in page
    assert "/rate/" in page
    wrong = client.post(reverse("ratings:visit_new"), {"service_type": "", "request_number": "X0001"})
    assert "请填写本窗口受理的办件" in wrong.content.decode()
    client.force_login(staff["laizhou_clerk"])
    assert client.get(created["Location"]).status_code == 404


def test_public_rating_page_rates_a_visit_once(client, staff):
    visit = visit_end(actor=staff["clerk"], service_type="certificate")
    path = reverse("rating_visit", args=[visit.token])
    form = client.get(path)
    assert form.status_code == 200
    assert "非常满意" in form.content.decode()
    missing = client.post(path, {"grade": "dissatisfied", "comment": ""})
    assert missing.status_code == 400
    assert "请说明不满意的原因" in missing.content.decode()
    thanks = client.post(path, {"grade": "dissatisfied", "comment": "材料清单没讲清楚"})
    assert "感谢您的评价" in thanks.content.decode()
    assert "已评价" in client.get(path).content.decode()
    assert Rating.objects.get(visit=visit).case.status == "open"
    assert client.get(reverse("rating_visit", args=["nothing"])).status_code == 404


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 401), ("no_role", 404), ("right_role", 200), ("other_agency", 404)]
)
def test_api_case_permission_matrix(api_client, make_staff, case, who, status):
    users = _users(make_staff)
    if who in users:
        api_client.force_authenticate(users[who])
    assert api_client.get(f"/api/v1/rectifications/{case.pk}/").status_code == status


def test_api_rates_reports_and_handles_cases(api_client, staff, online_matter, citizen):
    api_client.force_authenticate(staff["clerk"])
    visit = api_client.post("/api/v1/ratings/visits/", {"service_type": "certificate"}, format="json").json()
    assert visit["rate_url"].endswith(f"/rate/{visit['token']}/")
    api_client.force_authenticate(None)
    rated = api_client.post(
        "/api/v1/ratings/", {"channel": "counter", "visit_token": visit["token"], "grade": "very_dissatisfied",
                             "comment": "态度生硬"}, format="json",
    )  # fmt: skip
    assert rated.status_code == 201
    case_id = rated.json()["case_id"]
    again = api_client.post("/api/v1/ratings/", {"channel": "counter", "visit_token": visit["token"],
                                                 "grade": "satisfied"}, format="json")  # fmt: skip
    assert again.status_code == 409
    request = online_matter()
    assert api_client.post("/api/v1/ratings/", {"channel": "online", "request_id": request.pk, "grade": "satisfied"},
                           format="json").status_code == 404  # fmt: skip
    api_client.force_authenticate(citizen)
    assert api_client.post("/api/v1/ratings/", {"channel": "online", "request_id": request.pk, "grade": "satisfied"},
                           format="json").status_code == 201  # fmt: skip

    api_client.force_authenticate(staff["supervisor"])
    report = api_client.get("/api/v1/ratings/report/", {"by": "staff"}).json()
    assert sum(r["total"] for r in report) == 2
    assert api_client.get("/api/v1/ratings/report/", {"by": "nonsense"}).status_code == 400
    verified = api_client.post(f"/api/v1/rectifications/{case_id}/verify/", {"verification": "属实", "substantiated": True},
                               format="json")  # fmt: skip
    assert verified.json()["status"] == "verified"
    assert api_client.post(f"/api/v1/rectifications/{case_id}/close/").status_code == 409
    api_client.post(f"/api/v1/rectifications/{case_id}/answer/", {"answer": "已致歉", "rectification": "加强培训"},
                    format="json")  # fmt: skip
    closed = api_client.post(f"/api/v1/rectifications/{case_id}/close/")
    assert closed.json()["status"] == "closed"
    api_client.force_authenticate(staff["clerk"])
    assert api_client.get("/api/v1/ratings/report/").status_code == 403
