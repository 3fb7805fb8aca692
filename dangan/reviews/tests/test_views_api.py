import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dangan.audit.models import AuditEvent
from dangan.dossiers.models import PartyMembership
from dangan.reviews import events
from dangan.reviews.services import political_review_approve, political_review_draft

from .conftest import BRANCH

CONCLUSION = "经查阅档案，未发现影响招录聘用的记载。"


@pytest.fixture
def review(member, apply_review):
    return apply_review(member(), purpose="recruitment")


@pytest.fixture
def users(staff, make_staff):
    return {
        "no_role": staff.bare,
        "clerk": staff.clerk,
        "approver": staff.approver,
        "data_clerk": staff.data_clerk,
        "other_agency": make_staff("370683", "counter_clerk", "approver", "archive_keeper"),
    }


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("no_role", 404), ("data_clerk", 404), ("clerk", 200), ("approver", 200),
     ("other_agency", 404)],
)  # fmt: skip
def test_review_page_permission_matrix(client, users, review, who, status):
    if who in users:
        client.force_login(users[who])
    assert client.get(reverse("reviews:review", args=[review.pk])).status_code == status


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("no_role", 403), ("clerk", 403), ("approver", 302), ("other_agency", 404)],
)
def test_approve_permission_matrix_and_refusals_change_nothing(client, users, staff, review, snapshot, who, status):
    political_review_draft(actor=staff.keeper, review_id=review.pk, conclusion=CONCLUSION)
    if who in users:
        client.force_login(users[who])
    before = snapshot()
    response = client.post(reverse("reviews:review_approve", args=[review.pk]), {"note": ""})
    assert response.status_code == status
    review.refresh_from_db()
    if who == "approver":
        assert review.request.status == "approved"
    else:
        assert review.request.status == "drafted"
        assert snapshot() == before


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 401), ("no_role", 404), ("clerk", 200), ("other_agency", 404)]
)
def test_api_review_permission_matrix(api_client, users, review, who, status):
    if who in users:
        api_client.force_authenticate(users[who])
    assert api_client.get(f"/api/v1/political-reviews/{review.pk}/").status_code == status


def test_console_flow_with_field_errors(client, staff, member):
    dossier = member()
    client.force_login(staff.clerk)
    assert "政审与党员组织关系" in client.get(reverse("reviews:home")).content.decode()
    incomplete = client.post(
        reverse("reviews:review_apply"),
        {"person_id_number": dossier.person.id_number, "purpose": "going_abroad", "organisation": "",
         "reviewer_name": "张科长", "reviewer_id_number": "370602198001011234", "documents": ["org_letter"]},
    )  # fmt: skip
    assert incomplete.status_code == 400
    assert 'class="field-error"' in incomplete.content.decode()
    created = client.post(
        reverse("reviews:review_apply"),
        {"person_id_number": dossier.person.id_number, "purpose": "going_abroad", "organisation": "烟台某某研究院",
         "reviewer_name": "张科长", "reviewer_id_number": "370602198001011234",
         "documents": ["org_letter", "reviewer_id"]},
    )  # fmt: skip
    assert created.status_code == 302
    page_url = created["Location"]
    empty = client.post(page_url + "draft/", {"conclusion": ""})
    assert empty.status_code == 400
    assert "此项为必填项" in empty.content.decode()
    assert client.post(page_url + "draft/", {"conclusion": CONCLUSION}).status_code == 302
    body = client.get(page_url).content.decode()
    assert "鲁东大学" in body
    assert CONCLUSION in body
    assert "打印摘录" not in body  # not before approval
    client.force_login(staff.approver)
    assert client.post(page_url + "approve/", {"note": "同意"}).status_code == 302
    client.force_login(staff.clerk)
    pdf = client.get(page_url.rstrip("/") + ".pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert client.post(page_url + "release/", {"released_to": ""}).status_code == 302
    assert "已出具" in client.get(page_url).content.decode()


def test_console_pdf_before_approval_redirects_with_a_message(client, staff, review):
    client.force_login(staff.clerk)
    response = client.get(reverse("reviews:review_pdf", args=[review.pk]), follow=True)
    assert "审核后方可" in response.content.decode()
    assert not AuditEvent.objects.filter(action=events.REVIEW_PRINTED).exists()


def test_api_flow_and_individuals_refused(api_client, staff, member):
    dossier = member()
    api_client.force_authenticate(staff.clerk)
    body = {
        "person_id_number": dossier.person.id_number, "purpose": "party_admission", "organisation": "中共某某公司委员会",
        "reviewer_name": "赵组织员", "reviewer_id_number": "370602198001011234",
        "documents": ["org_letter", "reviewer_id"],
    }  # fmt: skip
    refused = api_client.post("/api/v1/political-reviews/", {**body, "applicant_kind": "person"}, format="json")
    assert refused.status_code == 400
    assert refused.json()["code"] == "organisation_only"
    created = api_client.post("/api/v1/political-reviews/", body, format="json")
    assert created.status_code == 201
    pk = created.json()["id"]
    drafted = api_client.post(f"/api/v1/political-reviews/{pk}/draft/", {"conclusion": CONCLUSION}, format="json")
    assert drafted.status_code == 200
    assert {"item": "姓名", "value": "王建华"} in drafted.json()["facts"]
    early = api_client.get(f"/api/v1/political-reviews/{pk}/pdf/")
    assert early.status_code == 409
    api_client.force_authenticate(staff.approver)
    assert api_client.post(f"/api/v1/political-reviews/{pk}/approve/", {}, format="json").json()["status"] == "approved"
    api_client.force_authenticate(staff.clerk)
    assert api_client.get(f"/api/v1/political-reviews/{pk}/pdf/")["Content-Type"] == "application/pdf"
    released = api_client.post(f"/api/v1/political-reviews/{pk}/release/", {}, format="json")
    assert released.json()["status"] == "released"
    assert released.json()["released_to"] == "赵组织员"
    purposes = api_client.get("/api/v1/political-reviews/purposes/").json()
    assert [p["name"] for p in purposes] == ["入党", "参军入伍", "招录聘用", "出国（境）"]


def test_api_approval_by_the_drafter_is_forbidden(api_client, staff, review):
    political_review_draft(actor=staff.clerk_approver, review_id=review.pk, conclusion=CONCLUSION)
    api_client.force_authenticate(staff.clerk_approver)
    response = api_client.post(f"/api/v1/political-reviews/{review.pk}/approve/", {}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "separation_of_duties"


def test_list_shows_no_extract_and_is_scoped(api_client, staff, users, review):
    political_review_draft(actor=staff.clerk, review_id=review.pk, conclusion=CONCLUSION)
    political_review_approve(actor=staff.approver, review_id=review.pk)
    api_client.force_authenticate(staff.clerk)
    rows = api_client.get("/api/v1/political-reviews/").json()["results"]
    assert [r["serial"] for r in rows] == [review.serial]
    assert "facts" not in rows[0]
    api_client.force_authenticate(users["other_agency"])
    assert api_client.get("/api/v1/political-reviews/").json()["results"] == []


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("no_role", 404), ("clerk", 200), ("other_agency", 404)]
)
def test_party_page_permission_matrix(client, users, member, apply_party, who, status):
    transfer = apply_party(member())
    if who in users:
        client.force_login(users[who])
    assert client.get(reverse("reviews:party", args=[transfer.pk])).status_code == status


