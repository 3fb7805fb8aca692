"""REST endpoints: permission matrix, one endpoint per action, structured Chinese errors, query counts."""

import datetime

import pytest

from dangan.agreements.models import AgreementStatus, EmployerAgreement, Notice, PersonalAgreement, Renewal, RosterEntry
from dangan.agreements.services import notice_publish
from dangan.audit.models import AuditEvent

API = "/api/v1"
# path from the world, role that may call it, whether it names one agency's object
READS = [
    ("employers/", lambda w: "", "clerk", False),
    ("employers/{}/", lambda w: w.employer.pk, "clerk", True),
    ("employers/{}/registration-form/", lambda w: w.employer.pk, "clerk", True),
    ("agreements/", lambda w: "", "clerk", False),
    ("agreements/{}/", lambda w: w.agreement.pk, "clerk", True),
    ("agreements/{}/document/", lambda w: w.agreement.pk, "clerk", True),
    ("agreements/blank-document/", lambda w: "", "clerk", False),
    ("agreements/personal/", lambda w: "", "clerk", False),
    ("agreements/personal/{}/", lambda w: w.personal.pk, "clerk", True),
    ("agreements/personal/{}/document/", lambda w: w.personal.pk, "clerk", True),
    ("agreements/personal/blank-document/", lambda w: "", "clerk", False),
    ("agreements/personal/prefill/?dossier_id={}", lambda w: w.uncovered.pk, "clerk", True),
    ("agreements/reminders/", lambda w: "", "clerk", False),
    ("agreements/without-agreement/", lambda w: "", "clerk", False),
    ("agreements/jurisdiction/person/?situation=flexible&household_region=370602", lambda w: "", "clerk", False),
    ("agreements/jurisdiction/employer/?registration_level=city&county_code=370602", lambda w: "", "clerk", False),
]


@pytest.mark.parametrize("who", ["anonymous", "no_role", "right", "other", "supervisor"])
@pytest.mark.parametrize(("path", "arg", "role", "scoped"), READS, ids=[r[0] for r in READS])
def test_api_read_permission_matrix(api_client, world, path, arg, role, scoped, who):
    users = {"no_role": "no_role", "right": role, "other": f"other_{role}", "supervisor": "supervisor"}
    if who in users:
        api_client.force_authenticate(world.users[users[who]])
    response = api_client.get(f"{API}/{path.format(arg(world))}")
    # preparing a signature is acting, and supervisors only read
    supervisor = 403 if "prefill" in path else 200
    expected = {
        "anonymous": 401,
        "no_role": 403,
        "right": 200,
        "supervisor": supervisor,
        "other": 404 if scoped else 200,
    }
    assert response.status_code == expected[who]
    if response["Content-Type"] == "application/json" and response.status_code >= 400:
        assert set(response.json()) == {"code", "message", "fields"}
    if who == "other" and not scoped and response["Content-Type"] == "application/json":
        assert world.employer.name not in response.content.decode()


def _counts():
    return (
        EmployerAgreement.objects.filter(status=AgreementStatus.IN_FORCE).count(),
        Renewal.objects.filter(status="pending").count(), RosterEntry.objects.filter(status="active").count(),
        PersonalAgreement.objects.filter(status=AgreementStatus.IN_FORCE).count(), AuditEvent.objects.count(),
    )  # fmt: skip


ACTIONS = [
    ("employers/{}/changes/", lambda w: w.employer.pk, "clerk",
     {"field": "phone", "after": "0535-6600001", "effective_on": "2026-01-01", "reported_on": "2026-01-02"}),
    ("employers/{}/dissolve/", lambda w: w.employer.pk, "clerk", {"kind": "revoked", "on": "2026-01-01"}),
    ("agreements/{}/renewals/{}/approve/", lambda w: (w.agreement.pk, w.renewal.pk), "approver", {}),
    ("agreements/{}/renewals/{}/reject/", lambda w: (w.agreement.pk, w.renewal.pk), "approver", {"note": "不同意"}),
    ("agreements/{}/end/", lambda w: w.agreement.pk, "approver", {"on": "2026-01-01", "reason": "违约"}),
    ("agreements/{}/roster/", lambda w: w.agreement.pk, "clerk", {"dossier_id": 0}),
    ("agreements/roster/{}/departure/", lambda w: w.entry.pk, "clerk", {"left_on": "2026-01-01", "choice": "transfer"}),
    ("agreements/personal/{}/end/", lambda w: w.personal.pk, "approver", {"on": "2026-01-01", "reason": "违约"}),
]  # fmt: skip


