import datetime

import pytest
from django.urls import reverse

from dangan.agencies.models import Role
from dangan.audit.models import AuditEvent
from dangan.dossiers.models import Dossier, Gap
from dangan.dossiers.services import dossier_receive

TODAY = datetime.date(2026, 7, 10)


@pytest.fixture
def clerk(make_staff):
    return make_staff("370602", Role.COUNTER_CLERK)


def _form_data(person, **extra):
    data = {
        "name": person.name, "id_type": "resident_id", "id_number": person.id_number, "ethnic_group": "01",
        "native_place": "山东烟台", "household_region": person.household_region, "political_status": "13",
        "person_category": "3", "phone": person.phone, "entrustment_type": "personal", "source_kind": "school",
        "source_name": "烟台大学", "delivery": "confidential_courier", "seal_intact": "on", "received_on": "2026-07-10",
        "education": "21", "degree": "4", "school": "烟台大学", "major": "法学", "graduated_on": "2026-06-30",
        "missing-TOTAL_FORMS": "3", "missing-INITIAL_FORMS": "0", "missing-MIN_NUM_FORMS": "0", "missing-MAX_NUM_FORMS": "20",
    }  # fmt: skip
    data.update(extra)
    return data


@pytest.mark.rule("R11")
def test_console_intake_with_two_gaps_then_notice_and_follow_up(client, clerk, synth):
    client.force_login(clerk)
    person = synth.person(min_age=22, max_age=26)
    data = _form_data(
        person,
        **{
            "missing-0-material_class": "4-1", "missing-0-title": "本科毕业生登记表",
            "missing-1-material_class": "6", "missing-1-title": "入团志愿书",
            "party_name": "本人", "acknowledged": "on", "commitment_deadline": "2099-09-30",
        },
    )  # fmt: skip
    response = client.post(reverse("dossiers:intake"), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    done = client.get(response["Location"]).content.decode()
    assert "本科毕业生登记表" in done
    assert "入团志愿书" in done
    notice = client.get(reverse("dossiers:intake_notice", args=[Gap.objects.first().intake_id]))
    assert notice["Content-Type"] == "application/pdf"
    follow_up = client.get(reverse("dossiers:gaps")).content.decode()
    assert follow_up.count("本科毕业生登记表") == 1
    assert "入团志愿书" in follow_up


def test_console_intake_shows_field_errors_in_chinese_and_keeps_input(client, clerk, synth):
    client.force_login(clerk)
    person = synth.person()
    data = _form_data(person, phone="12345", **{"missing-0-material_class": "4-1", "missing-0-title": "毕业生登记表"})
    body = client.post(reverse("dossiers:intake"), data).content.decode()
    assert "请输入11位手机号码或带区号的固定电话" in body
    assert "须由当事人签署知情说明并承诺补充材料" in body
    assert person.name in body  # nothing typed is lost
    assert Dossier.objects.count() == 0


@pytest.mark.rule("R12")
def test_console_refuses_self_carried_dossier_with_a_clear_message(client, clerk, synth):
    client.force_login(clerk)
    body = client.post(reverse("dossiers:intake"), _form_data(synth.person(), delivery="self_carry")).content.decode()
    assert "个人自带的档案不予接收" in body
    assert Dossier.objects.count() == 0


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("other_district", 404), ("own_clerk", 200), ("own_supervisor", 200)]
)
def test_dossier_page_permission_matrix(client, make_staff, clerk, intake_input, who, status):
    dossier = dossier_receive(actor=clerk, data=intake_input(), today=TODAY).dossier
    users = {
        "own_clerk": clerk,
        "other_district": make_staff("370683", Role.COUNTER_CLERK),
        "own_supervisor": make_staff("370602", Role.SUPERVISOR),
    }
    if who in users:
        client.force_login(users[who])
    assert client.get(reverse("dossiers:detail", args=[dossier.pk])).status_code == status


def test_dossier_page_shows_completeness_and_masks_for_supervisors(client, make_staff, clerk, intake_input):
    dossier = dossier_receive(actor=clerk, data=intake_input(), today=TODAY).dossier
    supervisor = make_staff("370602", Role.SUPERVISOR)
    client.force_login(supervisor)
    body = client.get(reverse("dossiers:detail", args=[dossier.pk])).content.decode()
    assert dossier.person.id_number not in body
    assert "必采信息完整度" in body


def test_search_list_query_count_is_flat(client, clerk, make_dossier, django_assert_max_num_queries):
    for _ in range(30):
        make_dossier("370602")
    client.force_login(clerk)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("dossiers:list")).status_code == 200


