"""Certificates from the record: R10 (what the record says, nothing else), R33 (province-wide), R43 (masked)."""

import datetime as dt
import subprocess

import pytest
from django.db import transaction
from django.urls import reverse

from dangan.audit.models import AuditEvent
from dangan.casework.models import ServiceRequest
from dangan.certificates.models import Certificate, CertificateType
from dangan.certificates.papers import certificate_pdf, portal_certificate_pdf, verify_url
from dangan.certificates.selectors import portal_certificates
from dangan.certificates.services import (
    certificate_decide,
    certificate_issue,
    certificate_revoke,
    certificate_type_save,
)
from dangan.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from dangan.core.pdf import pdf_text
from dangan.dossiers.models import Dossier, DossierStatus, TitleRecord
from dangan.dossiers.services import dossier_change_holder, dossier_transition
from dangan.materials.models import Material


@pytest.mark.rule("R10")
def test_custody_certificate_text_comes_from_the_record(staff, full_dossier, apply_for):
    dossier = full_dossier()
    certificate = certificate_issue(actor=staff["clerk"], request_id=apply_for(dossier).pk)
    person = dossier.person
    for expected in (
        person.name,
        person.id_number,
        "烟台市芝罘区公共就业和人才服务中心",
        "2024年3月1日",
        dossier.number,
        "在库",
    ):
        assert expected in certificate.text
    assert certificate.title == "存档证明"
    assert certificate.serial.startswith("ZM370602")
    assert certificate.issuing_agency.code == "370602"

    dossier.received_on = dt.date(2023, 5, 6)
    dossier.save(update_fields=["received_on"])
    second = certificate_issue(actor=staff["clerk"], request_id=apply_for(dossier).pk)
    assert "2023年5月6日" in second.text
    assert "2023年5月6日" not in Certificate.objects.get(pk=certificate.pk).text  # issued text is frozen
    assert second.serial != certificate.serial


@pytest.mark.rule("R10")
@pytest.mark.rule("R34")
def test_only_the_agency_holding_the_dossier_today_certifies_from_it(staff, full_dossier, apply_for, agencies):
    dossier = full_dossier()
    request = apply_for(dossier)
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        dossier_transition(actor=staff["clerk"], dossier=locked, to=DossierStatus.IN_TRANSFER, process="transfer")
    with pytest.raises(Conflict, match="档案正在转递中") as on_its_way:
        certificate_issue(actor=staff["clerk"], request_id=request.pk)
    assert on_its_way.value.code == "in_transfer"
    with transaction.atomic():
        locked = Dossier.objects.select_for_update().get(pk=dossier.pk)
        dossier_transition(
            actor=staff["laizhou_clerk"], dossier=locked, to=DossierStatus.IN_CUSTODY, process="transfer_arrival"
        )
        dossier_change_holder(actor=staff["laizhou_clerk"], dossier=locked, new_holder=agencies["370683"],
                              process="transfer")  # fmt: skip
    with pytest.raises(Conflict, match="档案已不在本机构保管") as moved:
        certificate_issue(actor=staff["clerk"], request_id=request.pk)
    assert moved.value.code == "not_in_stock"
    assert not Certificate.objects.exists()
    fresh = apply_for(dossier, actor=staff["laizhou_clerk"])
    assert certificate_issue(actor=staff["laizhou_clerk"], request_id=fresh.pk).issuing_agency.code == "370683"


@pytest.mark.rule("R10")
def test_career_certificate_lists_employers_education_and_titles(staff, full_dossier, apply_for):
    dossier = full_dossier()
    text = certificate_issue(actor=staff["clerk"], request_id=apply_for(dossier, "career").pk).text
    for expected in ("2015年7月", "2015年7月至2020年12月　烟台某某科技有限公司　软件工程师", "2021年1月起　烟台某某网络有限公司",
                     "烟台大学", "计算机科学与技术", "2019年12月　工程师（中级）"):  # fmt: skip
        assert expected in text
    TitleRecord.objects.create(person=dossier.person, title="高级工程师", level="associate_senior",
                               obtained_on=dt.date(2025, 12, 1))  # fmt: skip
    again = certificate_issue(actor=staff["clerk"], request_id=apply_for(dossier, "career").pk).text
    assert "2025年12月　高级工程师（副高级）" in again
    assert "高级工程师" not in text


