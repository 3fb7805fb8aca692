"""Writes about persons and dossiers: intake with notice and commitment, gaps, basic information."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any, NoReturn

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangan.agencies.models import Agency, Role
from dangan.agencies.policies import can_act_for_agency, staff_of
from dangan.audit.services import record
from dangan.core.codetables import table
from dangan.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from dangan.core.validators import resident_id_facts, validate_credit_code, validate_phone, validate_resident_id
from dangan.dossiers import delivery, events, workflow
from dangan.dossiers.basicinfo import BY_KEY, PARTY_OR_LEAGUE, work_started_too_early
from dangan.dossiers.models import (
    Dossier,
    DossierNumberSequence,
    DossierStatus,
    EducationRecord,
    EmploymentRecord,
    Gap,
    GapStatus,
    Intake,
    IntakeRefusal,
    PartyMembership,
    Person,
    QualificationRecord,
    SourceKind,
    TitleRecord,
)
from dangan.dossiers.policies import can_read_dossier, read_refusal
from dangan.dossiers.selectors import dossier_for_action

INTAKE_ROLES = (Role.COUNTER_CLERK, Role.ONLINE_OFFICER, Role.ARCHIVE_KEEPER)
DATA_ROLES = (Role.DATA_CLERK, Role.COUNTER_CLERK, Role.ARCHIVE_KEEPER)
# Delivery ways a dossier may arrive by (R12, `delivery.LABELS`); the person carrying it is never one of them.
SELF_CARRY = delivery.SELF_CARRY


def dossier_read(*, actor: Any, dossier_id: int) -> Dossier:
    """Open a dossier's content; the view is audited (R43). Out of scope looks like missing."""
    dossier: Dossier | None = (
        Dossier.objects.select_related("person", "holding_agency", "custodian").filter(pk=dossier_id).first()
    )
    if dossier is None or not can_read_dossier(actor, dossier):
        raise NotFound(_("档案不存在或无权查看"))
    refusal = read_refusal(actor, dossier)
    if refusal:
        with transaction.atomic():
            record(actor=actor, action="dossier.read_refused", subject=dossier, dossier_id=dossier.pk, reason=refusal)
        raise PermissionDenied(refusal, code="recusal")
    with transaction.atomic():
        record(actor=actor, action=events.DOSSIER_VIEWED, subject=dossier, dossier_id=dossier.pk)
    return dossier


# --- Person data -------------------------------------------------------------------------------

PERSON_FIELDS = (
    "id_type", "id_number", "name", "sex", "birth_date", "ethnic_group", "native_place", "household_region",
    "pre_enrolment_region", "political_status", "work_started_on", "person_category", "phone", "former_name",
    "marital_status", "health", "birthplace", "home_address", "postcode", "email", "social_security_no",
)  # fmt: skip


