"""Console pages: permission matrix, field errors in Chinese with input kept, flows, query counts."""

import datetime

import pytest
from django.urls import reverse

from dangan.agreements import services
from dangan.agreements.models import (
    AgreementStatus,
    ChangeRecord,
    Employer,
    EmployerAgreement,
    Notice,
    PersonalAgreement,
    Renewal,
    RosterEntry,
)
from dangan.audit.models import AuditEvent

from .conftest import ALL_EMPLOYER_SERVICES

# name, url arguments from the world, role that may open it, whether it shows one agency's object
PAGES = [
    ("home", lambda w: [], "clerk", False),
    ("employers", lambda w: [], "clerk", False),
    ("employer_register", lambda w: [], "clerk", False),
    ("employer", lambda w: [w.employer.pk], "clerk", True),
    ("employer_pdf", lambda w: [w.employer.pk], "clerk", True),
    ("employer_change", lambda w: [w.employer.pk], "clerk", True),
    ("employer_dissolve", lambda w: [w.employer.pk], "clerk", True),
    ("agreement_sign", lambda w: [w.employer.pk], "clerk", True),
    ("agreement_list", lambda w: [], "clerk", False),
    ("agreement", lambda w: [w.agreement.pk], "clerk", True),
    ("agreement_pdf", lambda w: [w.agreement.pk], "clerk", True),
    ("agreement_blank_pdf", lambda w: [], "clerk", False),
    ("agreement_end", lambda w: [w.agreement.pk], "approver", True),
    ("departure", lambda w: [w.entry.pk], "clerk", True),
    ("personal_list", lambda w: [], "clerk", False),
    ("personal", lambda w: [w.personal.pk], "clerk", True),
    ("personal_pdf", lambda w: [w.personal.pk], "clerk", True),
    ("personal_end", lambda w: [w.personal.pk], "approver", True),
    ("personal_blank_pdf", lambda w: [], "clerk", False),
    ("reminders", lambda w: [], "clerk", False),
    ("notices", lambda w: [], "clerk", False),
    ("dossier_section", lambda w: [w.employee.pk], "clerk", True),
]
ACTION_PAGES = {"employer_register", "employer_change", "employer_dissolve", "agreement_sign", "agreement_end",
                "departure", "personal_end"}  # fmt: skip


@pytest.mark.parametrize("who", ["anonymous", "no_role", "right", "other", "supervisor"])
@pytest.mark.parametrize(("name", "args", "role", "scoped"), PAGES, ids=[p[0] for p in PAGES])
def test_console_permission_matrix(client, world, name, args, role, scoped, who):
    url = reverse(f"agreements:{name}", args=args(world))
    users = {"no_role": "no_role", "right": role, "other": f"other_{role}", "supervisor": "supervisor"}
    if who in users:
        client.force_login(world.users[users[who]])
    expected = {
        "anonymous": 302,
        "no_role": 403,
        "right": 200,
        "other": 404 if scoped else 200,
        "supervisor": 403 if name in ACTION_PAGES else 200,
    }[who]
    response = client.get(url)
    assert response.status_code == expected
    if who == "other" and not scoped and response["Content-Type"].startswith("text/html"):
        assert world.employer.name not in response.content.decode()


def test_personal_sign_page_permission_matrix(client, world):
    url = f"{reverse('agreements:personal_sign')}?dossier={world.uncovered.pk}"
    assert client.get(url).status_code == 302
    for user, status in [("no_role", 403), ("supervisor", 403), ("other_clerk", 404), ("clerk", 200)]:
        client.force_login(world.users[user])
        assert client.get(url).status_code == status, user
    body = client.get(url).content.decode()
    assert world.uncovered.person.name in body  # the registration form is prefilled
    assert client.get(reverse("agreements:personal_sign")).status_code == 404


def _snapshot():
    return (
        Employer.objects.count(), EmployerAgreement.objects.filter(status=AgreementStatus.IN_FORCE).count(),
        ChangeRecord.objects.count(), RosterEntry.objects.filter(status="active").count(),
        PersonalAgreement.objects.filter(status=AgreementStatus.IN_FORCE).count(),
        Renewal.objects.filter(status="pending").count(), Notice.objects.count(), AuditEvent.objects.count(),
    )  # fmt: skip


