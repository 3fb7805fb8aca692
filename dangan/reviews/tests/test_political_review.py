import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from dangan.audit.models import AuditEvent
from dangan.casework.models import ServiceRequest
from dangan.casework.services import request_advance, request_submit
from dangan.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from dangan.core.pdf import pdf_text
from dangan.dossiers.models import EmploymentRecord, FamilyMember
from dangan.reviews import events, extract
from dangan.reviews.models import PoliticalReview
from dangan.reviews.services import (
    political_review_approve,
    political_review_decide,
    political_review_draft,
    political_review_print,
    political_review_release,
    political_review_view,
)

CONCLUSION = "经查阅档案，未发现该同志有影响应征入伍的记载。"


def _text(review):
    review.refresh_from_db()
    return extract.as_text(review.extract)


@pytest.mark.rule("R10")
def test_extract_is_generated_from_the_record_and_changes_with_it(staff, member, apply_review):
    dossier = member()
    review = apply_review(dossier)
    political_review_draft(actor=staff.clerk, review_id=review.pk, conclusion=CONCLUSION)
    text = _text(review)
    for fact in (
        "姓名：王建华", "性别：男", "出生日期：1990年5月3日", "民族：汉族", "籍贯：山东蓬莱", "中国共产党党员",
        "2011年6月1日", "2012年6月1日", "鲁东大学", "汉语言文学", "烟台某某电子有限公司", "经济师",
        "2018年度优秀员工表彰决定", "警告处分决定", "王德胜",
    ):  # fmt: skip
        assert fact in text, fact
    assert review.conclusion == CONCLUSION
    # The record changes: the next extract says so, without anyone typing it.
    EmploymentRecord.objects.create(
        person=dossier.person, employer_name="烟台某某物流有限公司", started_on=dt.date(2019, 4, 1)
    )
    FamilyMember.objects.filter(person=dossier.person).update(name="王德盛")
    political_review_decide(actor=staff.approver, review_id=review.pk, to="submitted", note="档案已补充工作经历")
    political_review_draft(actor=staff.clerk, review_id=review.pk, conclusion=CONCLUSION)
    text = _text(review)
    assert "烟台某某物流有限公司" in text
    assert "王德盛" in text
    assert "王德胜" not in text


def test_a_missing_item_says_not_recorded_and_an_empty_history_is_empty(staff, make_dossier, apply_review):
    dossier = make_dossier("370602", name="李明", native_place="", political_status="13")
    review = apply_review(dossier)
    political_review_draft(actor=staff.clerk, review_id=review.pk, conclusion=CONCLUSION)
    review.refresh_from_db()
    facts = {f["item"]: f["value"] for f in review.extract["facts"]}
    assert facts["籍贯"] == extract.NOT_RECORDED
    assert facts["政治面貌"] == "群众"
    assert all(section["rows"] == [] for section in review.extract["sections"])


def test_the_conclusion_is_the_only_free_text_and_is_required(staff, member, apply_review, snapshot):
    review = apply_review(member())
    before = snapshot()
    with pytest.raises(ValidationFailed) as refused:
        political_review_draft(actor=staff.clerk, review_id=review.pk, conclusion="  ")
    assert "conclusion" in refused.value.fields
    assert snapshot() == before


def test_approval_must_come_from_someone_other_than_the_drafter(staff, member, apply_review, snapshot):
    review = apply_review(member())
    political_review_draft(actor=staff.clerk_approver, review_id=review.pk, conclusion=CONCLUSION)
    before = snapshot()
    with pytest.raises(PermissionDenied) as refused:
        political_review_approve(actor=staff.clerk_approver, review_id=review.pk)
    assert refused.value.code == "separation_of_duties"
    assert snapshot() == before
    review.refresh_from_db()
    assert review.approved_at is None
    assert review.request.status == "drafted"
    political_review_approve(actor=staff.approver, review_id=review.pk, note="同意")
    review.refresh_from_db()
    assert review.approved_by == staff.approver
    assert review.request.status == "approved"


def test_the_database_refuses_an_approval_by_the_drafter(staff, member, apply_review):
    review = apply_review(member())
    political_review_draft(actor=staff.clerk, review_id=review.pk, conclusion=CONCLUSION)
    with pytest.raises(IntegrityError), transaction.atomic():
        PoliticalReview.objects.filter(pk=review.pk).update(approved_by=staff.clerk, approved_at=review.drafted_at)


def test_a_clerk_cannot_approve_and_an_approver_cannot_draft(staff, member, apply_review, snapshot):
    review = apply_review(member())
    before = snapshot()
    with pytest.raises(PermissionDenied):
        political_review_draft(actor=staff.approver, review_id=review.pk, conclusion=CONCLUSION)
    assert snapshot() == before
    political_review_draft(actor=staff.keeper, review_id=review.pk, conclusion=CONCLUSION)
    before = snapshot()
    with pytest.raises(PermissionDenied):
        political_review_approve(actor=staff.clerk, review_id=review.pk)
    assert snapshot() == before


def test_approval_is_refused_when_the_record_changed_after_the_draft(staff, member, apply_review, snapshot):
    dossier = member()
    review = apply_review(dossier)
    political_review_draft(actor=staff.clerk, review_id=review.pk, conclusion=CONCLUSION)
    EmploymentRecord.objects.create(person=dossier.person, employer_name="烟台某某物流有限公司")
    before = snapshot()
    with pytest.raises(Conflict) as refused:
        political_review_approve(actor=staff.approver, review_id=review.pk)
    assert refused.value.code == "record_changed"
    assert snapshot() == before