@pytest.mark.rule("R10")
def test_missing_data_refuses_with_every_missing_item_and_changes_nothing(staff, make_dossier, apply_for):
    dossier = make_dossier("370602", work_started_on=None)
    request = apply_for(dossier, "career")
    events, certificates = AuditEvent.objects.count(), Certificate.objects.count()
    with pytest.raises(ValidationFailed) as refused:
        certificate_issue(actor=staff["clerk"], request_id=request.pk)
    assert refused.value.code == "missing_data"
    assert refused.value.fields["missing"] == ["参加工作时间", "学习经历", "工作经历", "专业技术职务（职称）"]
    assert "参加工作时间" in str(refused.value)
    assert AuditEvent.objects.count() == events
    assert Certificate.objects.count() == certificates
    assert ServiceRequest.objects.get(pk=request.pk).status == "submitted"


@pytest.mark.rule("R10")
def test_declared_none_prints_none_and_incomplete_rows_are_named(staff, full_dossier, make_dossier, apply_for):
    dossier = full_dossier()
    dossier.person.employment.update(started_on=None)
    with pytest.raises(ValidationFailed) as refused:
        certificate_issue(actor=staff["clerk"], request_id=apply_for(dossier, "career").pk)
    assert "工作经历（烟台某某科技有限公司）的起始时间" in refused.value.fields["missing"]

    other = full_dossier(id_number="370602199001011236", name="王五")
    other.person.titles.all().delete()
    other.person.declared_none = ["title"]
    other.person.save(update_fields=["declared_none"])
    text = certificate_issue(actor=staff["clerk"], request_id=apply_for(other, "career").pk).text
    assert "专业技术职务（职称）：\n无" in text


@pytest.mark.rule("R10")
def test_kinship_lists_the_recorded_family_and_needs_approval(staff, full_dossier, make_dossier, apply_for):
    dossier = full_dossier()
    request = apply_for(dossier, "kinship")
    with pytest.raises(Conflict, match="须经审核"):
        certificate_issue(actor=staff["clerk"], request_id=request.pk)
    with pytest.raises(Conflict):
        certificate_decide(actor=staff["approver"], request_id=request.pk, to="issued")
    certificate_decide(actor=staff["approver"], request_id=request.pk, to="approved", note="同意")
    text = certificate_issue(actor=staff["clerk"], request_id=request.pk).text
    assert "父亲　张大山　工作单位及职务：烟台市某某小学 教师" in text
    assert "母亲　李秀英" in text

    bare = make_dossier("370602")
    bare_request = apply_for(bare, "kinship")
    certificate_decide(actor=staff["approver"], request_id=bare_request.pk, to="approved")
    with pytest.raises(ValidationFailed) as refused:
        certificate_issue(actor=staff["clerk"], request_id=bare_request.pk)
    assert refused.value.fields["missing"] == ["家庭成员及主要社会关系"]


@pytest.mark.rule("R10")
def test_conduct_summary_holds_only_recorded_facts(staff, full_dossier, apply_for):
    dossier = full_dossier(political_status="01")
    request = apply_for(dossier, "conduct")
    certificate_decide(actor=staff["approver"], request_id=request.pk, to="approved")
    with pytest.raises(ValidationFailed) as refused:
        certificate_issue(actor=staff["clerk"], request_id=request.pk)
    assert refused.value.fields["missing"] == ["入党（团）时间"]  # a Party member without the date of joining

    dossier.person.memberships.create(
        organisation="party", joined_on=dt.date(2014, 6, 1), full_member_on=dt.date(2015, 6, 1)
    )
    Material.objects.create(
        dossier=dossier, material_class="7", title="烟台市优秀青年岗位能手荣誉证书", formed_on=dt.date(2022, 5, 4),
        formed_precision="day", pages=1, source="employer", received_on=dt.date(2022, 6, 1), status="filed", sequence=1,
        received_by=staff["clerk"],
    )  # fmt: skip
    text = certificate_issue(actor=staff["clerk"], request_id=request.pk).text
    assert "政治面貌：中国共产党党员" in text
    assert "2014年6月加入中国共产党，2015年6月转正" in text
    assert "烟台市优秀青年岗位能手荣誉证书（2022.05.04）" in text
    assert "违规违纪违法处理处分：\n无" in text