def test_console_party_transfer_refusal_and_completion(client, staff, member):
    client.force_login(staff.clerk)
    form = {
        "direction": "out", "applicant_kind": "person", "applicant_name": "王建华", "letter_number": "0158",
        "issuing_organisation": BRANCH, "receiving_organisation": "中共莱州市某某委员会",
        "issued_on": dt.date.today().isoformat(), "valid_until": (dt.date.today() + dt.timedelta(days=90)).isoformat(),
        "documents": ["party_letter", "id_card"],
    }  # fmt: skip
    masses = member(political_status="13")
    refused = client.post(reverse("reviews:party_apply"), {**form, "person_id_number": masses.person.id_number})
    assert refused.status_code == 400
    assert "不是中共党员或预备党员" in refused.content.decode()
    dossier = member()
    created = client.post(reverse("reviews:party_apply"), {**form, "person_id_number": dossier.person.id_number})
    assert created.status_code == 302
    late = client.post(created["Location"] + "complete/", {"reported_on": "2099-01-01"})
    assert late.status_code == 400
    assert 'class="field-error"' in late.content.decode()
    done = client.post(created["Location"] + "complete/", {"reported_on": dt.date.today().isoformat()})
    assert done.status_code == 302
    assert PartyMembership.objects.get(person=dossier.person).branch == "中共莱州市某某委员会"


def test_api_party_transfer(api_client, staff, member):
    api_client.force_authenticate(staff.clerk)
    dossier = member(political_status="02")
    body = {
        "person_id_number": dossier.person.id_number, "direction": "in", "applicant_kind": "organisation",
        "applicant_name": "中共青岛市某某委员会", "letter_number": "青组介0001", "issuing_organisation": "中共青岛市某某委员会",
        "receiving_organisation": BRANCH, "issued_on": dt.date.today().isoformat(),
        "valid_until": dt.date.today().isoformat(), "documents": ["party_letter", "org_letter"],
    }  # fmt: skip
    created = api_client.post("/api/v1/party-transfers/", body, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    done = api_client.post(
        f"/api/v1/party-transfers/{pk}/complete/", {"reported_on": dt.date.today().isoformat()}, format="json"
    )
    assert done.status_code == 200
    assert done.json()["branch"] == BRANCH
    assert done.json()["status"] == "completed"
    masses = member(political_status="13")
    refused = api_client.post(
        "/api/v1/party-transfers/", {**body, "person_id_number": masses.person.id_number}, format="json"
    )
    assert refused.status_code == 400
    assert refused.json()["code"] == "not_party_member"


def test_home_page_queries_do_not_grow_with_the_rows(client, staff, member, apply_review, apply_party):
    client.force_login(staff.clerk)
    apply_review(member())
    apply_party(member())
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("reviews:home")).status_code == 200
    for _ in range(3):
        apply_review(member())
        apply_party(member())
    with CaptureQueriesContext(connection) as four:
        body = client.get(reverse("reviews:home")).content.decode()
    assert body.count("/console/reviews/political/") >= 4
    assert len(four) == len(one)