@pytest.mark.parametrize("who", ["anonymous", "no_role", "supervisor", "other"])
@pytest.mark.parametrize(("path", "args", "role", "body"), ACTIONS, ids=[a[0] for a in ACTIONS])
def test_api_refused_actions_change_nothing_and_write_no_audit(api_client, world, path, args, role, body, who):
    before = _counts()
    users = {"no_role": "no_role", "supervisor": "supervisor", "other": f"other_{role}"}
    if who in users:
        api_client.force_authenticate(world.users[users[who]])
    values = args(world)
    url = f"{API}/{path.format(*(values if isinstance(values, tuple) else (values,)))}"
    if "roster/" in path and "departure" not in path:
        body = {"dossier_id": world.uncovered.pk}
    response = api_client.post(url, body, format="json")
    assert response.status_code == {"anonymous": 401, "no_role": 403, "supervisor": 403, "other": 404}[who]
    assert _counts() == before


@pytest.mark.parametrize(("path", "args", "role", "body"), ACTIONS, ids=[a[0] for a in ACTIONS])
def test_api_actions_succeed_for_the_right_role(api_client, world, path, args, role, body):
    api_client.force_authenticate(world.users[role])
    values = args(world)
    if "roster/" in path and "departure" not in path:
        body = {"dossier_id": world.uncovered.pk}
    body = {k: (world.today.isoformat() if v == "2026-01-01" else v) for k, v in body.items()}
    if "reported_on" in body:
        body["reported_on"] = world.today.isoformat()
    url = f"{API}/{path.format(*(values if isinstance(values, tuple) else (values,)))}"
    response = api_client.post(url, body, format="json")
    assert response.status_code in (200, 201), response.json()


def test_api_register_sign_join_and_leave(api_client, world, employer_data):
    api_client.force_authenticate(world.users["clerk"])
    data = employer_data(name="烟台海洋新材料有限公司")
    data["founded_on"] = data["founded_on"].isoformat()
    created = api_client.post(f"{API}/employers/", data, format="json")
    assert created.status_code == 201, created.json()
    employer = created.json()
    assert employer["registration_no"].startswith("370602-")
    assert employer["registered_capital"] == "500.5"
    detail = api_client.get(f"{API}/employers/{employer['id']}/").json()
    assert [o["agency_code"] for o in detail["competent_agencies"]] == ["370600", "370602"]
    no_service = api_client.post(
        f"{API}/agreements/",
        {"employer_id": employer["id"], "term_years": 2, "start_date": world.today.isoformat(), "services": [],
         "hr_contact_name": "李娜", "hr_contact_post": "人事专员", "hr_contact_phone": "13905351234"},
        format="json",
    )  # fmt: skip
    assert no_service.status_code == 400
    assert "R23" in no_service.json()["fields"]["services"][0]
    signed = api_client.post(
        f"{API}/agreements/",
        {"employer_id": employer["id"], "term_years": 2, "start_date": world.today.isoformat(),
         "services": ["procedures", "party_transfer"], "hr_contact_name": "李娜", "hr_contact_post": "人事专员",
         "hr_contact_phone": "13905351234"},
        format="json",
    )  # fmt: skip
    assert signed.status_code == 201, signed.json()
    assert signed.json()["service_numbers"] == "1、5"
    agreement_id = signed.json()["id"]
    joined = api_client.post(
        f"{API}/agreements/{agreement_id}/roster/", {"dossier_id": world.uncovered.pk}, format="json"
    )
    assert joined.status_code == 201, joined.json()
    no_choice = api_client.post(
        f"{API}/agreements/roster/{joined.json()['id']}/departure/", {"left_on": world.today.isoformat()}, format="json"
    )
    assert no_choice.status_code == 400
    assert "choice" in no_choice.json()["fields"]
    left = api_client.post(
        f"{API}/agreements/roster/{joined.json()['id']}/departure/",
        {"left_on": world.today.isoformat(), "choice": "personal",
         "personal": {"start_date": world.today.isoformat(), "services": ["receive_transfer"]}},
        format="json",
    )  # fmt: skip
    assert left.status_code == 200, left.json()
    assert left.json()["status"] == "left_personal"
    assert left.json()["personal_agreement_id"]