@pytest.mark.rule("R33")
def test_applied_anywhere_in_the_province_issued_by_the_holder(staff, full_dossier, apply_for):
    dossier = full_dossier()
    request = apply_for(dossier, actor=staff["laizhou_clerk"])
    assert request.channel == "proxy"
    assert request.holding_agency.code == "370602"
    with pytest.raises(PermissionDenied):
        certificate_issue(actor=staff["laizhou_clerk"], request_id=request.pk)
    certificate = certificate_issue(actor=staff["clerk"], request_id=request.pk)
    assert certificate.issuing_agency.code == "370602"
    request.refresh_from_db()
    assert request.status == "issued"
    assert request.completed_at is not None


@pytest.mark.rule("R30")
def test_organisations_bring_their_letter(staff, full_dossier, apply_for):
    dossier = full_dossier()
    with pytest.raises(ValidationFailed) as refused:
        apply_for(dossier, applicant_kind="organisation", applicant_name="烟台某某公司", documents=["id_card"])
    assert "单位出具的介绍信" in refused.value.fields["documents"][0]
    assert apply_for(dossier, applicant_kind="organisation", applicant_name="烟台某某公司",
                     documents=["id_card", "org_letter"])  # fmt: skip


def test_issue_is_audited_and_completes_the_request(staff, full_dossier, apply_for):
    dossier = full_dossier()
    request = apply_for(dossier)
    certificate = certificate_issue(actor=staff["clerk"], request_id=request.pk)
    event = AuditEvent.objects.get(action="certificate.issued")
    assert event.subject_id == str(certificate.pk)
    assert event.dossier_id == dossier.pk
    assert AuditEvent.objects.filter(action="request.step", subject_id=str(request.pk)).exists()
    with pytest.raises(Conflict):
        certificate_issue(actor=staff["clerk"], request_id=request.pk)


def test_pdf_is_chinese_and_its_qr_code_opens_the_verification_page(staff, full_dossier, apply_for, tmp_path):
    certificate = certificate_issue(actor=staff["clerk"], request_id=apply_for(full_dossier()).pk)
    pdf = certificate_pdf(certificate)
    text = pdf_text(pdf)
    for expected in ("存档证明", certificate.serial, "烟台市芝罘区公共就业和人才服务中心", "特此证明"):
        assert expected in text
    target = tmp_path / "certificate.pdf"
    target.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "200", "-png", "-f", "1", "-l", "1", str(target), str(tmp_path / "page")], check=True
    )
    page = next(tmp_path.glob("page*.png"))
    decoded = subprocess.run(["zbarimg", "--quiet", "--raw", str(page)], capture_output=True, text=True, check=True)
    url = decoded.stdout.strip()
    assert url == verify_url(certificate)
    assert url.endswith(f"/verify/certificate/{certificate.serial}/?t={certificate.token}")


@pytest.mark.rule("R43")
def test_verification_says_genuine_revoked_or_unknown_with_the_masked_name_only(client, staff, full_dossier, apply_for):
    dossier = full_dossier(name="张三丰")
    certificate = certificate_issue(actor=staff["clerk"], request_id=apply_for(dossier).pk)
    path = reverse("certificate_verify", args=[certificate.serial])
    genuine = client.get(path, {"t": certificate.token})
    body = genuine.content.decode()
    assert genuine.status_code == 200
    assert "真实有效" in body
    assert "张**" in body
    assert "张三丰" not in body
    assert dossier.person.id_number not in body
    assert dossier.number not in body

    wrong = client.get(path, {"t": "x" * 32})
    assert wrong.status_code == 404
    assert "未找到" in wrong.content.decode()
    assert "张**" not in wrong.content.decode()
    assert client.get(reverse("certificate_verify", args=["ZM000"]), {"t": "x"}).status_code == 404

    certificate_revoke(actor=staff["approver"], certificate_id=certificate.pk, reason="出具后发现申请人身份有误")
    revoked = client.get(path, {"t": certificate.token}).content.decode()
    assert "已作废" in revoked
    assert "真实有效" not in revoked
    assert "身份有误" not in revoked


