"""好差评 (R32): visits end with a one-time rating token, matters online are rated once, poor ratings open a
rectification case that is verified, answered and closed within the time limit, or appealed."""

from __future__ import annotations

import datetime
import secrets
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangan.agencies.policies import staff_of
from dangan.audit.services import record
from dangan.casework import registry
from dangan.casework.models import Channel as RequestChannel
from dangan.casework.models import ServiceRequest
from dangan.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from dangan.ratings import events, grades, policies
from dangan.ratings import workflow as wf
from dangan.ratings.models import CaseStatus, CounterVisit, Rating, RectificationCase
from dangan.workdays.calendar import WorkCalendar
from dangan.workdays.services import register_recomputer

COMMENT_MAX = 500
TEXT_MAX = 2000


def rectification_days() -> int:
    return int(getattr(settings, "DANGAN_RECTIFICATION_DAYS", 15))


def visit_end(
    *, actor: Any, service_type: str = "", request_id: int | None = None, request_number: str = ""
) -> CounterVisit:
    """The clerk ends a visit at the window: the visit gets a one-time token for the tablet or QR page.

    The visit may name the matter it was about (by id or number): a request this window accepted."""
    staff = staff_of(actor)
    if staff is None or not policies.can_end_visit(actor, staff.agency):
        raise PermissionDenied(_("只有窗口经办可以登记窗口服务"))
    request = None
    if request_id is not None or request_number.strip():
        field = "request_id" if request_id is not None else "request_number"
        lookup = {"pk": request_id} if request_id is not None else {"number": request_number.strip()}
        request = (
            ServiceRequest.objects.filter(**lookup, channel__in=[RequestChannel.COUNTER, RequestChannel.PROXY])
            .filter(accepting_agency_id=staff.agency_id)
            .first()
        )
        if request is None:
            raise ValidationFailed(_("办件不存在"), fields={field: [_("请填写本窗口受理的办件")]})
        service_type = request.service_type
    if service_type and registry.get(service_type) is None:
        raise ValidationFailed(_("服务事项无效"), fields={"service_type": [_("服务事项无效")]})
    with transaction.atomic():
        visit = CounterVisit.objects.create(
            agency=staff.agency, clerk=actor, service_type=service_type, request=request,
            token=secrets.token_urlsafe(18), ended_at=timezone.now(),
        )  # fmt: skip
        record(
            actor=actor, action=events.VISIT_ENDED, subject=visit,
            after={"service_type": service_type, "request": request.number if request else ""},
        )  # fmt: skip
    return visit


def _validate(grade: str, comment: str, channel: str) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if grade not in grades.Grade.values:
        errors["grade"] = [_("请选择评价等级")]
    elif grades.is_poor(grade) and not comment.strip():
        errors["comment"] = [_("请说明不满意的原因，以便核实整改")]
    if len(comment) > COMMENT_MAX:
        errors["comment"] = [_("评价内容不超过%(n)d字") % {"n": COMMENT_MAX}]
    if channel not in Rating.Channel.values:
        errors["channel"] = [_("评价渠道无效")]
    return errors


def _rated_staff(request: ServiceRequest) -> int | None:
    """The named officer of the matter (R31), else whoever took its last step at the holder."""
    if request.assigned_to_id is not None:
        return request.assigned_to_id
    step = request.steps.filter(agency_id=request.holding_agency_id, actor__isnull=False).order_by("-at", "-pk")
    last = step.first()
    return last.actor_id if last else None


def rating_submit(
    *,
    rater: Any,
    request_id: int | None = None,
    visit_token: str | None = None,
    grade: str,
    comment: str = "",
    channel: str,
    now: datetime.datetime | None = None,
) -> Rating:
    """Rate one completed service: online by the matter's applicant, at the counter with the visit's token.

    Online: the rater must be the applicant (see policies.is_applicant); staff never rate. One rating per matter
    and per visit, refused here and by the database. A poor grade opens a rectification case at once."""
    comment = comment.strip()
    errors = _validate(grade, comment, channel)
    if channel == Rating.Channel.ONLINE and request_id is None:
        errors["request_id"] = [_("网办评价须指明办件")]
    if channel == Rating.Channel.COUNTER and not visit_token:
        errors["visit_token"] = [_("窗口评价须扫描本次服务的二维码")]
    if errors:
        raise ValidationFailed(_("评价信息有误"), fields=errors)
    now = now or timezone.now()
    try:
        with transaction.atomic():
            if channel == Rating.Channel.ONLINE:
                assert request_id is not None
                rating = _rate_request(rater, request_id, grade, comment, now)
            else:
                assert visit_token is not None
                rating = _rate_visit(rater, visit_token, grade, comment, now)
            record(
                actor=rater, action=events.RATING_SUBMITTED, subject=rating, agency_id=rating.agency_id,
                actor_name=None if getattr(rater, "is_authenticated", False) else _("评价人"),
                after={"channel": channel, "grade": grade, "category": rating.category,
                       "request": rating.request_id, "visit": rating.visit_id},
            )  # fmt: skip
            if rating.category == grades.Category.POOR:
                _open_case(rating, now)
    except IntegrityError as exc:  # two raters at the same moment: the unique constraint decides
        raise Conflict(_("该事项已评价，每个事项只能评价一次"), code="already_rated") from exc
    return rating


