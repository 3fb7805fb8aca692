"""The request engine: submit, route to the holder, assign, step through the type's transitions (R30–R34)."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dangan.agencies.models import Agency, Role, Staff
from dangan.agencies.policies import staff_of
from dangan.audit.services import record
from dangan.casework import registry
from dangan.casework.models import ApplicantKind, Channel, RequestSequence, RequestStep, ServiceRequest
from dangan.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from dangan.dossiers.models import Dossier
from dangan.dossiers.workflow import IN_STOCK
from dangan.workdays.calendar import WorkCalendar
from dangan.workdays.services import register_recomputer

SUBMITTED = "submitted"


def _work_date(now: datetime.datetime, calendar: WorkCalendar) -> tuple[datetime.date, bool]:
    """The working day a request counts from: after the cut-off or on a day off, the next working day."""
    local = timezone.localtime(now)
    cutoff = datetime.time.fromisoformat(settings.DANGAN_WORKDAY_CUTOFF)
    start = local.date() if local.time() < cutoff else local.date() + datetime.timedelta(days=1)
    due = calendar.add_working_days(start, 0)
    return due.date, due.provisional


def _due(
    service_type: registry.ServiceType, channel: str, work_date: datetime.date, calendar: WorkCalendar
) -> tuple[datetime.date, bool]:
    if channel == Channel.ONLINE:
        return work_date, calendar.is_workday(work_date)[1]  # R31: finished the same working day
    due = calendar.add_working_days(work_date, service_type.time_limit_days)
    return due.date, due.provisional


def _next_number(agency: Agency, year: int) -> str:
    sequence, _created = RequestSequence.objects.select_for_update().get_or_create(agency=agency, year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"{agency.code[:6]}{year}{sequence.last:07d}"


# R31: who is named on an online request, in this order: the online officers, else the counter clerks (who
# also handle online work in a small center), else the approvers.
ONLINE_NAMING = (Role.ONLINE_OFFICER, Role.COUNTER_CLERK, Role.APPROVER)


def _online_officer(agency: Agency) -> Any:
    """The staff member named on an online request (R31): of the first role in `ONLINE_NAMING` the agency has,
    the one with the fewest open requests. An agency with none of them cannot take online requests."""
    for role in ONLINE_NAMING:
        officer = (
            Staff.objects.filter(agency=agency, roles__role=role, user__is_active=True)
            .annotate(
                load=Count(
                    "user__servicerequest_assigned", filter=Q(user__servicerequest_assigned__completed_at__isnull=True)
                )
            )
            .select_related("user")
            .order_by("load", "pk")
            .first()
        )
        if officer is not None:
            return officer.user
    raise Conflict(
        _("%(a)s暂未安排网上办理人员，请拨打该机构电话或到窗口办理") % {"a": agency.name}, code="no_online_officer"
    )


def dossier_locate(id_number: str) -> Dossier | None:
    """Which agency holds a person's dossier: routing facts only, no content (R34)."""
    return (
        Dossier.objects.select_related("holding_agency")
        .filter(person__id_number=id_number.strip().upper(), status__in=IN_STOCK)
        .first()
    )


def _applicant_name(actor: Any) -> str:
    if actor is None:
        return ""
    account = getattr(actor, "portal_account", None)  # a portal user (the portal app sits above this one)
    return str(getattr(account, "name", "")) or str(actor.get_username())


def record_step(*, actor: Any, request: ServiceRequest, to: str, label: str, note: str = "") -> RequestStep:
    staff = staff_of(actor)
    return RequestStep.objects.create(
        request=request, from_status=request.status if request.pk else "", to_status=to, label=label, actor=actor,
        actor_name=staff.full_name if staff else _applicant_name(actor),
        agency=staff.agency if staff else None, at=timezone.now(), note=note[:2000],
    )  # fmt: skip


def request_submit(
    *,
    actor: Any,
    service_code: str,
    channel: str,
    applicant_kind: str,
    applicant_name: str,
    applicant_id_number: str = "",
    applicant_phone: str = "",
    documents: list[str] | None = None,
    person_id_number: str = "",
    holding_agency: Agency | None = None,
    details: dict[str, Any] | None = None,
    now: datetime.datetime | None = None,
) -> ServiceRequest:
    """Accept an application at the actor's agency (counter or online desk) and route it to the holder."""
    staff = staff_of(actor)
    if staff is None or not (staff.role_set & {Role.COUNTER_CLERK, Role.ONLINE_OFFICER}):
        raise PermissionDenied(_("只有窗口经办或网办专员可以受理申请"))
    return _submit(
        actor=actor, accepting=staff.agency, service_code=service_code, channel=channel,
        applicant_kind=applicant_kind, applicant_name=applicant_name, applicant_id_number=applicant_id_number,
        applicant_phone=applicant_phone, documents=documents, person_id_number=person_id_number,
        holding_agency=holding_agency, details=details, now=now,
    )  # fmt: skip


