"""Employers report departures (annex 1 §三6, R25) and changes (annex 1 §三7, R28) online; a clerk of the
agency holding the agreement accepts them (the agreements services record them) or rejects them with a reason."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dangan.agencies.models import Role
from dangan.agreements import services as agreements
from dangan.agreements.models import ChangeRecord, Employer, PersonalAgreement, RosterEntry, RosterStatus
from dangan.audit.models import AuditEvent
from dangan.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from dangan.portal import reports
from dangan.portal.models import EmployerReport, ReportStatus
from dangan.portal.services import account_sign_up

PASSWORD = "Portal-pass-2026"
EMPLOYER_SERVICES = ["procedures", "custody_certificates", "political_review", "consultation_loan", "party_transfer"]
PERSONAL_SERVICES = ["receive_transfer", "arrange_keep", "certificates"]


def _today():
    return timezone.localdate()


class Employers:
    """Employers registered and agreements signed through the agreements services, each with a portal account."""

    def __init__(self, make_staff, make_dossier, synth):
        self.make_dossier = make_dossier
        self.synth = synth
        self.clerks = {}
        self.make_staff = make_staff
        self.phones = iter(f"1390535{n:04d}" for n in range(1, 9999))

    def clerk(self, agency_code="370602"):
        if agency_code not in self.clerks:
            self.clerks[agency_code] = self.make_staff(agency_code, Role.COUNTER_CLERK)
        return self.clerks[agency_code]

    def employer(self, agency_code="370602", **overrides):
        synthetic = self.synth.employer()
        data = {
            "name": synthetic.name, "nature": "1", "industry": "C", "size": "3", "credit_code": synthetic.credit_code,
            "legal_representative": "王建国", "founded_on": datetime.date(2015, 5, 20), "registered_capital": "500",
            "address": "烟台市芝罘区南大街100号", "postcode": "264000", "phone": "0535-6612345", "contact": "李娜",
            "contact_post": "人力资源部经理", "remarks": "", "registration_level": "district",
            "registration_authority": "market_regulation", "county_code": agency_code,
        }  # fmt: skip
        data.update(overrides)
        clerk = self.clerk(agency_code)
        employer = agreements.employer_register(actor=clerk, data=data, today=_today())
        agreement = agreements.employer_agreement_sign(
            actor=clerk, employer_id=employer.pk, term_years=3, start_date=_today() - datetime.timedelta(days=400),
            services=EMPLOYER_SERVICES, hr_contact_name="李娜", hr_contact_post="人事专员",
            hr_contact_phone="13905351234", today=_today(),
        )  # fmt: skip
        account = account_sign_up(
            kind="employer", phone=next(self.phones), password=PASSWORD, name=employer.name,
            credit_code=employer.credit_code,
        )  # fmt: skip
        return employer, agreement, account

    def employee(self, agreement, agency_code="370602", **person):
        dossier = self.make_dossier(agency_code, **person)
        return agreements.roster_join(
            actor=self.clerk(agency_code), agreement_id=agreement.pk, dossier_id=dossier.pk,
            joined_on=_today() - datetime.timedelta(days=100),
        )  # fmt: skip


@pytest.fixture
def world(make_staff, make_dossier, synth):
    return Employers(make_staff, make_dossier, synth)


def _portal(account):
    client = Client()
    assert client.post(reverse("portal:login"), {"phone": account.phone, "password": PASSWORD}).status_code == 302
    return client


def _staff(user):
    client = Client()
    client.force_login(user)
    return client


def _departure(**overrides):
    data = {"left_on": _today().isoformat(), "choice": "transfer", "transfer_to": "青岛市人才服务中心", "note": ""}
    data.update(overrides)
    return data


@pytest.mark.rule("R25")
def test_r25_employer_reports_a_departure_and_the_clerk_records_it(world):
    _employer, agreement, account = world.employer()
    entry = world.employee(agreement)
    employer_site = _portal(account)
    home = employer_site.get(reverse("portal:home")).content.decode()
    assert reverse("portal:report_departure", args=[entry.pk]) in home

    response = employer_site.post(reverse("portal:report_departure", args=[entry.pk]), _departure())
    assert response.status_code == 302
    report = EmployerReport.objects.get()
    assert (report.kind, report.status, report.entry, report.agreement) == ("departure", "submitted", entry, agreement)
    entry.refresh_from_db()
    assert entry.status == RosterStatus.ACTIVE  # the report changes nothing by itself
    home = employer_site.get(reverse("portal:home")).content.decode()
    assert "待存档机构审核" in home
    assert "离职报告待审核" in home

    clerk_site = _staff(world.clerk())
    queue = clerk_site.get(reverse("employer_reports:queue")).content.decode()
    assert entry.dossier.person.name in queue
    assert clerk_site.post(reverse("employer_reports:accept", args=[report.pk])).status_code == 302

    entry.refresh_from_db()
    report.refresh_from_db()
    assert entry.status == RosterStatus.AWAITING_TRANSFER
    assert (entry.left_on, entry.exit_choice, entry.transfer_to) == (_today(), "transfer", "青岛市人才服务中心")
    assert (report.status, report.reviewed_by) == (ReportStatus.ACCEPTED, world.clerk())
    assert report.reviewed_at is not None
    left = AuditEvent.objects.get(action="agreements.roster_left")
    assert left.actor_id == world.clerk().pk  # recorded by the clerk, not by the employer's account
    assert report.pk not in [r.pk for r in clerk_site.get(reverse("employer_reports:queue")).context["rows"]]
    home = employer_site.get(reverse("portal:home"))
    assert "存档机构已登记" in home.content.decode()
    assert home.context["unread"] >= 1


@pytest.mark.rule("R25")
def test_r25_departure_to_a_personal_agreement_with_the_services_the_employee_chose(world):
    _employer, agreement, account = world.employer()
    entry = world.employee(agreement, household_region="370683")
    report = reports.report_departure_submit(
        user=account.user, entry_id=entry.pk, left_on=_today(), choice="personal",
        personal_services=["certificates", "receive_transfer"],
    )  # fmt: skip
    reports.report_accept(actor=world.clerk(), report_id=report.pk)
    entry.refresh_from_db()
    assert entry.status == RosterStatus.LEFT_PERSONAL
    personal = PersonalAgreement.objects.get(dossier=entry.dossier)
    assert personal.services == ["receive_transfer", "certificates"]
    assert personal.start_date == _today()
    assert personal.agency == agreement.agency


@pytest.mark.rule("R25")
def test_r25_departure_report_is_checked_when_submitted(world):
    _employer, agreement, account = world.employer()
    entry = world.employee(agreement)
    site = _portal(account)
    url = reverse("portal:report_departure", args=[entry.pk])

    future = site.post(url, _departure(left_on=(_today() + datetime.timedelta(days=1)).isoformat()))
    assert future.context["form"].errors["left_on"] == ["日期不能晚于今天"]
    early = site.post(url, _departure(left_on=(entry.joined_on - datetime.timedelta(days=1)).isoformat()))
    assert "离职日期不能早于纳入名册日期" in early.context["form"].errors["left_on"][0]
    no_choice = site.post(url, _departure(choice=""))
    assert "请按离职职工意愿选择" in no_choice.context["form"].errors["choice"][0]
    no_destination = site.post(url, _departure(transfer_to=""))
    assert no_destination.context["form"].errors["transfer_to"] == ["请填写档案拟转往的单位或机构"]
    no_services = site.post(url, _departure(choice="personal"))
    assert "至少选择一项" in no_services.context["form"].errors["personal_services"][0]
    assert "至少选择一项" in no_services.content.decode()
    assert not EmployerReport.objects.exists()

    assert site.post(url, _departure()).status_code == 302
    again = site.post(url, _departure())
    assert "请勿重复报告" in again.content.decode()
    with pytest.raises(Conflict):
        reports.report_departure_submit(
            user=account.user, entry_id=entry.pk, left_on=_today(), choice="transfer", transfer_to="青岛"
        )
    assert EmployerReport.objects.count() == 1


@pytest.mark.rule("R28")
def test_r28_change_report_is_recorded_with_the_employers_report_date(world):
    employer, _agreement, account = world.employer()
    effective = _today() - datetime.timedelta(days=60)
    submitted = timezone.now() - datetime.timedelta(days=50)  # ten days after the change: in time
    on_time = reports.report_change_submit(
        user=account.user, field="address", new_value="烟台市芝罘区北马路8号", effective_on=effective, now=submitted
    )
    # The clerk accepts today, two months after the change: the report date is still the employer's.
    assert _staff(world.clerk()).post(reverse("employer_reports:accept", args=[on_time.pk])).status_code == 302
    employer.refresh_from_db()
    assert employer.address == "烟台市芝罘区北马路8号"
    change = ChangeRecord.objects.get(field="address")
    assert change.reported_on == timezone.localdate(submitted)
    assert change.effective_on == effective
    assert change.before == "烟台市芝罘区南大街100号"
    assert change.overdue is False
    on_time.refresh_from_db()
    assert (on_time.status, on_time.change_record) == (ReportStatus.ACCEPTED, change)

    site = _portal(account)
    response = site.post(
        reverse("portal:report_change"),
        {
            "field": "legal_representative",
            "new_value": "张伟",
            "effective_on": (_today() - datetime.timedelta(days=45)).isoformat(),
        },
    )
    assert response.status_code == 302
    late = EmployerReport.objects.get(field="legal_representative")
    reports.report_accept(actor=world.clerk(), report_id=late.pk)
    employer.refresh_from_db()
    assert employer.legal_representative == "张伟"
    change = ChangeRecord.objects.get(field="legal_representative")
    assert change.reported_on == _today()
    assert change.overdue is True  # reported more than a month after it took effect


@pytest.mark.rule("R28")
def test_r28_change_report_is_checked_when_submitted(world):
    _employer, _agreement, account = world.employer()
    site = _portal(account)
    url = reverse("portal:report_change")
    page = site.get(url).content.decode()
    assert "烟台市芝罘区南大街100号" in page  # what is registered now
    cases = [
        ({"field": "", "new_value": "x"}, "field", "请选择变更内容"),
        ({"field": "name", "new_value": ""}, "new_value", "请填写变更后信息"),
        ({"field": "postcode", "new_value": "12"}, "new_value", None),
        ({"field": "legal_representative", "new_value": "王建国"}, "new_value", "变更后信息与变更前相同"),
    ]
    for data, field, message in cases:
        response = site.post(url, {**data, "effective_on": _today().isoformat()})
        errors = response.context["form"].errors
        assert field in errors, data
        if message:
            assert errors[field] == [message]
    future = site.post(
        url,
        {"field": "name", "new_value": "新名称", "effective_on": (_today() + datetime.timedelta(days=3)).isoformat()},
    )
    assert future.context["form"].errors["effective_on"] == ["日期不能晚于今天"]
    missing = site.post(url, {"field": "name", "new_value": "新名称", "effective_on": ""})
    assert missing.context["form"].errors["effective_on"] == ["请填写日期"]
    assert not EmployerReport.objects.exists()
    ok = site.post(url, {"field": "nature", "new_value": "社团法人", "effective_on": _today().isoformat()})
    assert ok.status_code == 302
    assert EmployerReport.objects.get().new_value == "2"


def test_reject_needs_a_reason_and_the_employer_sees_it(world):
    _employer, agreement, account = world.employer()
    entry = world.employee(agreement)
    report = reports.report_departure_submit(
        user=account.user, entry_id=entry.pk, left_on=_today(), choice="transfer", transfer_to="青岛市人才服务中心"
    )
    clerk = world.clerk()
    with pytest.raises(ValidationFailed) as refused:
        reports.report_reject(actor=clerk, report_id=report.pk, reason="  ")
    assert refused.value.fields == {"reason": ["请填写退回原因"]}
    site = _staff(clerk)
    response = site.post(reverse("employer_reports:reject", args=[report.pk]), {"reason": ""})
    assert response.status_code == 200
    assert "请填写退回原因" in response.content.decode()
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED

    response = site.post(
        reverse("employer_reports:reject", args=[report.pk]), {"reason": "离职日期与劳动合同解除证明不符"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert (report.status, report.reject_reason, report.reviewed_by) == (
        "rejected",
        "离职日期与劳动合同解除证明不符",
        clerk,
    )
    entry.refresh_from_db()
    assert entry.status == RosterStatus.ACTIVE
    with pytest.raises(Conflict):
        reports.report_accept(actor=clerk, report_id=report.pk)  # a decided report is final
    home = _portal(account).get(reverse("portal:home")).content.decode()
    assert "退回原因：离职日期与劳动合同解除证明不符" in home
    # A rejected report does not block a corrected one.
    reports.report_departure_submit(
        user=account.user, entry_id=entry.pk, left_on=_today(), choice="transfer", transfer_to="青岛市人才服务中心"
    )


def test_a_refusal_of_the_agreements_service_keeps_the_report_pending_with_its_message(world):
    _employer, agreement, account = world.employer()
    entry = world.employee(agreement)
    report = reports.report_departure_submit(
        user=account.user, entry_id=entry.pk, left_on=_today(), choice="transfer", transfer_to="青岛市人才服务中心"
    )
    clerk = world.clerk()
    # Meanwhile the departure was recorded at the counter.
    agreements.roster_departure_report(
        actor=clerk, entry_id=entry.pk, left_on=_today(), choice="transfer", transfer_to="威海"
    )
    response = _staff(clerk).post(reverse("employer_reports:accept", args=[report.pk]))
    assert response.status_code == 200
    assert "该人员已办理离职" in response.content.decode()
    assert "报告仍待审核" in response.content.decode()
    report.refresh_from_db()
    assert (report.status, report.reviewed_at) == (ReportStatus.SUBMITTED, None)
    assert not AuditEvent.objects.filter(action=reports.ACCEPTED).exists()

    change = reports.report_change_submit(
        user=account.user, field="phone", new_value="0535-6688999", effective_on=_today()
    )
    agreements.employer_change_record(
        actor=clerk, employer_id=agreement.employer_id, field="phone", after="0535-6688999", effective_on=_today()
    )
    with pytest.raises(ValidationFailed, match="变更后信息与变更前相同"):
        reports.report_accept(actor=clerk, report_id=change.pk)
    change.refresh_from_db()
    assert change.status == ReportStatus.SUBMITTED
    assert ChangeRecord.objects.count() == 1


@pytest.mark.rule("R5")
def test_an_employer_reports_only_for_its_own_roster(world):
    _employer, agreement, account = world.employer()
    _other_employer, other_agreement, other_account = world.employer()
    other_entry = world.employee(other_agreement)
    world.employee(agreement)
    site = _portal(account)
    url = reverse("portal:report_departure", args=[other_entry.pk])
    assert site.get(url).status_code == 404
    assert site.post(url, _departure()).status_code == 404
    with pytest.raises(NotFound):
        reports.report_departure_submit(
            user=account.user, entry_id=other_entry.pk, left_on=_today(), choice="transfer", transfer_to="青岛"
        )
    assert not EmployerReport.objects.exists()
    # Nor does it see another employer's reports.
    reports.report_departure_submit(
        user=other_account.user, entry_id=other_entry.pk, left_on=_today(), choice="transfer", transfer_to="青岛"
    )
    home = site.get(reverse("portal:home")).content.decode()
    assert other_entry.dossier.person.name not in home
    assert "暂无报告" in home


def test_a_person_cannot_use_the_employer_pages(world, make_dossier):
    _employer, agreement, _account = world.employer()
    entry = world.employee(agreement)
    dossier = make_dossier("370602", phone="13805351234")
    person = account_sign_up(
        kind="person", phone="13805351234", password=PASSWORD, name=dossier.person.name,
        id_number=dossier.person.id_number,
    )  # fmt: skip
    site = _portal(person)
    assert site.get(reverse("portal:report_change")).status_code == 403
    assert site.get(reverse("portal:report_departure", args=[entry.pk])).status_code == 403
    assert site.post(reverse("portal:report_departure", args=[entry.pk]), _departure()).status_code == 403
    with pytest.raises(PermissionDenied):
        reports.report_departure_submit(
            user=person.user, entry_id=entry.pk, left_on=_today(), choice="transfer", transfer_to="青岛"
        )
    assert site.get(reverse("employer_reports:queue")).status_code == 403  # nor the staff queue
    assert not EmployerReport.objects.exists()


def test_the_queue_is_for_signing_roles_of_the_agency_holding_the_agreement(world, make_staff):
    _employer, agreement, account = world.employer()
    entry = world.employee(agreement)
    report = reports.report_departure_submit(
        user=account.user, entry_id=entry.pk, left_on=_today(), choice="transfer", transfer_to="青岛"
    )
    _far, far_agreement, far_account = world.employer("370683")
    far_entry = world.employee(far_agreement, "370683")
    far_report = reports.report_departure_submit(
        user=far_account.user, entry_id=far_entry.pk, left_on=_today(), choice="transfer", transfer_to="青岛"
    )
    assert Client().get(reverse("employer_reports:queue")).status_code == 302  # to the staff sign-in

    officer = _staff(make_staff("370602", Role.ONLINE_OFFICER))
    rows = officer.get(reverse("employer_reports:queue")).context["rows"]
    assert [row["r"] for row in rows] == [report]
    assert officer.get(reverse("employer_reports:detail", args=[report.pk])).status_code == 200
    assert officer.get(reverse("employer_reports:detail", args=[far_report.pk])).status_code == 404
    assert officer.post(reverse("employer_reports:accept", args=[far_report.pk])).status_code == 404
    assert officer.post(reverse("employer_reports:reject", args=[far_report.pk]), {"reason": "x"}).status_code == 404
    with pytest.raises(NotFound):
        reports.report_accept(actor=world.clerk(), report_id=far_report.pk)

    for role in (Role.SUPERVISOR, Role.APPROVER, Role.ARCHIVE_KEEPER):
        site = _staff(make_staff("370602", role))
        assert site.get(reverse("employer_reports:queue")).status_code == 403
        assert site.post(reverse("employer_reports:accept", args=[report.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        reports.report_accept(actor=make_staff("370602", Role.SUPERVISOR, Role.APPROVER), report_id=report.pk)
    far_report.refresh_from_db()
    report.refresh_from_db()
    assert report.status == far_report.status == ReportStatus.SUBMITTED
    rows = _staff(world.clerk("370683")).get(reverse("employer_reports:queue")).context["rows"]
    assert [row["r"] for row in rows] == [far_report]


def test_submit_accept_and_reject_are_audited(world):
    employer, agreement, account = world.employer()
    entry = world.employee(agreement)
    departure = reports.report_departure_submit(
        user=account.user, entry_id=entry.pk, left_on=_today(), choice="transfer", transfer_to="青岛"
    )
    change = reports.report_change_submit(user=account.user, field="contact", new_value="赵敏", effective_on=_today())
    clerk = world.clerk()
    reports.report_accept(actor=clerk, report_id=departure.pk)
    reports.report_reject(actor=clerk, report_id=change.pk, reason="请附变更证明")

    submitted = AuditEvent.objects.filter(action=reports.SUBMITTED).order_by("seq")
    assert [(e.subject_id, e.actor_id) for e in submitted] == [
        (str(departure.pk), account.user_id),
        (str(change.pk), account.user_id),
    ]
    assert submitted[0].subject_type == "portal.employerreport"
    assert submitted[0].dossier_id == entry.dossier_id
    assert submitted[0].agency_id == agreement.agency_id
    assert submitted[0].actor_name == employer.name
    accepted = AuditEvent.objects.get(action=reports.ACCEPTED)
    assert (accepted.subject_id, accepted.actor_id, accepted.after["status"]) == (
        str(departure.pk),
        clerk.pk,
        "accepted",
    )
    rejected = AuditEvent.objects.get(action=reports.REJECTED)
    assert (rejected.subject_id, rejected.actor_id, rejected.reason) == (str(change.pk), clerk.pk, "请附变更证明")
    # The clerk's accept and the agreements service's record are in the same transaction: both or neither.
    assert AuditEvent.objects.filter(action="agreements.roster_left", actor_id=clerk.pk).count() == 1


def test_the_database_refuses_a_second_pending_departure_and_a_rejection_without_reason(world):
    from django.db import IntegrityError, transaction

    _employer, agreement, account = world.employer()
    entry = world.employee(agreement)
    report = reports.report_departure_submit(
        user=account.user, entry_id=entry.pk, left_on=_today(), choice="transfer", transfer_to="青岛"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        EmployerReport.objects.create(
            kind="departure", account=account, credit_code=account.credit_code, agreement=agreement, entry=entry,
            left_on=_today(), choice="personal", submitted_at=timezone.now(),
        )  # fmt: skip
    with pytest.raises(IntegrityError), transaction.atomic():
        EmployerReport.objects.filter(pk=report.pk).update(status="rejected", reviewed_at=timezone.now())
    assert RosterEntry.objects.get(pk=entry.pk).status == RosterStatus.ACTIVE
    assert Employer.objects.count() == 1


PHONE = {"width": 390, "height": 844}


@pytest.mark.browser
@pytest.mark.rule("R25")
@pytest.mark.django_db(transaction=True)
def test_an_employer_reports_a_departure_on_a_phone(live_server, browser, world):
    _employer, agreement, account = world.employer()
    entry = world.employee(agreement)
    name = entry.dossier.person.name
    context = browser.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        phone = context.new_page()
        phone.set_default_timeout(30000)
        phone.goto(live_server.url + "/portal/login/")
        phone.get_by_label("手机号码").fill(account.phone)
        phone.get_by_label("密码").fill(PASSWORD)
        phone.get_by_role("button", name="登录").click()
        phone.wait_for_url("**/portal/")
        assert name in phone.get_by_test_id("roster").inner_text()

        phone.get_by_role("link", name=f"报告{name}离职").click()
        phone.wait_for_url(f"**/portal/roster/{entry.pk}/departure/")
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        phone.get_by_role("radio", name="办理档案转出").check()
        phone.get_by_role("button", name="提交离职报告").click()
        assert phone.locator(".field-error").first.inner_text() == "请填写档案拟转往的单位或机构"
        phone.get_by_label("拟转往单位或机构").fill("青岛市人才服务中心")
        phone.get_by_label("离职日期").fill(_today().isoformat())
        phone.get_by_role("button", name="提交离职报告").click()
        phone.wait_for_url("**/portal/#reports")

        assert "离职报告，请等待存档机构审核" in phone.get_by_role("status").first.inner_text()
        report = phone.get_by_test_id("report").first
        assert f"{name}离职报告" in report.inner_text()
        assert report.get_by_test_id("report-status").inner_text() == "待存档机构审核"
        assert "离职报告待审核" in phone.get_by_test_id("roster").inner_text()
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()
    assert EmployerReport.objects.get().status == ReportStatus.SUBMITTED