def test_pdf_and_release_only_after_approval_and_the_pdf_holds_the_facts(staff, member, apply_review, snapshot):
    review = apply_review(member())
    political_review_draft(actor=staff.clerk, review_id=review.pk, conclusion=CONCLUSION)
    before = snapshot()
    with pytest.raises(Conflict):
        political_review_print(actor=staff.clerk, review_id=review.pk)
    with pytest.raises(Conflict) as refused:
        political_review_release(actor=staff.clerk, review_id=review.pk)
    assert refused.value.code == "not_approved"
    assert snapshot() == before
    political_review_approve(actor=staff.approver, review_id=review.pk)
    text = pdf_text(political_review_print(actor=staff.clerk, review_id=review.pk))
    compact = "".join(text.split())
    review.refresh_from_db()
    for fact in (
        "政审（考察）档案情况摘录", review.serial, "烟台市芝罘区人民武装部", "参军入伍", "王建华", "1990年5月3日",
        "鲁东大学", "烟台某某电子有限公司", "经济师", "警告处分决定", "王德胜", review.agency.name,
        f"{review.approved_at.year}年",
    ):  # fmt: skip
        assert fact in compact, fact
    assert "未发现该同志有影响应征入伍的记载" in compact
    political_review_release(actor=staff.clerk, review_id=review.pk, released_to="刘干事")
    review.refresh_from_db()
    assert review.request.status == "released"
    assert review.request.completed_at is not None
    released = AuditEvent.objects.get(action=events.REVIEW_RELEASED)
    assert released.dossier_id == review.dossier_id
    assert released.after["released_to"] == "刘干事"


@pytest.mark.rule("R43")
def test_reading_the_record_for_the_extract_is_audited(staff, member, apply_review):
    review = apply_review(member())
    political_review_draft(actor=staff.clerk, review_id=review.pk, conclusion=CONCLUSION)
    read = AuditEvent.objects.get(action=events.REVIEW_RECORD_READ)
    assert read.dossier_id == review.dossier_id
    assert read.actor_id == staff.clerk.pk
    political_review_view(actor=staff.approver, review_id=review.pk)
    assert AuditEvent.objects.filter(action=events.REVIEW_VIEWED, actor_id=staff.approver.pk).count() == 1
    political_review_approve(actor=staff.approver, review_id=review.pk)
    political_review_print(actor=staff.clerk, review_id=review.pk)
    assert AuditEvent.objects.filter(action=events.REVIEW_PRINTED, dossier_id=review.dossier_id).count() == 1


@pytest.mark.rule("R13")
def test_individuals_cannot_request_a_political_review(staff, member, apply_review, snapshot):
    dossier = member()
    before = snapshot()
    with pytest.raises(ValidationFailed) as refused:
        apply_review(dossier, applicant_kind="person", organisation=dossier.person.name)
    assert refused.value.code == "organisation_only"
    assert "个人不能申请" in refused.value.message
    # Nor through the request engine directly: the type accepts organisations only.
    with pytest.raises(ValidationFailed) as engine:
        request_submit(
            actor=staff.clerk, service_code="political_review", channel="counter", applicant_kind="person",
            applicant_name=dossier.person.name, documents=["org_letter", "reviewer_id"],
            person_id_number=dossier.person.id_number,
        )  # fmt: skip
    assert "applicant_kind" in engine.value.fields
    assert snapshot() == before


@pytest.mark.rule("R30")
def test_the_checklist_must_be_complete(member, apply_review, snapshot):
    dossier = member()
    before = snapshot()
    with pytest.raises(ValidationFailed) as refused:
        apply_review(dossier, documents=["org_letter"])
    assert "考察人" in refused.value.fields["documents"][0]
    assert snapshot() == before


def test_the_purpose_comes_from_the_data_file(member, apply_review):
    with pytest.raises(ValidationFailed) as refused:
        apply_review(member(), purpose="marriage")
    assert "purpose" in refused.value.fields
    for code in ("party_admission", "enlistment", "recruitment", "going_abroad"):
        assert apply_review(member(), purpose=code).purpose == code


def test_another_agency_cannot_act_and_gets_not_found(staff, member, apply_review, snapshot):
    review = apply_review(member())
    before = snapshot()
    with pytest.raises(NotFound):
        political_review_draft(actor=staff.laizhou, review_id=review.pk, conclusion=CONCLUSION)
    with pytest.raises(NotFound):
        political_review_view(actor=staff.laizhou, review_id=review.pk)
    with pytest.raises(NotFound):
        political_review_draft(actor=staff.clerk, review_id=review.pk + 1000, conclusion=CONCLUSION)
    assert snapshot() == before


def test_the_generic_step_page_cannot_skip_the_extract_or_the_separation_of_duties(staff, member, apply_review):
    review = apply_review(member())
    political_review_draft(actor=staff.clerk_approver, review_id=review.pk, conclusion=CONCLUSION)
    for target in ("approved", "released"):
        with pytest.raises(Conflict):
            request_advance(actor=staff.clerk_approver, request_id=review.request_id, to=target)
    assert ServiceRequest.objects.get(pk=review.request_id).status == "drafted"


def test_a_review_from_another_agency_is_not_province_wide(staff, member, apply_review):
    dossier = member()
    with pytest.raises(ValidationFailed) as refused:
        apply_review(dossier, actor=staff.laizhou)
    assert refused.value.code == "not_province_wide"


def test_rejection_needs_a_reason_and_ends_the_request(staff, member, apply_review):
    review = apply_review(member())
    with pytest.raises(ValidationFailed):
        political_review_decide(actor=staff.approver, review_id=review.pk, to="rejected", note="")
    political_review_decide(actor=staff.approver, review_id=review.pk, to="rejected", note="来函未写明考察事由")
    review.refresh_from_db()
    assert review.request.status == "rejected"
    with pytest.raises(Conflict):
        political_review_draft(actor=staff.clerk, review_id=review.pk, conclusion=CONCLUSION)
