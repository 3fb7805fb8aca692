"""Console pages and REST endpoints: permission matrix, field errors with nothing typed lost, refusals change nothing."""

import datetime as dt

import pytest
from django.urls import reverse

from dangan.agencies.models import Role
from dangan.audit.models import AuditEvent
from dangan.lending.models import Consultation, Loan, Relative
from dangan.lending.services import consultation_approve, loan_approve, loan_lend
from dangan.lending.tests.helpers import loan_values

TODAY = dt.date.today().isoformat()


def _users(make_staff):
    return {
        "no_role": make_staff("370602"),
        "clerk": make_staff("370602", Role.COUNTER_CLERK),
        "other_agency": make_staff("370681", Role.APPROVER, Role.ARCHIVE_KEEPER, Role.COUNTER_CLERK),
    }


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("no_role", 404), ("clerk", 200), ("other_agency", 404)]
)
@pytest.mark.parametrize("page", ["consultation", "loan"])
def test_detail_pages_permission_matrix(client, make_staff, consultation, loan, who, status, page):
    users = _users(make_staff)
    if who in users:
        client.force_login(users[who])
    pk = consultation.pk if page == "consultation" else loan.pk
    assert client.get(reverse(f"lending:{page}", args=[pk])).status_code == status


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("no_role", 404), ("clerk", 403), ("approver", 302), ("other_agency", 404)]
)
def test_loan_approve_permission_matrix_and_refusals_change_nothing(client, make_staff, staff, loan, who, status):
    users = {**_users(make_staff), "approver": staff["approver"]}
    if who in users:
        client.force_login(users[who])
    before = AuditEvent.objects.count()
    response = client.post(reverse("lending:loan_approve", args=[loan.pk]), {"note": "同意"})
    assert response.status_code == status
    loan.refresh_from_db()
    if who == "approver":
        assert loan.state == "approved"
    else:
        assert loan.state == "requested"
        assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("name", ["home", "relatives", "consultation_apply", "loan_apply", "overdue"])
def test_pages_render_for_staff(client, staff, name):
    client.force_login(staff["clerk"])
    assert client.get(reverse(f"lending:{name}")).status_code == 200


def test_anonymous_is_sent_to_login(client):
    assert client.get(reverse("lending:home")).status_code == 302