# name, url arguments, the data a right user would send
ACTIONS = [
    ("employer_change", lambda w: [w.employer.pk], {"field": "name", "after": "新名称有限公司",
                                                     "effective_on": "2026-01-01", "reported_on": "2026-01-05"}),
    ("employer_dissolve", lambda w: [w.employer.pk], {"kind": "deregistered", "on": "2026-01-01"}),
    ("agreement_sign", lambda w: [w.employer.pk], {"term_years": "3", "start_date": "2026-01-01",
                                                    "services": ["procedures"], "hr_contact_name": "甲",
                                                    "hr_contact_post": "乙", "hr_contact_phone": "13905351234"}),
    ("agreement_end", lambda w: [w.agreement.pk], {"on": "2026-01-01", "reason": "违约"}),
    ("roster_add", lambda w: [w.agreement.pk], {"dossier": "T000003", "joined_on": "2026-01-01"}),
    ("departure", lambda w: [w.entry.pk], {"left_on": "2026-01-01", "choice": "transfer"}),
    ("renewal_decide", lambda w: [w.agreement.pk, w.renewal.pk], {"approve": "1"}),
    ("personal_end", lambda w: [w.personal.pk], {"on": "2026-01-01", "reason": "违约"}),
]  # fmt: skip


@pytest.mark.parametrize("who", ["anonymous", "no_role", "supervisor", "other_clerk", "other_approver"])
@pytest.mark.parametrize(("name", "args", "data"), ACTIONS, ids=[a[0] for a in ACTIONS])
def test_refused_console_actions_change_nothing_and_write_no_audit(client, world, name, args, data, who):
    before = _snapshot()
    if who != "anonymous":
        client.force_login(world.users[who])
    response = client.post(reverse(f"agreements:{name}", args=args(world)), data)
    expected = {"anonymous": 302, "no_role": 403, "supervisor": 403}.get(who, 404)
    assert response.status_code == expected
    assert _snapshot() == before