@pytest.mark.rule("R6")
def test_api_delete_is_refused_and_audited(api_client, clerk, make_dossier):
    dossier = make_dossier("370602")
    api_client.force_authenticate(clerk)
    response = api_client.delete(f"/api/v1/dossiers/{dossier.pk}/")
    assert response.status_code == 403
    assert response.json()["code"] == "never_delete"
    assert Dossier.objects.filter(pk=dossier.pk).exists()
    assert AuditEvent.objects.filter(action="dossier.delete_refused", dossier_id=dossier.pk).count() == 1


@pytest.mark.rule("R6")
def test_orm_delete_attempt_is_audited(make_dossier):
    from dangan.core.errors import PermissionDenied

    dossier = make_dossier("370602")
    with pytest.raises(PermissionDenied):
        dossier.delete()
    assert AuditEvent.objects.filter(action="delete.refused", subject_id=str(dossier.pk)).count() == 1


def test_api_intake_with_gaps_and_notice(api_client, clerk, synth):
    api_client.force_authenticate(clerk)
    p = synth.person(min_age=23, max_age=25)
    body = {
        "person": {"id_number": p.id_number, "name": p.name, "ethnic_group": "01", "native_place": "山东莱州",
                   "household_region": "370683", "political_status": "13", "person_category": "6", "phone": p.phone},
        "entrustment_type": "personal", "source_kind": "application", "source_name": "本人申请",
        "delivery": "registered_post", "received_on": "2026-07-01",
        "missing": [{"material_class": "1", "title": "干部履历表"}],
        "party_name": "本人", "acknowledged": True, "commitment_deadline": "2099-01-31",
    }  # fmt: skip
    response = api_client.post("/api/v1/intakes/", body, format="json")
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["gaps"][0]["title"] == "干部履历表"
    notice = api_client.get(f"/api/v1/intakes/{created['id']}/notice/")
    assert notice.status_code == 200
    assert notice["Content-Type"] == "application/pdf"
    gaps = api_client.get("/api/v1/gaps/").json()
    assert gaps["count"] == 1
    info = api_client.get(f"/api/v1/dossiers/{created['dossier']}/basic-info/").json()
    assert info["mandatory_total"] == 26
    assert info["mandatory_filled"] < 26


def test_api_duplicate_person_is_409_naming_the_dossier(api_client, clerk, make_dossier):
    existing = make_dossier("370683")
    api_client.force_authenticate(clerk)
    p = existing.person
    body = {
        "person": {"id_number": p.id_number, "name": p.name, "ethnic_group": "01", "native_place": "山东",
                   "household_region": "370602", "political_status": "13", "person_category": "6", "phone": "13805351234"},
        "entrustment_type": "personal", "source_kind": "application", "source_name": "本人",
        "delivery": "registered_post", "received_on": "2026-07-01",
    }  # fmt: skip
    response = api_client.post("/api/v1/intakes/", body, format="json")
    assert response.status_code == 409
    assert existing.number in response.json()["message"]


def test_api_person_update_and_history_are_audited(api_client, make_staff, clerk, intake_input):
    dossier = dossier_receive(actor=clerk, data=intake_input(), today=TODAY).dossier
    data_clerk = make_staff("370602", Role.DATA_CLERK)
    api_client.force_authenticate(data_clerk)
    response = api_client.post(
        f"/api/v1/dossiers/{dossier.pk}/person/", {"work_started_on": "2026-08-01"}, format="json"
    )
    assert response.status_code == 200
    history = api_client.post(
        f"/api/v1/dossiers/{dossier.pk}/history/",
        {"kind": "title", "values": {"title": "助理工程师", "level": "junior", "obtained_on": "2027-09-01"}},
        format="json",
    )
    assert history.status_code == 201
    info = api_client.get(f"/api/v1/dossiers/{dossier.pk}/basic-info/").json()
    values = {i["key"]: i["value"] for i in info["items"]}
    assert values["title"] == "助理工程师"
    assert values["work_started_on"] == "2026-08-01"
    assert AuditEvent.objects.filter(action="person.updated", dossier_id=dossier.pk).get().after == {
        "work_started_on": "2026-08-01"
    }
    bad = api_client.post(f"/api/v1/dossiers/{dossier.pk}/person/", {"phone": "99"}, format="json")
    assert bad.status_code == 400
    assert "phone" in bad.json()["fields"]