def test_revoking_needs_the_approver_and_a_reason_and_refusals_change_nothing(staff, full_dossier, apply_for):
    certificate = certificate_issue(actor=staff["clerk"], request_id=apply_for(full_dossier()).pk)
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        certificate_revoke(actor=staff["clerk"], certificate_id=certificate.pk, reason="错误")
    with pytest.raises(NotFound):
        certificate_revoke(actor=staff["laizhou_approver"], certificate_id=certificate.pk, reason="错误")
    with pytest.raises(ValidationFailed):
        certificate_revoke(actor=staff["approver"], certificate_id=certificate.pk, reason="  ")
    assert AuditEvent.objects.count() == before
    assert Certificate.objects.get(pk=certificate.pk).status == "valid"
    revoked = certificate_revoke(actor=staff["approver"], certificate_id=certificate.pk, reason="信息有误")
    assert (revoked.status, revoked.revoke_reason) == ("revoked", "信息有误")
    assert AuditEvent.objects.filter(action="certificate.revoked", reason="信息有误").count() == 1
    with pytest.raises(Conflict):
        certificate_revoke(actor=staff["approver"], certificate_id=certificate.pk, reason="再次")


def test_portal_lists_and_downloads_a_persons_certificates(staff, full_dossier, apply_for, django_user_model):
    dossier = full_dossier()
    other = full_dossier(id_number="370602199001011236", name="王五")
    mine = certificate_issue(actor=staff["clerk"], request_id=apply_for(dossier).pk)
    certificate_issue(actor=staff["clerk"], request_id=apply_for(other).pk)
    citizen = django_user_model.objects.create_user(username="13800000000", password="x")
    listed = list(portal_certificates(user=citizen, id_number=dossier.person.id_number))
    assert listed == [mine]
    pdf, filename = portal_certificate_pdf(user=citizen, id_number=dossier.person.id_number, certificate_id=mine.pk)
    assert pdf.startswith(b"%PDF")
    assert filename == f"存档证明-{mine.serial}.pdf"
    with pytest.raises(NotFound):
        portal_certificate_pdf(user=citizen, id_number=other.person.id_number[:-1], certificate_id=mine.pk)
    certificate_revoke(actor=staff["approver"], certificate_id=mine.pk, reason="作废重开")
    with pytest.raises(Conflict):
        portal_certificate_pdf(user=citizen, id_number=dossier.person.id_number, certificate_id=mine.pk)


def test_administrator_configures_types_with_recorded_placeholders_only(staff, full_dossier, apply_for):
    with pytest.raises(PermissionDenied):
        certificate_type_save(
            actor=staff["clerk"], code="party", name="党员身份证明", body="{name}", needs_approval=True
        )
    with pytest.raises(ValidationFailed) as refused:
        certificate_type_save(
            actor=staff["admin"], code="party", name="党员身份证明", body="兹证明{name}{salary}", needs_approval=True
        )
    assert "salary" in refused.value.fields["body"][0]
    certificate_type_save(
        actor=staff["admin"], code="party", name="党员身份证明", needs_approval=False, valid_days=90,
        body="兹证明{name}（{id_type}：{id_number_masked}）党团关系情况：{party}。",
    )  # fmt: skip
    dossier = full_dossier()
    dossier.person.memberships.create(organisation="party", joined_on=dt.date(2014, 6, 1))
    certificate = certificate_issue(actor=staff["clerk"], request_id=apply_for(dossier, "party").pk)
    assert certificate.text == (
        f"兹证明张三（居民身份证：{dossier.person.masked_id_number}）党团关系情况：2014年6月加入中国共产党。"
    )
    assert certificate.valid_until == certificate.issued_on + dt.timedelta(days=90)
    assert CertificateType.objects.filter(code__in=["custody", "career", "kinship", "conduct"]).count() == 4