def request_submit_online(
    *,
    applicant: Any,
    service_code: str,
    applicant_kind: str,
    applicant_name: str,
    applicant_id_number: str,
    applicant_phone: str,
    documents: list[str],
    person_id_number: str,
    details: dict[str, Any] | None = None,
    now: datetime.datetime | None = None,
) -> ServiceRequest:
    """An application made by the applicant on the portal (全程网办): the holder accepts it directly (R30, R31).

    The portal checks who may apply for whom before calling this."""
    return _submit(
        actor=applicant, accepting=None, service_code=service_code, channel=Channel.ONLINE,
        applicant_kind=applicant_kind, applicant_name=applicant_name, applicant_id_number=applicant_id_number,
        applicant_phone=applicant_phone, documents=documents, person_id_number=person_id_number,
        holding_agency=None, details=details, now=now,
    )  # fmt: skip


def _submit(
    *,
    actor: Any,
    accepting: Agency | None,
    service_code: str,
    channel: str,
    applicant_kind: str,
    applicant_name: str,
    applicant_id_number: str,
    applicant_phone: str,
    documents: list[str] | None,
    person_id_number: str,
    holding_agency: Agency | None,
    details: dict[str, Any] | None,
    now: datetime.datetime | None,
) -> ServiceRequest:
    service_type = registry.get(service_code)
    if service_type is None:
        raise ValidationFailed(_("服务事项无效"), fields={"service_type": [_("服务事项无效")]})
    errors: dict[str, list[str]] = {}
    if channel not in Channel.values:
        errors["channel"] = [_("渠道无效")]
    if applicant_kind not in service_type.applicants:
        allowed = "、".join(str(ApplicantKind(k).label) for k in sorted(service_type.applicants))
        errors["applicant_kind"] = [_("该事项只受理%(a)s的申请") % {"a": allowed}]
    if not applicant_name.strip():
        errors["applicant_name"] = [_("此项为必填项")]
    documents = sorted(set(documents or []))
    missing = [i.label for i in service_type.checklist_for(applicant_kind) if i.required and i.key not in documents]
    if missing and "applicant_kind" not in errors:
        # R30: the checklist is shown first, so an incomplete application is caught here, all at once.
        errors["documents"] = [_("缺少以下材料：%(m)s") % {"m": "、".join(missing)}]
    dossier = None
    if service_type.needs_dossier:
        dossier = dossier_locate(person_id_number) if person_id_number else None
        if dossier is None:
            errors["person_id_number"] = [_("未找到该人员在本省保管的档案")]
    if errors:
        raise ValidationFailed(_("申请信息有误，请按提示修改"), fields=errors)
    holder = dossier.holding_agency if dossier is not None else (holding_agency or accepting)
    if holder is None:
        raise ValidationFailed(_("请选择办理机构"), fields={"holding_agency": [_("请选择办理机构")]})
    accepting = accepting or holder
    if holder.pk != accepting.pk:
        if not service_type.province_wide:
            raise ValidationFailed(
                _("“%(s)s”不属于全省通办事项，请到存档机构%(a)s办理") % {"s": service_type.label, "a": holder.name},
                code="not_province_wide",
            )
        if channel == Channel.COUNTER:
            channel = Channel.PROXY  # R33: accepted here on behalf of the holder
    now = now or timezone.now()
    calendar = WorkCalendar()
    work_date, provisional = _work_date(now, calendar)
    due, due_provisional = _due(service_type, channel, work_date, calendar)
    with transaction.atomic():
        request = ServiceRequest(
            number=_next_number(accepting, timezone.localtime(now).year),
            service_type=service_code, channel=channel, accepting_agency=accepting, holding_agency=holder,
            dossier=dossier, applicant_kind=applicant_kind, applicant_name=applicant_name.strip(),
            applicant_id_number=applicant_id_number.strip().upper(), applicant_phone=applicant_phone.strip(),
            documents=documents, details=details or {}, status=SUBMITTED, submitted_by=actor, submitted_at=now,
            work_date=work_date, due=due, due_provisional=provisional or due_provisional,
        )  # fmt: skip
        staff = staff_of(actor)
        if channel == Channel.ONLINE:
            request.assigned_to = _online_officer(holder)
        elif staff is not None and holder.pk == staff.agency_id:
            request.assigned_to = actor
        request.save()
        record_step(actor=actor, request=request, to=SUBMITTED, label=_("受理") if staff else _("网上提交"))
        record(
            actor=actor, action="request.submitted", subject=request, dossier_id=dossier.pk if dossier else None,
            agency_id=accepting.pk,
            after={"number": request.number, "type": service_code, "channel": channel, "holder": holder.code,
                   "due": due},
        )  # fmt: skip
    return request