def _rate_request(rater: Any, request_id: int, grade: str, comment: str, now: datetime.datetime) -> Rating:
    request = ServiceRequest.objects.select_for_update(of=("self",)).filter(pk=request_id).first()
    if request is None or not policies.is_applicant(rater, request) or staff_of(rater) is not None:
        raise NotFound(_("办件不存在或您不是该办件的申请人"))
    if request.channel != RequestChannel.ONLINE:
        raise Conflict(_("窗口办理的事项请在窗口按次评价"), code="counter_matter")
    if request.completed_at is None:
        raise Conflict(_("事项办结后才能评价"), code="not_completed")
    if Rating.objects.filter(request=request).exists():
        raise Conflict(_("该事项已评价，每个事项只能评价一次"), code="already_rated")
    return Rating.objects.create(
        channel=Rating.Channel.ONLINE, request=request, agency_id=request.holding_agency_id,
        service_type=request.service_type, staff_id=_rated_staff(request), grade=grade,
        category=grades.category_of(grade), comment=comment, rater=rater, rated_at=now,
    )  # fmt: skip


def _rate_visit(rater: Any, token: str, grade: str, comment: str, now: datetime.datetime) -> Rating:
    visit = CounterVisit.objects.select_for_update().filter(token=token[:64]).first()
    if visit is None:
        raise NotFound(_("评价二维码无效"))
    if visit.used_at is not None or Rating.objects.filter(visit=visit).exists():
        raise Conflict(_("本次服务已评价，每次服务只能评价一次"), code="already_rated")
    authenticated = getattr(rater, "is_authenticated", False)
    if authenticated and rater.pk == visit.clerk_id:
        raise PermissionDenied(_("经办人员不能评价自己的服务"))
    visit.used_at = now
    visit.save(update_fields=["used_at"])
    return Rating.objects.create(
        channel=Rating.Channel.COUNTER, visit=visit, agency_id=visit.agency_id, service_type=visit.service_type,
        staff_id=visit.clerk_id, grade=grade, category=grades.category_of(grade), comment=comment,
        rater=rater if authenticated and staff_of(rater) is None else None, rated_at=now,
    )  # fmt: skip


def _open_case(rating: Rating, now: datetime.datetime) -> RectificationCase:
    days = rectification_days()
    opened_on = timezone.localdate(now)
    due = WorkCalendar().add_working_days(opened_on, days)
    case = RectificationCase.objects.create(
        rating=rating, agency_id=rating.agency_id, opened_on=opened_on, due=due.date,
        due_provisional=due.provisional, working_days=days,
    )  # fmt: skip
    record(
        actor=None, action=events.CASE_OPENED, subject=case, agency_id=rating.agency_id, actor_name=_("系统"),
        after={"rating": rating.pk, "due": due.date, "working_days": days},
    )  # fmt: skip
    return case


def _case_for_action(actor: Any, case_id: int) -> RectificationCase:
    case = (
        RectificationCase.objects.select_for_update(of=("self",))
        .select_related("agency", "rating")
        .filter(pk=case_id)
        .first()
    )
    if case is None or not policies.can_read_case(actor, case.agency):
        raise NotFound(_("整改记录不存在或无权查看"))
    return case


def _move(case: RectificationCase, action: str) -> str:
    target = wf.next_status(case.status, action, before_appeal=case.status_before_appeal)
    if target is None:
        raise Conflict(
            _("整改当前状态为“%(s)s”，不能办理“%(a)s”")
            % {"s": case.get_status_display(), "a": wf.ACTION_LABELS.get(action, action)},
            code="invalid_transition",
        )
    return target


def _require_handler(actor: Any, case: RectificationCase) -> None:
    if not policies.can_handle_case(actor, case.agency, case.rating.staff_id):
        raise PermissionDenied(_("只有被评价机构的督导或审批负责人可以办理，被评价人员本人不能办理"))


def _text(value: str, field: str, errors: dict[str, list[str]]) -> str:
    value = value.strip()
    if not value:
        errors[field] = [_("此项为必填项")]
    elif len(value) > TEXT_MAX:
        errors[field] = [_("不超过%(n)d字") % {"n": TEXT_MAX}]
    return value


def _finish(
    actor: Any, case: RectificationCase, *, action: str, before: str, fields: list[str], after: dict[str, Any]
) -> None:
    case.save(update_fields=["status", *fields])
    record(
        actor=actor, action=action, subject=case, agency_id=case.agency_id, before={"status": before},
        after={"status": case.status, **after},
    )  # fmt: skip