@pytest.mark.rule("R24")
def test_r24_api_refuses_a_second_collective_agreement_with_409(api_client, world):
    api_client.force_authenticate(world.users["clerk"])
    response = api_client.post(
        f"{API}/agreements/",
        {"employer_id": world.employer.pk, "term_years": 1, "start_date": world.today.isoformat(),
         "services": ["procedures"], "hr_contact_name": "李娜", "hr_contact_post": "人事专员",
         "hr_contact_phone": "13905351234"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 409
    assert "R24" in response.json()["message"]


@pytest.mark.rule("R22")
def test_r22_api_renewal_outside_the_window_is_refused_with_the_rule(api_client, world, make_employer, sign):
    agreement = sign(make_employer(), start=world.today - datetime.timedelta(days=30), years=2)
    api_client.force_authenticate(world.users["clerk"])
    api_client.force_authenticate(agreement.signed_by)
    response = api_client.post(f"{API}/agreements/{agreement.pk}/renew/", {"years": 2}, format="json")
    assert response.status_code == 400
    assert "R22" in response.json()["message"]


@pytest.mark.rule("R3")
def test_r3_api_personal_agreement_refused_at_an_agency_the_rules_do_not_name(api_client, world, make_dossier):
    dossier = make_dossier("370602", household_region="370683")
    api_client.force_authenticate(world.users["clerk"])
    response = api_client.post(
        f"{API}/agreements/personal/",
        {"dossier_id": dossier.pk, "situation": "public_staff_left", "start_date": world.today.isoformat(),
         "services": ["receive_transfer"]},
        format="json",
    )  # fmt: skip
    assert response.status_code == 400
    assert "莱州市公共就业和人才服务中心" in response.json()["message"]
    ok = api_client.post(
        f"{API}/agreements/personal/",
        {"dossier_id": dossier.pk, "situation": "public_staff_left", "start_date": world.today.isoformat(),
         "services": ["receive_transfer"], "places": {"former_employer_region": "370602"}},
        format="json",
    )  # fmt: skip
    assert ok.status_code == 201, ok.json()
    assert ok.json()["form"]["name"] == dossier.person.name


@pytest.mark.rule("R4")
def test_r4_api_who_may_hold_a_graduates_dossier(api_client, world):
    api_client.force_authenticate(world.users["clerk"])
    response = api_client.get(
        f"{API}/agreements/jurisdiction/person/",
        {"situation": "graduate_self_employed", "household_region": "370602", "pre_enrolment_region": "370682",
         "work_region": "370611"},
    )  # fmt: skip
    assert [o["agency_code"] for o in response.json()] == ["370602", "370682", "370611"]
    assert all(o["reasons"][0].startswith("R4") for o in response.json())
    bad = api_client.get(
        f"{API}/agreements/jurisdiction/person/", {"situation": "flexible", "household_region": "999999"}
    )
    assert bad.status_code == 400


@pytest.mark.rule("R29")
def test_r29_notices_are_readable_by_any_authenticated_user(api_client, world, make_staff):
    notice_publish(
        actor=world.users["approver"], title="关于调整服务事项的公告", body="自即日起增加网上办理渠道。",
        effective_on=world.today,
    )  # fmt: skip
    assert api_client.get(f"{API}/notices/").status_code == 401
    for user in ("no_role", "other_clerk", "supervisor"):
        api_client.force_authenticate(world.users[user])
        body = api_client.get(f"{API}/notices/").json()
        assert body["results"][0]["title"] == "关于调整服务事项的公告"
    assert Notice.objects.count() == 1


@pytest.mark.parametrize(
    "path",
    ["employers/", "agreements/", "agreements/personal/", "agreements/reminders/", "agreements/without-agreement/"],
)
def test_api_lists_query_count_is_flat(
    api_client, world, make_dossier, employer_data, django_assert_max_num_queries, path
):
    from dangan.agreements import services

    clerk = world.users["clerk"]
    for _ in range(10):
        employer = services.employer_register(actor=clerk, data=employer_data(), today=world.today)
        agreement = services.employer_agreement_sign(
            actor=clerk, employer_id=employer.pk, term_years=1, start_date=world.today - datetime.timedelta(days=340),
            services=["procedures"], hr_contact_name="甲", hr_contact_post="乙", hr_contact_phone="13905351234",
            today=world.today,
        )  # fmt: skip
        services.roster_join(
            actor=clerk, agreement_id=agreement.pk, dossier_id=make_dossier("370602").pk, today=world.today
        )
        make_dossier("370602")
    api_client.force_authenticate(clerk)
    with django_assert_max_num_queries(12):
        assert api_client.get(f"{API}/{path}").status_code == 200