def validate_person_data(data: dict[str, Any]) -> dict[str, Any]:
    """Check and normalise person fields; raise ValidationFailed naming every bad field (in Chinese)."""
    errors: dict[str, list[str]] = {}
    clean = {k: v for k, v in data.items() if k in PERSON_FIELDS}

    def fail(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    for required in ("name", "id_number"):
        if not str(clean.get(required) or "").strip():
            fail(required, _("此项为必填项"))
    id_type = clean.get("id_type") or Person.IdType.RESIDENT_ID
    clean["id_type"] = id_type
    if id_type == Person.IdType.RESIDENT_ID and clean.get("id_number"):
        try:
            clean["id_number"] = validate_resident_id(str(clean["id_number"]))
        except ValidationError as exc:
            fail("id_number", exc.messages[0])
        else:
            birth, sex = resident_id_facts(clean["id_number"])
            if clean.get("birth_date") and clean["birth_date"] != birth:
                fail("birth_date", _("出生日期与身份证号码不一致（应为%(d)s）") % {"d": birth.isoformat()})
            if clean.get("sex") and clean["sex"] != sex:
                fail("sex", _("性别与身份证号码不一致"))
            clean.setdefault("birth_date", birth)
            clean["birth_date"] = clean.get("birth_date") or birth
            clean["sex"] = clean.get("sex") or sex
    elif clean.get("id_number"):
        clean["id_number"] = str(clean["id_number"]).strip().upper()
    if not clean.get("birth_date") and "birth_date" not in errors and "id_number" not in errors:
        fail("birth_date", _("此项为必填项"))
    for name, code_table in (
        ("sex", "sex"),
        ("ethnic_group", "ethnic_group"),
        ("political_status", "political_status"),
        ("person_category", "person_category"),
        ("marital_status", "marital_status"),
    ):
        value = clean.get(name)
        if value and value not in table(code_table):
            fail(name, _("代码无效：%(v)s") % {"v": value})
    for name in ("household_region", "pre_enrolment_region"):
        value = clean.get(name)
        if value and value not in table("regions"):
            fail(name, _("行政区划代码无效：%(v)s") % {"v": value})
    if clean.get("phone"):
        try:
            clean["phone"] = validate_phone(str(clean["phone"]))
        except ValidationError as exc:
            fail("phone", exc.messages[0])
    work_started = clean.get("work_started_on")
    birth_date = clean.get("birth_date")
    if work_started and birth_date and work_started_too_early(birth_date, work_started):
        fail("work_started_on", _("参加工作时间早于16周岁，请核对"))
    if errors:
        raise ValidationFailed(_("基础信息有误，请按提示修改"), fields=errors)
    return clean


# --- Intake ------------------------------------------------------------------------------------


@dataclass
class MissingMaterial:
    material_class: str
    title: str
    consequence: str = ""


@dataclass
class IntakeInput:
    person: dict[str, Any]
    source_kind: str
    source_name: str
    delivery: str
    received_on: datetime.date
    entrustment_type: str
    seal_intact: bool = True
    anomalies: str = ""
    education: dict[str, Any] | None = None
    employment: dict[str, Any] | None = None
    party_joined_on: datetime.date | None = None
    missing: list[MissingMaterial] = field(default_factory=list)
    party_name: str = ""
    acknowledged: bool = False
    commitment_deadline: datetime.date | None = None


def _next_number(agency: Agency) -> str:
    prefix = agency.code[-4:]
    sequence = DossierNumberSequence.objects.select_for_update().filter(agency=agency).first()
    if sequence is None:
        # First number drawn on the platform: continue after numbers that arrived by migration or bulk load.
        last = (
            Dossier.objects.filter(holding_agency=agency, number__regex=rf"^{prefix}[0-9]{{6}}$")
            .order_by("-number")
            .values_list("number", flat=True)
            .first()
        )
        DossierNumberSequence.objects.get_or_create(agency=agency, defaults={"last": int(last[4:]) if last else 0})
        sequence = DossierNumberSequence.objects.select_for_update().get(agency=agency)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"{agency.code[-4:]}{sequence.last:06d}"


def _validate_intake(data: IntakeInput, today: datetime.date) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if data.source_kind not in SourceKind.values:
        errors["source_kind"] = [_("请选择档案来源类型")]
    if not data.source_name.strip():
        errors["source_name"] = [_("请填写档案来自哪个单位或机构")]
    if data.delivery not in delivery.LABELS:
        # R12: only a known way (confidential courier, staff, registered post); self-carry is refused further on.
        errors["delivery"] = [_("送达方式无效，请选择机要交通、专人送取或给据邮件")]
    if data.received_on > today:
        errors["received_on"] = [_("接收日期不能晚于今天")]
    if data.entrustment_type not in ("collective", "personal"):
        errors["entrustment_type"] = [_("请选择存档类型")]
    classes = table("material_class")
    for index, gap in enumerate(data.missing):
        if gap.material_class not in classes:
            errors[f"missing[{index}].material_class"] = [_("材料类别无效")]
        if not gap.title.strip():
            errors[f"missing[{index}].title"] = [_("请填写缺少的材料名称")]
    if data.missing:
        # R11: the party is told in writing, acknowledges and commits to a deadline.
        if not data.party_name.strip():
            errors["party_name"] = [_("缺少关键材料时，须填写告知对象（本人或单位）")]
        if not data.acknowledged:
            errors["acknowledged"] = [_("须由当事人签署知情说明并承诺补充材料")]
        if data.commitment_deadline is None:
            errors["commitment_deadline"] = [_("请填写承诺补充期限")]
        elif data.commitment_deadline <= today:
            errors["commitment_deadline"] = [_("承诺补充期限应晚于今天")]
    political = data.person.get("political_status")
    if political in PARTY_OR_LEAGUE and data.party_joined_on is None:
        errors["party_joined_on"] = [_("党员、预备党员、团员须填写入党（团）时间")]
    return errors


def intake_refuse(*, actor: Any, agency: Agency, id_number: str, name: str, reason: str, detail: str = "") -> None:
    """Record a refusal; only the reasons the rules name exist (R7)."""
    if reason not in IntakeRefusal.Reason.values:
        raise ValidationFailed(_("只能以政策规定的理由不予接收（R7）"), fields={"reason": [_("不予接收的理由无效")]})
    with transaction.atomic():
        refusal = IntakeRefusal.objects.create(
            agency=agency, refused_by=actor, refused_at=timezone.now(), id_number=id_number, name=name,
            reason=reason, detail=detail,
        )  # fmt: skip
        record(actor=actor, action=events.INTAKE_REFUSED, subject=refusal, reason=str(refusal.get_reason_display()))


def _refuse_existing(*, actor: Any, agency: Agency, person_data: dict[str, Any], existing: Dossier) -> NoReturn:
    """The person already has a dossier that cannot be taken back here (R1, R18, R19): refuse, naming it.

    A dossier held by another agency (in stock there, or on its way), or handed over for good on retirement or
    death, is held elsewhere: the refusal is recorded with that reason (R7). A second registration of a dossier
    this agency itself holds turns no dossier away (the paper is already here): it is refused as a duplicate only.
    """
    holder = existing.holding_agency
    status = DossierStatus(existing.status)
    names = {"n": existing.number, "a": holder.name}
    field_message = _("该证件号码已有档案：%(n)s") % names
    code = "duplicate_person"
    if status == DossierStatus.RETIRED:
        code = "retired_handed_over"
        message = _(
            "该人员的档案（档案编号 %(n)s）已于退休时由%(a)s移交户籍所在地乡镇（街道）人社服务机构（R18），"
            "不再作为流动人员档案接收"
        )
    elif status == DossierStatus.DECEASED:
        code = "deceased_handed_over"
        message = _("该人员已故，档案（档案编号 %(n)s）已由%(a)s按规定移交保存（R19），不能重新接收")
    elif status == DossierStatus.IN_TRANSFER:
        message = _("该人员的档案（档案编号 %(n)s）正由%(a)s转递中，不能重复建档；转入本机构的，请在转递业务中确认接收")
    else:
        message = _("该人员已有档案（档案编号 %(n)s，存档机构 %(a)s），不能重复建档；如需调入请办理转递")
    if status not in workflow.IN_STOCK or holder.pk != agency.pk:
        intake_refuse(
            actor=actor, agency=agency, id_number=person_data["id_number"], name=person_data["name"],
            reason=IntakeRefusal.Reason.HELD_ELSEWHERE,
            detail=_("档案编号 %(n)s，存档机构 %(a)s，状态：%(s)s") % {**names, "s": status.label},
        )  # fmt: skip
    raise Conflict(message % names, code=code, fields={"id_number": [field_message]})


def _update_person_at_intake(
    *, actor: Any, person: Person, person_data: dict[str, Any], dossier_id: int | None
) -> dict[str, Any]:
    """A known person (a returning dossier's) takes the facts the intake registers; blank ones leave the record as
    it is. Each change is audited with its before and after."""
    changed = {k: v for k, v in person_data.items() if v not in (None, "") and getattr(person, k) != v}
    if changed:
        before = {k: getattr(person, k) for k in changed}
        for name, value in changed.items():
            setattr(person, name, value)
        person.save(update_fields=list(changed))
        reason = _("原转出档案重新接收入库") if dossier_id is not None else _("接收档案时登记")
        record(
            actor=actor, action=events.PERSON_UPDATED, subject=person, dossier_id=dossier_id, reason=reason,
            before=before, after=changed,
        )  # fmt: skip
    return changed


def _take_back(*, actor: Any, dossier_id: int, agency: Agency, data: IntakeInput) -> Dossier:
    """The dossier that left the platform comes back (R7): the same row (R1), back in stock through the workflow,
    with the receiving agency as holder and custodian and a number, barcode and date as a new intake gets them."""
    dossier = Dossier.objects.select_for_update(of=("self",)).select_related("holding_agency").get(pk=dossier_id)
    before = {
        "holding_agency": dossier.holding_agency.code, "number": dossier.number, "barcode": dossier.barcode,
        "received_on": dossier.received_on, "status": dossier.status,
    }  # fmt: skip
    dossier_transition(
        actor=actor, dossier=dossier, to=DossierStatus.IN_CUSTODY, process=workflow.RETURN_INTAKE,
        reason=_("原转出档案重新接收入库（R7）"),
    )  # fmt: skip
    number = _next_number(agency)
    dossier.holding_agency = agency
    dossier.custodian_id = agency.default_custodian_id or agency.pk
    dossier.number = number
    dossier.barcode = f"DA{agency.code}{number}"
    dossier.received_on = data.received_on
    dossier.entrustment_type = data.entrustment_type
    dossier.source_kind = data.source_kind
    dossier.source_name = data.source_name
    dossier.save(
        update_fields=[
            "holding_agency", "custodian", "number", "barcode", "received_on", "entrustment_type", "source_kind",
            "source_name",
        ]
    )  # fmt: skip
    record(
        actor=actor, action=events.DOSSIER_HOLDER_CHANGED, subject=dossier, dossier_id=dossier.pk, before=before,
        after={
            "holding_agency": agency.code, "number": dossier.number, "barcode": dossier.barcode,
            "received_on": dossier.received_on, "process": workflow.RETURN_INTAKE,
        },
    )  # fmt: skip
    return dossier


def _add_histories(*, actor: Any, person: Person, data: IntakeInput, returning: bool, dossier_id: int | None) -> None:
    """The intake's history rows. A returning person's record already has rows: what is already there is not
    entered twice, and every row added or demoted is audited (a new person's are part of the intake's entry)."""

    def added(kind: str, row: Any, fields: dict[str, Any]) -> None:
        if returning:
            record(actor=actor, action=events.HISTORY_ADDED, subject=row, dossier_id=dossier_id,
                   reason=_("原转出档案重新接收入库"), after={"kind": kind, **fields})  # fmt: skip

    if data.education:
        education = data.education
        if returning:
            known = EducationRecord.objects.filter(
                person=person, **{k: v for k, v in education.items() if k != "is_highest"}
            )
            if known.exists():
                education = {}  # already recorded before the dossier left: no second row
            else:
                demoted = list(
                    EducationRecord.objects.filter(person=person, is_highest=True).values_list("pk", flat=True)
                )
                if demoted:
                    EducationRecord.objects.filter(pk__in=demoted).update(is_highest=False)
                    record(actor=actor, action=events.HISTORY_ADDED, subject=person, dossier_id=dossier_id,
                           reason=_("新的最高学历"), before={"highest_education_rows": demoted},
                           after={"highest_education_rows": []})  # fmt: skip
        if education:
            school = EducationRecord.objects.create(person=person, is_highest=True, **education)
            added("education", school, {k: v for k, v in education.items() if k != "is_highest"})
    if data.employment:
        job = EmploymentRecord.objects.create(person=person, **data.employment)
        added("employment", job, dict(data.employment))
    if data.party_joined_on:
        organisation = "league" if person.political_status == "03" else "party"
        known_membership = PartyMembership.objects.filter(
            person=person, organisation=organisation, joined_on=data.party_joined_on
        ).exists()
        if not known_membership:
            membership = PartyMembership.objects.create(
                person=person, organisation=organisation, joined_on=data.party_joined_on
            )
            added("party", membership, {"organisation": organisation, "joined_on": data.party_joined_on})


def dossier_receive(*, actor: Any, data: IntakeInput, today: datetime.date | None = None) -> Intake:
    """Receive a dossier at the counter (R7, R11, R21, R35): register, number, list gaps, record the commitment.

    Nothing here asks for introduction letters, 转正定级 forms or re-assignment papers (R21); the only
    refusals are a self-carried dossier (R12) and a person whose dossier is held elsewhere (R1), each recorded
    with its reason. A dossier that was transferred out of the platform and comes back is taken back into stock:
    the same dossier, now held here (R7, R1).
    """
    staff = staff_of(actor)
    if staff is None or not can_act_for_agency(actor, staff.agency, *INTAKE_ROLES):
        raise PermissionDenied(_("只有窗口经办、网办专员或库房管理员可以接收档案"))
    agency = staff.agency
    if not agency.holds_dossiers:
        raise PermissionDenied(_("本机构不保管档案"))
    today = today or timezone.localdate()
    errors = _validate_intake(data, today)
    try:
        person_data = validate_person_data(data.person)
    except ValidationFailed as exc:
        errors = {**exc.fields, **errors}  # every bad field at once, nothing saved
    if errors:
        raise ValidationFailed(_("接收信息有误，请按提示修改"), fields=errors)
    if data.delivery == SELF_CARRY:
        intake_refuse(
            actor=actor, agency=agency, id_number=person_data["id_number"], name=person_data["name"],
            reason=IntakeRefusal.Reason.SELF_CARRIED,
        )  # fmt: skip
        raise ValidationFailed(
            _("档案严禁个人自带，本人携带的档案不予接收，请通过机要交通、专人送取或给据邮件转递（R12）"),
            code="self_carried",
            fields={"delivery": [_("个人自带的档案不予接收")]},
        )
    existing = (
        Dossier.objects.select_related("holding_agency").filter(person__id_number=person_data["id_number"]).first()
    )
    if existing is not None and existing.status not in workflow.RETURNABLE:
        _refuse_existing(actor=actor, agency=agency, person_data=person_data, existing=existing)
    returning = existing is not None
    with transaction.atomic():
        person, created = Person.objects.select_for_update().get_or_create(
            id_number=person_data["id_number"], defaults=person_data
        )
        person_changes: dict[str, Any] = {}
        if not created:
            person_changes = _update_person_at_intake(
                actor=actor, person=person, person_data=person_data, dossier_id=existing.pk if existing else None
            )
        _add_histories(
            actor=actor, person=person, data=data, returning=returning,
            dossier_id=existing.pk if existing is not None else None,
        )  # fmt: skip
        if existing is not None:
            previous_holder = existing.holding_agency.name
            dossier = _take_back(actor=actor, dossier_id=existing.pk, agency=agency, data=data)
        else:
            previous_holder = ""
            number = _next_number(agency)
            try:
                with transaction.atomic():
                    dossier = Dossier.objects.create(
                        person=person, number=number, holding_agency=agency,
                        custodian_id=agency.default_custodian_id or agency.pk, received_on=data.received_on,
                        barcode=f"DA{agency.code}{number}", entrustment_type=data.entrustment_type,
                        source_kind=data.source_kind, source_name=data.source_name,
                    )  # fmt: skip
            except IntegrityError:
                raise Conflict(_("该人员已有档案，不能重复建档"), code="duplicate_person") from None
        intake = Intake.objects.create(
            dossier=dossier, agency=agency, received_by=actor, received_at=timezone.now(),
            source_kind=data.source_kind, source_name=data.source_name, delivery=data.delivery,
            seal_intact=data.seal_intact, anomalies=data.anomalies, party_name=data.party_name,
            acknowledged_at=timezone.now() if data.missing else None,
            commitment_deadline=data.commitment_deadline if data.missing else None,
            commitment_text=_commitment_text(data) if data.missing else "",
        )  # fmt: skip
        for gap in data.missing:
            assert data.commitment_deadline is not None
            Gap.objects.create(
                intake=intake, dossier=dossier, material_class=gap.material_class, title=gap.title,
                consequence=gap.consequence, deadline=data.commitment_deadline,
            )  # fmt: skip
        after: dict[str, Any] = {
            "number": dossier.number,
            "person": person.name,
            "source": f"{dossier.get_source_kind_display()}：{dossier.source_name}",
            "delivery": data.delivery,
            "seal_intact": data.seal_intact,
            "missing": [f"{g.material_class} {g.title}" for g in data.missing],
            "commitment_deadline": data.commitment_deadline,
        }
        if returning:
            after |= {"returning": True, "previous_holder": previous_holder, "person_changed": sorted(person_changes)}
        record(actor=actor, action=events.DOSSIER_RECEIVED, subject=dossier, dossier_id=dossier.pk, after=after)
    return intake


def _commitment_text(data: IntakeInput) -> str:
    titles = "、".join(g.title for g in data.missing)
    deadline = data.commitment_deadline.isoformat() if data.commitment_deadline else ""
    return _("本人/本单位已知悉档案中缺少%(t)s，承诺于%(d)s前补齐并送交存档机构归档。") % {"t": titles, "d": deadline}


# --- Gaps ---------------------------------------------------------------------------------------


def gap_close(*, actor: Any, gap_id: int, material_id: int | None = None, note: str = "") -> Gap:
    """Close a gap when the missing material has arrived (called by the materials app in its transaction)."""
    with transaction.atomic():
        gap = Gap.objects.select_for_update().filter(pk=gap_id).first()
        if gap is None:
            raise NotFound(_("缺失材料记录不存在"))
        dossier_for_action(actor, gap.dossier_id, *DATA_ROLES, Role.COUNTER_CLERK)
        if gap.status == GapStatus.CLOSED:
            raise Conflict(_("该缺失材料已补齐"), code="gap_closed")
        gap.status = GapStatus.CLOSED
        gap.closed_at = timezone.now()
        gap.closed_by = actor
        gap.material_id = material_id
        gap.note = note[:200]
        gap.save(update_fields=["status", "closed_at", "closed_by", "material_id", "note"])
        record(
            actor=actor, action=events.GAP_CLOSED, subject=gap, dossier_id=gap.dossier_id,
            before={"status": GapStatus.OPEN}, after={"status": GapStatus.CLOSED, "material_id": material_id},
        )  # fmt: skip
    return gap


@dataclass(frozen=True)
class ReminderRun:
    reminded: int
    escalated: int


def gaps_follow_up(*, today: datetime.date, remind_days_before: int = 7, escalate_after_days: int = 30) -> ReminderRun:
    """Daily follow-up (R11): remind parties of gaps due soon or overdue; escalate long-overdue ones."""
    reminded = escalated = 0
    due_soon = today + datetime.timedelta(days=remind_days_before)
    with transaction.atomic():
        gaps = Gap.objects.select_for_update().filter(status=GapStatus.OPEN, deadline__lte=due_soon)
        for gap in gaps:
            if gap.deadline + datetime.timedelta(days=escalate_after_days) < today:
                gap.status = GapStatus.ESCALATED
                gap.save(update_fields=["status"])
                record(actor=None, action=events.GAP_ESCALATED, subject=gap, dossier_id=gap.dossier_id)
                escalated += 1
            elif gap.last_reminded_on != today:
                gap.reminders_sent += 1
                gap.last_reminded_on = today
                gap.save(update_fields=["reminders_sent", "last_reminded_on"])
                record(
                    actor=None, action=events.GAP_REMINDED, subject=gap, dossier_id=gap.dossier_id,
                    after={"deadline": gap.deadline, "overdue": gap.deadline < today},
                )  # fmt: skip
                reminded += 1
    return ReminderRun(reminded=reminded, escalated=escalated)


# --- Basic information after intake ---------------------------------------------------------------


def person_update(*, actor: Any, dossier_id: int, changes: dict[str, Any], reason: str = "") -> Person:
    with transaction.atomic():
        dossier = dossier_for_action(actor, dossier_id, *DATA_ROLES, lock=True)
        person = Person.objects.select_for_update().get(pk=dossier.person_id)
        current = {name: getattr(person, name) for name in PERSON_FIELDS}
        merged = validate_person_data({**current, **changes})
        if merged["id_number"] != person.id_number and Person.objects.filter(id_number=merged["id_number"]).exists():
            raise Conflict(_("该证件号码已属于另一位存档人员"), fields={"id_number": [_("证件号码重复")]})
        changed = {k: v for k, v in merged.items() if current.get(k) != v}
        if not changed:
            return person
        for name, value in changed.items():
            setattr(person, name, value)
        person.save(update_fields=list(changed))
        record(
            actor=actor, action=events.PERSON_UPDATED, subject=person, dossier_id=dossier.pk, reason=reason,
            before={k: current[k] for k in changed}, after=changed,
        )  # fmt: skip
    return person


HISTORY_MODELS: dict[str, type[Any]] = {
    "education": EducationRecord,
    "employment": EmploymentRecord,
    "title": TitleRecord,
    "qualification": QualificationRecord,
    "party": PartyMembership,
}


_TRUE = frozenset({"true", "1", "on", "yes", "是"})
_FALSE = frozenset({"false", "0", "off", "no", "否", ""})


def clean_flag(value: Any, name: str) -> bool:
    """A yes/no value as a real boolean: True/False, "true"/"false", "1"/"0", "on" (a checked box), 是/否.
    Anything else is refused rather than read by its truthiness ("false" is a non-empty string)."""
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValidationFailed(_("经历信息有误"), fields={name: [_("请填写“是”或“否”（true/false）")]})


def history_add(*, actor: Any, dossier_id: int, kind: str, values: dict[str, Any]) -> Any:
    model = HISTORY_MODELS.get(kind)
    if model is None:
        raise ValidationFailed(_("经历类别无效"), fields={"kind": [_("经历类别无效")]})
    if kind == "education" and "is_highest" in values:
        values = {**values, "is_highest": clean_flag(values["is_highest"], "is_highest")}
    with transaction.atomic():
        dossier = dossier_for_action(actor, dossier_id, *DATA_ROLES)
        row = model(person=dossier.person, **values)
        try:
            row.full_clean(exclude=["person"])
        except ValidationError as exc:
            raise ValidationFailed(_("经历信息有误"), fields=exc.message_dict) from None
        if kind == "education" and values.get("is_highest"):
            EducationRecord.objects.filter(person=dossier.person, is_highest=True).update(is_highest=False)
        if kind == "employment" and values.get("credit_code"):
            try:
                row.credit_code = validate_credit_code(values["credit_code"])
            except ValidationError as exc:
                raise ValidationFailed(_("经历信息有误"), fields={"credit_code": exc.messages}) from None
        row.save()
        record(
            actor=actor, action=events.HISTORY_ADDED, subject=row, dossier_id=dossier.pk,
            after={"kind": kind, **values},
        )  # fmt: skip
    return row


def item_declare_none(*, actor: Any, dossier_id: int, key: str) -> Person:
    """The data clerk confirms that a person has none of an item (no degree, no title…)."""
    item = BY_KEY.get(key)
    if item is None or not item.noneable:
        raise ValidationFailed(_("该采集项不能确认为“无”"), fields={"key": [_("该采集项不能确认为“无”")]})
    with transaction.atomic():
        dossier = dossier_for_action(actor, dossier_id, *DATA_ROLES)
        person = Person.objects.select_for_update().get(pk=dossier.person_id)
        if key not in person.declared_none:
            person.declared_none = [*person.declared_none, key]
            person.save(update_fields=["declared_none"])
            record(
                actor=actor, action=events.ITEM_DECLARED_NONE, subject=person, dossier_id=dossier.pk, after={"key": key}
            )
    return person


# --- Status --------------------------------------------------------------------------------------


def dossier_transition(*, actor: Any, dossier: Dossier, to: str, process: str, reason: str = "") -> Dossier:
    """Move a locked dossier to another status; only the process the table names may do it.

    Called by the services of the upper apps (loan, transfer, retirement, death) inside their transaction.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("dossier_transition must run inside the caller's transaction")
    if not workflow.can_move(dossier.status, to, process):
        raise Conflict(
            _("档案当前状态为“%(s)s”，不能办理此项业务") % {"s": DossierStatus(dossier.status).label},
            code="invalid_transition",
        )
    before = dossier.status
    dossier.status = to
    dossier.save(update_fields=["status"])
    record(
        actor=actor, action=events.DOSSIER_STATUS_CHANGED, subject=dossier, dossier_id=dossier.pk, reason=reason,
        before={"status": before}, after={"status": to, "process": process},
    )  # fmt: skip
    return dossier


def dossier_delete_refuse(*, actor: Any, dossier_id: int) -> None:
    """Deleting a dossier is never possible (R6); the attempt itself is recorded."""
    with transaction.atomic():
        dossier = Dossier.objects.filter(pk=dossier_id).first()
        if dossier is None or not can_read_dossier(actor, dossier):
            raise NotFound(_("档案不存在或无权查看"))
        record(
            actor=actor, action=events.DOSSIER_DELETE_REFUSED, subject=dossier, dossier_id=dossier.pk,
            reason="R6",
        )  # fmt: skip
    raise PermissionDenied(_("档案不可删除，只能通过转递、退休移交或死亡移交离开本机构（R6）"), code="never_delete")


def dossier_change_holder(*, actor: Any, dossier: Dossier, new_holder: Agency, process: str) -> Dossier:
    """Hand a locked dossier to another agency (transfer receipt, R1): one holder at a time, a new number
    from the new holder, the person's record untouched (R17). Runs inside the caller's transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("dossier_change_holder must run inside the caller's transaction")
    if not new_holder.holds_dossiers:
        raise ValidationFailed(_("接收机构不保管档案"))
    before = {"holding_agency": dossier.holding_agency.code, "number": dossier.number}
    dossier.holding_agency = new_holder
    dossier.custodian_id = new_holder.default_custodian_id or new_holder.pk
    dossier.number = _next_number(new_holder)
    dossier.save(update_fields=["holding_agency", "custodian", "number"])
    record(
        actor=actor, action=events.DOSSIER_HOLDER_CHANGED, subject=dossier, dossier_id=dossier.pk,
        before=before, after={"holding_agency": new_holder.code, "number": dossier.number, "process": process},
    )  # fmt: skip
    return dossier


def party_relation_follow(*, actor: Any, dossier: Dossier, destination: str) -> int:
    """The Party (or League) relation moves with the dossier: the open membership's place changes with it."""
    memberships = PartyMembership.objects.select_for_update().filter(person=dossier.person, left_on__isnull=True)
    moved = 0
    for membership in memberships:
        before = membership.branch
        membership.branch = destination[:100]
        membership.save(update_fields=["branch"])
        record(
            actor=actor, action="party.relation_moved", subject=membership, dossier_id=dossier.pk,
            before={"branch": before}, after={"branch": membership.branch},
        )  # fmt: skip
        moved += 1
    return moved