def request_for_action(actor: Any, request_id: int, *, lock: bool = True) -> ServiceRequest:
    """The request the actor's agency holds; the accepting agency sees it but does not act (R34)."""
    qs = ServiceRequest.objects.select_related("holding_agency", "accepting_agency", "dossier")
    if lock:
        qs = qs.select_for_update(of=("self",))
    request = qs.filter(pk=request_id).first()
    staff = staff_of(actor)
    if (
        request is None
        or staff is None
        or staff.agency_id not in (request.holding_agency_id, request.accepting_agency_id)
    ):
        raise NotFound(_("办件不存在或无权查看"))
    if staff.agency_id != request.holding_agency_id:
        raise PermissionDenied(_("该办件由存档机构%(a)s办理") % {"a": request.holding_agency.name})
    return request


def request_step(*, actor: Any, request: ServiceRequest, to: str, note: str = "") -> ServiceRequest:
    """Move a locked request one step along its type's table; service apps call this inside their transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("request_step must run inside the caller's transaction")
    service_type = registry.get(request.service_type)
    assert service_type is not None
    step = service_type.step(request.status, to)
    if step is None:
        raise Conflict(
            _("办件当前状态为“%(s)s”，不能办理此步骤")
            % {"s": service_type.statuses.get(request.status, request.status)},
            code="invalid_transition",
        )
    staff = staff_of(actor)
    if staff is None or not (staff.role_set & step.roles):
        raise PermissionDenied(_("您的岗位无权办理“%(s)s”") % {"s": step.label})
    record_step(actor=actor, request=request, to=to, label=step.label, note=note)
    before = request.status
    request.status = to
    fields = ["status"]
    if to in service_type.final:
        request.completed_at = timezone.now()
        fields.append("completed_at")
    request.save(update_fields=fields)
    record(
        actor=actor, action="request.step", subject=request, dossier_id=request.dossier_id, reason=note[:500],
        before={"status": before}, after={"status": to, "step": step.label},
    )  # fmt: skip
    return request


def request_advance(*, actor: Any, request_id: int, to: str, note: str = "") -> ServiceRequest:
    """A plain step with no side effects of its own (types without a dedicated service)."""
    service_type = registry.get(
        ServiceRequest.objects.filter(pk=request_id).values_list("service_type", flat=True).first() or ""
    )
    if service_type is not None and service_type.is_dedicated(to):
        raise Conflict(_("该步骤须在相应的业务页面办理"), code="dedicated_step")
    with transaction.atomic():
        request = request_for_action(actor, request_id)
        return request_step(actor=actor, request=request, to=to, note=note)


def request_assign(*, actor: Any, request_id: int, assignee: Any) -> ServiceRequest:
    with transaction.atomic():
        request = request_for_action(actor, request_id)
        staff = staff_of(actor)
        assert staff is not None
        if not staff.role_set & {Role.APPROVER, Role.ONLINE_OFFICER, Role.COUNTER_CLERK}:
            raise PermissionDenied(_("无权分派办件"))
        target = staff_of(assignee)
        if target is None or target.agency_id != request.holding_agency_id:
            raise ValidationFailed(_("只能分派给存档机构的经办人员"), fields={"assignee": [_("经办人员无效")]})
        before = request.assigned_to_id
        request.assigned_to = assignee
        request.save(update_fields=["assigned_to"])
        record(
            actor=actor,
            action="request.assigned",
            subject=request,
            before={"assigned_to": before},
            after={"assigned_to": assignee.pk},
        )
    return request


def _recompute_due(year: int, calendar: WorkCalendar) -> int:
    """When a year's schedule is entered, open requests counting through that year get new due dates."""
    moved = 0
    open_requests = ServiceRequest.objects.select_for_update().filter(
        completed_at__isnull=True, due__gte=datetime.date(year, 1, 1), work_date__lte=datetime.date(year, 12, 31)
    )
    for request in open_requests:
        service_type = registry.get(request.service_type)
        if service_type is None:
            continue
        due, provisional = _due(service_type, request.channel, request.work_date, calendar)
        if (due, provisional) != (request.due, request.due_provisional):
            request.due, request.due_provisional = due, provisional
            request.save(update_fields=["due", "due_provisional"])
            moved += 1
    return moved


register_recomputer(_recompute_due)