def test_register_shows_chinese_field_errors_and_keeps_what_was_typed(client, world):
    client.force_login(world.users["clerk"])
    data = {"name": "烟台新材料科技有限公司", "nature": "1", "credit_code": "91370602MA3C12345X",
            "legal_representative": "", "founded_on": "2015-05-20", "address": "烟台市芝罘区南大街1号",
            "postcode": "26400", "phone": "0535-6612345", "contact": "张强", "contact_post": "经理",
            "registration_level": "city", "registration_authority": "market_regulation", "county_code": "370602"}  # fmt: skip
    response = client.post(reverse("agreements:employer_register"), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "此项为必填项" in body
    assert "邮政编码应为6位数字" in body
    assert "统一社会信用代码" in body
    for typed in ("烟台新材料科技有限公司", "烟台市芝罘区南大街1号", "张强"):
        assert typed in body
    assert Employer.objects.count() == 1


def test_register_sign_and_print_through_the_console(client, world, employer_data):
    client.force_login(world.users["clerk"])
    data = {k: v for k, v in employer_data(name="烟台信息智能有限公司").items() if v not in (None, "")}
    response = client.post(reverse("agreements:employer_register"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    employer = Employer.objects.get(name="烟台信息智能有限公司")
    page = client.get(response["Location"]).content.decode()
    assert employer.registration_no in page
    assert "烟台市公共就业和人才服务中心" in page or "烟台市中心" in page
    sign_url = reverse("agreements:agreement_sign", args=[employer.pk])
    no_service = client.post(sign_url, {"term_years": "3", "start_date": "2026-01-01", "hr_contact_name": "李娜",
                                        "hr_contact_post": "人事专员", "hr_contact_phone": "13905351234"})  # fmt: skip
    assert "R23" in no_service.content.decode()
    assert "李娜" in no_service.content.decode()
    signed = client.post(sign_url, {"term_years": "3", "start_date": "2026-01-01", "services": ALL_EMPLOYER_SERVICES,
                                    "hr_contact_name": "李娜", "hr_contact_post": "人事专员",
                                    "hr_contact_phone": "13905351234"})  # fmt: skip
    assert signed.status_code == 302
    agreement = EmployerAgreement.objects.get(employer=employer)
    assert agreement.end_date == datetime.date(2028, 12, 31)
    pdf = client.get(reverse("agreements:agreement_pdf", args=[agreement.pk]))
    assert pdf["Content-Type"] == "application/pdf"


def test_renewal_is_applied_for_and_approved_through_the_console(client, world):
    client.force_login(world.users["clerk"])
    again = client.post(reverse("agreements:agreement_renew", args=[world.agreement.pk]), {"years": "3"})
    assert "已有待审批的续签申请" in again.content.decode()
    client.force_login(world.users["approver"])
    page = client.get(reverse("agreements:agreement", args=[world.agreement.pk])).content.decode()
    assert "审批" in page
    done = client.post(
        reverse("agreements:renewal_decide", args=[world.agreement.pk, world.renewal.pk]), {"approve": "1"}
    )
    assert done.status_code == 302
    old_end = world.agreement.end_date
    world.agreement.refresh_from_db()
    assert world.agreement.end_date > old_end


def test_departure_requires_a_choice_then_goes_personal(client, world):
    client.force_login(world.users["clerk"])
    url = reverse("agreements:departure", args=[world.entry.pk])
    page = client.get(url).content.decode()
    assert world.employee.person.name in page  # prefilled registration form
    missing = client.post(url, {"left_on": world.today.isoformat()})
    assert "请按离职人员意愿选择" in missing.content.decode()
    form = dict.fromkeys(("native_place", "work_started_on", "political_status", "party_joined_on"), "")
    done = client.post(url, {
        "left_on": world.today.isoformat(), "choice": "personal", "start_date": world.today.isoformat(),
        "services": ["receive_transfer", "arrange_keep"], "name": world.employee.person.name, "sex": "男" if world.employee.person.sex == "1" else "女",
        "id_number": world.employee.person.id_number, **form,
    })  # fmt: skip
    assert done.status_code == 302, done.content.decode()[:3000]
    world.entry.refresh_from_db()
    assert world.entry.personal_agreement.services == ["receive_transfer", "arrange_keep"]


def test_roster_add_by_dossier_number(client, world):
    client.force_login(world.users["clerk"])
    url = reverse("agreements:roster_add", args=[world.agreement.pk])
    missing = client.post(url, {"dossier": "NOPE", "joined_on": world.today.isoformat()})
    assert "本机构没有档案编号" in missing.content.decode()
    done = client.post(url, {"dossier": world.uncovered.number, "joined_on": world.today.isoformat()})
    assert done.status_code == 302
    assert RosterEntry.objects.filter(dossier=world.uncovered, status="active").exists()


@pytest.mark.rule("R28")
def test_r28_late_change_through_the_console_is_flagged_and_reminded(client, world):
    client.force_login(world.users["clerk"])
    response = client.post(
        reverse("agreements:employer_change", args=[world.employer.pk]),
        {"field": "address", "after": "烟台市芝罘区北马路8号", "effective_on": "2025-01-01",
         "reported_on": world.today.isoformat()},
    )  # fmt: skip
    assert response.status_code == 302
    assert ChangeRecord.objects.get().overdue
    reminders = client.get(reverse("agreements:reminders")).content.decode()
    assert "烟台市芝罘区北马路8号" in reminders
    assert world.agreement.employer.name in reminders  # expiring within a month
    assert world.uncovered.number in reminders  # held, covered by no agreement


@pytest.mark.rule("R29")
def test_r29_approver_publishes_a_notice_and_every_staff_member_reads_it(client, world):
    client.force_login(world.users["clerk"])
    assert (
        client.post(
            reverse("agreements:notices"), {"title": "x", "body": "y", "effective_on": "2026-01-01"}
        ).status_code
        == 403
    )
    client.force_login(world.users["approver"])
    empty = client.post(reverse("agreements:notices"), {"title": "", "body": "内容", "effective_on": "2026-01-01"})
    assert "此项为必填项" in empty.content.decode()
    assert "内容" in empty.content.decode()
    done = client.post(
        reverse("agreements:notices"),
        {"title": "关于调整档案查阅服务时间的公告", "body": "自2027年1月1日起，查阅服务时间调整为工作日上午。", "effective_on": "2027-01-01"},
    )  # fmt: skip
    assert done.status_code == 302
    client.force_login(world.users["other_clerk"])
    assert "关于调整档案查阅服务时间的公告" in client.get(reverse("agreements:notices")).content.decode()


@pytest.mark.parametrize("name", ["employers", "agreement_list", "personal_list", "reminders", "home"])
def test_list_pages_query_count_is_flat(
    client, world, make_dossier, employer_data, django_assert_max_num_queries, name
):
    clerk = world.users["clerk"]
    for _ in range(12):
        employer = services.employer_register(actor=clerk, data=employer_data(), today=world.today)
        agreement = services.employer_agreement_sign(
            actor=clerk, employer_id=employer.pk, term_years=1, start_date=world.today - datetime.timedelta(days=300),
            services=["procedures"], hr_contact_name="甲", hr_contact_post="乙", hr_contact_phone="13905351234",
            today=world.today,
        )  # fmt: skip
        services.roster_join(
            actor=clerk, agreement_id=agreement.pk, dossier_id=make_dossier("370602").pk, today=world.today
        )
        services.employer_change_record(
            actor=clerk, employer_id=employer.pk, field="phone", after="0535-6600000",
            effective_on=world.today - datetime.timedelta(days=60), today=world.today,
        )  # fmt: skip
        make_dossier("370602")
    client.force_login(clerk)
    with django_assert_max_num_queries(16):
        assert client.get(reverse(f"agreements:{name}")).status_code == 200


def test_employer_search_finds_by_name_and_ignores_control_characters(client, world):
    # A NUL reached PostgreSQL and failed the page; a scanner's trailing CR would have found nothing.
    client.force_login(world.users["clerk"])
    url = reverse("agreements:employers")
    for query in ["港航信息", "港航\x00信息", "\t港航信息\r\n"]:
        response = client.get(url, {"q": query})
        assert response.status_code == 200
        assert world.employer.name in response.content.decode()
    assert world.employer.name not in client.get(url, {"q": "不存在的单位"}).content.decode()