def case_verify(*, actor: Any, case_id: int, verification: str, substantiated: bool) -> RectificationCase:
    """Check what the rating says: what happened, and whether the complaint is founded."""
    errors: dict[str, list[str]] = {}
    verification = _text(verification, "verification", errors)
    if errors:
        raise ValidationFailed(_("核实情况有误"), fields=errors)
    with transaction.atomic():
        case = _case_for_action(actor, case_id)
        _require_handler(actor, case)
        before, case.status = case.status, _move(case, "verify")
        case.verification, case.substantiated = verification, substantiated
        case.verified_by, case.verified_at = actor, timezone.now()
        fields = ["verification", "substantiated", "verified_by", "verified_at"]
        _finish(actor, case, action=events.CASE_VERIFIED, before=before, fields=fields,
                after={"substantiated": substantiated})  # fmt: skip
    return case


def case_answer(*, actor: Any, case_id: int, answer: str, rectification: str = "") -> RectificationCase:
    """Rectify (when the complaint is founded) and answer the rater."""
    errors: dict[str, list[str]] = {}
    answer = _text(answer, "answer", errors)
    with transaction.atomic():
        case = _case_for_action(actor, case_id)
        _require_handler(actor, case)
        target = _move(case, "answer")
        if case.substantiated:
            rectification = _text(rectification, "rectification", errors)
        if errors:
            raise ValidationFailed(_("整改答复信息有误"), fields=errors)
        before, case.status = case.status, target
        case.answer, case.rectification = answer, rectification.strip()[:TEXT_MAX]
        case.answered_by, case.answered_at = actor, timezone.now()
        fields = ["answer", "rectification", "answered_by", "answered_at"]
        _finish(actor, case, action=events.CASE_ANSWERED, before=before, fields=fields, after={})
    return case


def case_close(*, actor: Any, case_id: int) -> RectificationCase:
    with transaction.atomic():
        case = _case_for_action(actor, case_id)
        _require_handler(actor, case)
        before, case.status = case.status, _move(case, "close")
        case.closed_by, case.closed_at = actor, timezone.now()
        late = timezone.localdate(case.closed_at) > case.due
        _finish(actor, case, action=events.CASE_CLOSED, before=before, fields=["closed_by", "closed_at"],
                after={"late": late})  # fmt: skip
    return case


def case_appeal(*, actor: Any, case_id: int, reason: str) -> RectificationCase:
    """The rated agency appeals a mistaken or malicious rating to the agency above it."""
    errors: dict[str, list[str]] = {}
    reason = _text(reason, "reason", errors)
    if errors:
        raise ValidationFailed(_("申诉信息有误"), fields=errors)
    with transaction.atomic():
        case = _case_for_action(actor, case_id)
        _require_handler(actor, case)
        if case.agency.parent_id is None:
            raise Conflict(_("本机构没有上级机构，不能申诉"), code="no_parent")
        before, case.status = case.status, _move(case, "appeal")
        case.status_before_appeal = before
        case.appeal_reason, case.appealed_by, case.appealed_at = reason, actor, timezone.now()
        fields = ["status_before_appeal", "appeal_reason", "appealed_by", "appealed_at"]
        _finish(actor, case, action=events.CASE_APPEALED, before=before, fields=fields, after={})
    return case


def case_decide_appeal(*, actor: Any, case_id: int, upheld: bool, decision: str) -> RectificationCase:
    """A supervisor above decides; an upheld appeal keeps the rating but excludes it from the figures."""
    errors: dict[str, list[str]] = {}
    decision = _text(decision, "decision", errors)
    if errors:
        raise ValidationFailed(_("申诉处理意见有误"), fields=errors)
    with transaction.atomic():
        case = _case_for_action(actor, case_id)
        if not policies.can_decide_appeal(actor, case.agency):
            raise PermissionDenied(_("申诉由上级机构的督导处理"))
        before, case.status = case.status, _move(case, "uphold" if upheld else "dismiss")
        case.appeal_upheld, case.appeal_decision = upheld, decision
        case.decided_by, case.decided_at = actor, timezone.now()
        if upheld:
            rating = Rating.objects.select_for_update().get(pk=case.rating_id)
            rating.excluded = True
            rating.save(update_fields=["excluded"])
        fields = ["appeal_upheld", "appeal_decision", "decided_by", "decided_at"]
        _finish(actor, case, action=events.CASE_APPEAL_DECIDED, before=before, fields=fields,
                after={"upheld": upheld})  # fmt: skip
    return case


def _recompute_due(year: int, calendar: WorkCalendar) -> int:
    """When a year's official schedule is entered, unfinished cases counting through that year get new due dates."""
    moved = 0
    cases = RectificationCase.objects.select_for_update().filter(
        status__in=[CaseStatus.OPEN, CaseStatus.VERIFIED, CaseStatus.ANSWERED, CaseStatus.APPEALED],
        due__gte=datetime.date(year, 1, 1),
        opened_on__lte=datetime.date(year, 12, 31),
    )
    for case in cases:
        due = calendar.add_working_days(case.opened_on, case.working_days)
        if (due.date, due.provisional) != (case.due, case.due_provisional):
            case.due, case.due_provisional = due.date, due.provisional
            case.save(update_fields=["due", "due_provisional"])
            moved += 1
    return moved


register_recomputer(_recompute_due)