def test_consultation_form_keeps_what_was_typed_and_puts_errors_on_fields(client, staff, dossier, people, org_code):
    client.force_login(staff["clerk"])
    data = {
        "person_id_number": dossier.person.id_number, "applicant_kind": "organisation", "organisation_name": "某局",
        "organisation_code": org_code, "letter_number": "函1", "letter_date": TODAY, "reason": "考察",
        "content": "履历", "purpose": "personnel", "documents": ["request_letter", "reader_ids"],
        "readers-TOTAL_FORMS": "3", "readers-INITIAL_FORMS": "0",
        "readers-0-name": "甲", "readers-0-id_number": dossier.person.id_number, "readers-0-post": "科员",
        "readers-1-name": "乙", "readers-1-id_number": people[1].id_number, "readers-1-post": "科员",
    }  # fmt: skip
    response = client.post(reverse("lending:consultation_apply"), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "本人" in body
    assert "考察" in body
    assert people[1].id_number in body
    assert Consultation.objects.count() == 0
    data["readers-0-id_number"] = people[0].id_number
    response = client.post(reverse("lending:consultation_apply"), data)
    assert response.status_code == 302
    assert Consultation.objects.get().readers.count() == 2


def test_loan_flow_in_the_console_with_a_missing_page(client, staff, loan):
    client.force_login(staff["approver"])
    assert client.post(reverse("lending:loan_approve", args=[loan.pk]), {"note": ""}).status_code == 302
    client.force_login(staff["keeper"])
    refused = client.post(reverse("lending:loan_lend", args=[loan.pk]), {"seal_number": ""})
    assert refused.status_code == 400
    assert "此项为必填项" in refused.content.decode()
    assert client.post(reverse("lending:loan_lend", args=[loan.pk]), {"seal_number": "FQ9"}).status_code == 302
    page = client.get(reverse("lending:loan", args=[loan.pk])).content.decode()
    assert "履历表2" in page
    response = client.post(
        reverse("lending:loan_return", args=[loan.pk]),
        {"seal_intact": "on", "present_1": "on", "pages_1": "3", "present_2": "on", "pages_2": "4"},
    )
    assert response.status_code == 302
    loan.refresh_from_db()
    assert "页数不符" in loan.discrepancy
    assert "页数不符" in client.get(reverse("lending:overdue")).content.decode()


def test_relatives_page_declares_and_reports_errors(client, staff, people):
    client.force_login(staff["clerk"])
    bad = client.post(reverse("lending:relatives"), {"name": "王某", "id_number": "12345", "relation": "spouse"})
    assert bad.status_code == 400
    assert "王某" in bad.content.decode()
    ok = client.post(
        reverse("lending:relatives"), {"name": "王某", "id_number": people[0].id_number, "relation": "spouse"}
    )
    assert ok.status_code == 302
    assert Relative.objects.filter(staff__user=staff["clerk"]).count() == 1


def test_session_outside_a_reading_room_via_the_console(client, staff, consultation, rooms):
    consultation_approve(actor=staff["approver"], consultation_id=consultation.pk)
    client.force_login(staff["keeper"])
    readers = [str(pk) for pk in consultation.readers.values_list("pk", flat=True)]
    response = client.post(
        reverse("lending:session_open", args=[consultation.pk]),
        {"room": rooms["reading"].pk, "reader_ids": readers, "scope": "履历", "readers_signed": "on"},
    )
    assert response.status_code == 302
    assert consultation.sessions.count() == 1


# --- API --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "status"), [("anonymous", 401), ("no_role", 200), ("clerk", 200)])
def test_api_list_scoping(api_client, make_staff, loan, who, status):
    users = _users(make_staff)
    if who in users:
        api_client.force_authenticate(users[who])
    response = api_client.get("/api/v1/loans/")
    assert response.status_code in ((401, 403) if who == "anonymous" else (status,))
    if who == "no_role":
        assert response.json()["results"] == []
    if who == "clerk":
        assert [row["id"] for row in response.json()["results"]] == [loan.pk]


def test_api_other_agency_gets_404(api_client, make_staff, loan):
    api_client.force_authenticate(_users(make_staff)["other_agency"])
    assert api_client.get(f"/api/v1/loans/{loan.pk}/").status_code == 404
    assert api_client.post(f"/api/v1/loans/{loan.pk}/approve/", {}, format="json").status_code == 404


@pytest.mark.rule("R13")
def test_api_individual_refused_with_the_rule(api_client, staff, dossier, people, org_code):
    api_client.force_authenticate(staff["clerk"])
    body = {
        "person_id_number": dossier.person.id_number, "applicant_kind": "person", "organisation_name": "张三",
        "organisation_code": org_code, "letter_number": "1", "letter_date": TODAY, "reason": "看看",
        "content": "全部", "purpose": "other_work", "documents": ["request_letter", "reader_ids"],
        "readers": [{"name": "甲", "id_number": people[0].id_number, "post": "无"},
                    {"name": "乙", "id_number": people[1].id_number, "post": "无"}],
    }  # fmt: skip
    response = api_client.post("/api/v1/consultations/", body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "organisations_only"
    body["applicant_kind"] = "organisation"
    created = api_client.post("/api/v1/consultations/", body, format="json")
    assert created.status_code == 201
    assert created.json()["readers"][0]["id_number"].count("*") == 10


@pytest.mark.rule("R40")
def test_api_session_in_a_storeroom_is_refused(api_client, staff, consultation, rooms):
    consultation_approve(actor=staff["approver"], consultation_id=consultation.pk)
    api_client.force_authenticate(staff["keeper"])
    readers = list(consultation.readers.values_list("pk", flat=True))
    body = {"room": rooms["store"].pk, "reader_ids": readers, "scope": "履历", "readers_signed": True}
    refused = api_client.post(f"/api/v1/consultations/{consultation.pk}/sessions/", body, format="json")
    assert refused.status_code == 400
    assert "room" in refused.json()["fields"]
    body["room"] = rooms["reading"].pk
    session = api_client.post(f"/api/v1/consultations/{consultation.pk}/sessions/", body, format="json").json()
    copy = api_client.post(
        f"/api/v1/consultations/sessions/{session['id']}/copies/",
        {"copy_kind": "extract", "description": "履历表1", "pages": 1, "reason": "存档"}, format="json",
    )  # fmt: skip
    assert copy.status_code == 201
    api_client.force_authenticate(staff["approver"])
    decided = api_client.post(
        f"/api/v1/consultations/copies/{copy.json()['id']}/decide/", {"approve": True}, format="json"
    )
    assert decided.json()["status"] == "approved"
    api_client.force_authenticate(staff["keeper2"])
    certified = api_client.post(f"/api/v1/consultations/copies/{copy.json()['id']}/certify/", format="json")
    assert certified.json()["certification"].startswith("此件与档案原件核对无误")
    closed = api_client.post(f"/api/v1/consultations/sessions/{session['id']}/close/", {}, format="json")
    assert closed.json()["ended_at"] is not None


@pytest.mark.rule("R14")
@pytest.mark.rule("R15")
def test_api_loan_flow_with_overdue_and_seal(api_client, staff, dossier, people, org_code):
    api_client.force_authenticate(staff["clerk"])
    body = {**loan_values(dossier, people, org_code), "letter_date": TODAY}
    created = api_client.post("/api/v1/loans/", body, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    loan_approve(actor=staff["approver"], loan_id=pk)
    loan_lend(actor=staff["keeper"], loan_id=pk, seal_number="FQ1", today=dt.date.today() - dt.timedelta(days=9))
    api_client.force_authenticate(staff["approver"])
    overdue = api_client.get("/api/v1/loans/overdue/").json()
    assert [row["id"] for row in overdue] == [pk]
    assert overdue[0]["overdue"] is True
    api_client.force_authenticate(staff["keeper"])
    items = [{"n": row["n"], "present": True, "pages": row["pages"]} for row in Loan.objects.get(pk=pk).catalogue]
    returned = api_client.post(f"/api/v1/loans/{pk}/return/", {"seal_intact": False, "items": items}, format="json")
    assert returned.status_code == 200
    assert "密封" in returned.json()["discrepancy"]
    assert returned.json()["escalated_at"] is not None


def test_api_relatives_are_the_users_own(api_client, staff, people):
    api_client.force_authenticate(staff["clerk"])
    created = api_client.post(
        "/api/v1/relatives/", {"name": "王某", "id_number": people[0].id_number, "relation": "lineal"}, format="json"
    )
    assert created.status_code == 201
    api_client.force_authenticate(staff["approver"])
    assert api_client.get("/api/v1/relatives/").json()["results"] == []
    withdrawn = api_client.post(f"/api/v1/relatives/{created.json()['id']}/withdraw/", {"reason": "x"}, format="json")
    assert withdrawn.status_code == 404


def test_list_pages_do_not_grow_queries_with_rows(client, staff, make_dossier, people, org_code,
                                                  django_assert_max_num_queries):  # fmt: skip
    from dangan.lending.services import loan_apply

    for _ in range(6):
        loan_apply(actor=staff["clerk"], **loan_values(make_dossier("370602"), people, org_code))
    client.force_login(staff["approver"])
    with django_assert_max_num_queries(14):
        assert client.get(reverse("lending:home")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("lending:overdue")).status_code == 200


def test_consultation_page_offers_each_role_its_next_step(client, staff, consultation, rooms):
    url = reverse("lending:consultation", args=[consultation.pk])
    client.force_login(staff["approver"])
    assert "批准查阅" in client.get(url).content.decode()
    consultation_approve(actor=staff["approver"], consultation_id=consultation.pk)
    client.force_login(staff["keeper"])
    page = client.get(url).content.decode()
    assert "登记进入" in page
    assert rooms["reading"].name in page
    assert rooms["store"].name not in page
    readers = [str(pk) for pk in consultation.readers.values_list("pk", flat=True)]
    client.post(reverse("lending:session_open", args=[consultation.pk]),
                {"room": rooms["reading"].pk, "reader_ids": readers, "scope": "履历", "readers_signed": "on"})  # fmt: skip
    session = consultation.sessions.get()
    client.post(reverse("lending:copy_request", args=[consultation.pk, session.pk]),
                {"kind": "copy", "description": "履历表1", "pages": "2", "reason": "存档"})  # fmt: skip
    copy = session.copies.get()
    client.force_login(staff["approver"])
    refused = client.post(reverse("lending:copy_decide", args=[consultation.pk, copy.pk]), {"approve": "0", "note": ""})
    assert refused.status_code == 400
    client.post(reverse("lending:copy_decide", args=[consultation.pk, copy.pk]), {"approve": "1"})
    client.force_login(staff["keeper2"])
    client.post(reverse("lending:copy_certify", args=[consultation.pk, copy.pk]))
    client.post(reverse("lending:session_close", args=[consultation.pk, session.pk]), {"note": ""})
    page = client.get(url).content.decode()
    assert "此件与档案原件核对无误" in page
    assert "查阅结束" in page
