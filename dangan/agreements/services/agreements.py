"""Employer agreements (annex 1): signing (R2, R23, R24), renewal and how they end (R22)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from dangan.agreements import catalogue, events, jurisdiction, terms, workflow
from dangan.agreements.fields import REQUIRED, clean_services
from dangan.agreements.models import (
    AgreementStatus,
    Employer,
    EmployerAgreement,
    EndReason,
    Renewal,
    RenewalStatus,
    RosterEntry,
    RosterStatus,
)
from dangan.agreements.selectors import OPEN_ROSTER
from dangan.agreements.services.common import check_scope, locked_agreement, raise_if, today_or
from dangan.audit.services import record
from dangan.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from dangan.core.validators import validate_phone

NOT_FOUND_EMPLOYER = "单位不存在或无权查看"
NOT_FOUND_RENEWAL = "续签申请不存在或无权查看"


def end_agreement(agreement: EmployerAgreement, *, actor: Any, reason: str, on: datetime.date, note: str = "") -> None:
    """End a locked agreement in force on `on` (its last day); the end date becomes that day."""
    before = {"status": agreement.status, "end_date": agreement.end_date}
    workflow.move(agreement, workflow.EMPLOYER_AGREEMENT, AgreementStatus.ENDED)
    agreement.end_reason = reason
    agreement.ended_on = on
    agreement.end_date = min(agreement.end_date, max(on, agreement.start_date))
    agreement.end_note = note
    agreement.ended_by = actor if getattr(actor, "is_authenticated", False) else None
    agreement.save(update_fields=["status", "end_reason", "ended_on", "end_date", "end_note", "ended_by"])
    record(
        actor=actor,
        action=events.AGREEMENT_ENDED,
        subject=agreement,
        agency_id=agreement.agency_id,
        before=before,
        after={"status": agreement.status, "end_date": agreement.end_date, "end_reason": reason},
        reason=note or str(EndReason(reason).label),
    )
    release_roster(RosterEntry.objects.filter(agreement=agreement), actor=actor)


def _expire(agreement: EmployerAgreement, *, actor: Any) -> None:
    workflow.move(agreement, workflow.EMPLOYER_AGREEMENT, AgreementStatus.EXPIRED)
    agreement.ended_on = agreement.end_date
    agreement.save(update_fields=["status", "ended_on"])
    record(
        actor=actor,
        action=events.AGREEMENT_EXPIRED,
        subject=agreement,
        agency_id=agreement.agency_id,
        after={"status": agreement.status, "end_date": agreement.end_date},
    )
    release_roster(RosterEntry.objects.filter(agreement=agreement), actor=actor)


def release_roster(entries: QuerySet[RosterEntry], *, actor: Any) -> int:
    """Close the open entries among `entries` whose agreement is no longer in force (R22, R25).

    The employee is no longer covered: the entry moves to "agreement ended", the dossier (still held,
    R6) is listed among the dossiers under no agreement, and a personal agreement or another collective
    agreement may take it. Called inside the caller's transaction; each entry is audited. Returns how
    many entries closed."""
    closed = 0
    found = (
        entries.select_for_update(of=("self",))
        .select_related("agreement")
        .filter(status__in=OPEN_ROSTER)
        .exclude(agreement__status=AgreementStatus.IN_FORCE)
        .order_by("pk")
    )
    for entry in found:
        agreement = entry.agreement
        before = entry.status
        workflow.move(entry, workflow.ROSTER, RosterStatus.AGREEMENT_ENDED)
        entry.save(update_fields=["status"])
        why = EndReason(agreement.end_reason).label if agreement.end_reason else AgreementStatus(agreement.status).label
        record(
            actor=actor,
            action=events.ROSTER_RELEASED,
            subject=entry,
            dossier_id=entry.dossier_id,
            agency_id=agreement.agency_id,
            before={"status": before},
            after={"status": entry.status, "agreement_status": agreement.status, "ended_on": agreement.ended_on},
            reason=_("单位委托集体存档协议终止（%(why)s），该人员不再纳入协议") % {"why": why},
        )
        closed += 1
    return closed


def _clean_terms(data: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    years = data.get("term_years")
    if not isinstance(years, int) or not 1 <= years <= terms.MAX_TERM_YEARS:
        errors["term_years"] = [_("协议期限应为1至%(n)d年的整年数") % {"n": terms.MAX_TERM_YEARS}]
    if not isinstance(data.get("start_date"), datetime.date):
        errors["start_date"] = [_(REQUIRED)]
    for name in ("hr_contact_name", "hr_contact_post", "hr_contact_phone"):
        data[name] = str(data.get(name) or "").strip()
        if not data[name]:
            errors[name] = [_("请填写单位人事专员的姓名、职务和电话（附件1 三2）")]
        elif len(data[name]) > 50:
            errors[name] = [_("不能超过%(n)d个字") % {"n": 50}]
    if data["hr_contact_phone"] and "hr_contact_phone" not in errors:
        try:
            data["hr_contact_phone"] = validate_phone(data["hr_contact_phone"])
        except ValidationError as exc:
            errors["hr_contact_phone"] = [exc.messages[0]]
    try:
        data["services"] = clean_services(catalogue.EMPLOYER, data.get("services"))
    except ValidationFailed as exc:
        errors.update(exc.fields)
    raise_if(errors, _("协议内容填写有误，请按提示修改"))
    return data


def employer_agreement_sign(
    *,
    actor: Any,
    employer_id: int,
    term_years: int,
    start_date: datetime.date,
    services: list[str],
    hr_contact_name: str,
    hr_contact_post: str,
    hr_contact_phone: str,
    supplement: str = "",
    moving: bool = False,
    moving_note: str = "",
    today: datetime.date | None = None,
) -> EmployerAgreement:
    """Sign a collective agreement with an employer of the agency's register.

    R2: the agency must be one that may serve this employer. R24: an employer entrusts with one agency
    in the city only; an agreement in force elsewhere ends by itself only when the employer says it
    moves its entrustment here (R22, annex 1 §一).
    """
    today = today_or(today)
    with transaction.atomic():
        employer = (
            Employer.objects.select_for_update(of=("self",))
            .select_related("agency", "zone_agency")
            .filter(pk=employer_id)
            .first()
        )
        if employer is None:
            raise NotFound(_(NOT_FOUND_EMPLOYER))
        check_scope(actor, employer.agency, _(NOT_FOUND_EMPLOYER))
        agency = employer.agency
        if employer.is_dissolved:
            raise Conflict(
                _("单位已于%(d)s%(s)s，不能签订协议")
                % {"d": employer.dissolved_on, "s": employer.get_status_display()},
                code="employer_dissolved",
            )
        data = _clean_terms({
            "term_years": term_years, "start_date": start_date, "services": services,
            "hr_contact_name": hr_contact_name, "hr_contact_post": hr_contact_post,
            "hr_contact_phone": hr_contact_phone,
        })  # fmt: skip
        options = jurisdiction.for_employer(
            registration_level=employer.registration_level,
            county_code=employer.county_code,
            zone_agency=employer.zone_agency,
        )
        jurisdiction.require(options, agency, field_name="agency", subject=_("该单位"))
        for current in (
            EmployerAgreement.objects.select_for_update()
            .select_related("agency")
            .filter(credit_code=employer.credit_code, status=AgreementStatus.IN_FORCE)
        ):
            if current.agency_id == agency.pk:
                if current.end_date < today and not current.renewals.filter(status=RenewalStatus.PENDING).exists():
                    _expire(current, actor=actor)
                    continue
                message = _(
                    "该单位与本机构的委托集体存档协议尚在履行中（至%(d)s），不能再签订一份（R24）；期满前一个月内可申请续签"
                ) % {"d": current.end_date}
                raise Conflict(message, code="agreement_in_force", fields={"employer": [message]})
            if not moving:
                message = _(
                    "该单位已在%(a)s办理委托集体存档（协议至%(d)s）。单位只能在市内一家公共就业人才服务机构"
                    "办理委托集体存档（R24，附件1 三1）；如单位变更委托存档机构，请勾选“变更委托存档机构”并附单位申请"
                ) % {"a": current.agency.name, "d": current.end_date}
                raise Conflict(message, code="entrusted_elsewhere", fields={"moving": [message]})
            note = _("单位变更委托存档机构至%(a)s") % {"a": agency.name}
            if moving_note:
                note = f"{note}：{moving_note[:200]}"
            end_agreement(current, actor=actor, reason=EndReason.MOVED, on=start_date - terms.ONE_DAY, note=note)
        try:
            with transaction.atomic():
                agreement = EmployerAgreement.objects.create(
                    agency=agency, employer=employer, credit_code=employer.credit_code,
                    term_years=data["term_years"], start_date=start_date,
                    end_date=terms.term_end(start_date, data["term_years"]), services=data["services"],
                    hr_contact_name=data["hr_contact_name"], hr_contact_post=data["hr_contact_post"],
                    hr_contact_phone=data["hr_contact_phone"], supplement=supplement.strip()[:2000],
                    signed_by=actor, signed_at=timezone.now(),
                )  # fmt: skip
        except IntegrityError:
            raise Conflict(_("该单位已有履行中的委托集体存档协议（R24）"), code="agreement_in_force") from None
        record(
            actor=actor,
            action=events.AGREEMENT_SIGNED,
            subject=agreement,
            after={
                "employer": employer.name, "credit_code": employer.credit_code, "term_years": agreement.term_years,
                "start_date": agreement.start_date, "end_date": agreement.end_date, "services": agreement.services,
                "moving": moving,
            },
        )  # fmt: skip
    return agreement


def employer_agreement_renewal_apply(
    *, actor: Any, agreement_id: int, years: int, note: str = "", today: datetime.date | None = None
) -> Renewal:
    """Apply for renewal, only in the month before the agreement expires (R22, annex 1 §一)."""
    today = today_or(today)
    with transaction.atomic():
        agreement = locked_agreement(actor, agreement_id)
        if agreement.status != AgreementStatus.IN_FORCE:
            raise Conflict(_("协议已终止，不能续签，请重新签订协议"), code="agreement_not_in_force")
        if agreement.employer.is_dissolved:
            raise Conflict(_("单位已注销或被吊销，不能续签"), code="employer_dissolved")
        if not isinstance(years, int) or not 1 <= years <= terms.MAX_TERM_YEARS:
            raise ValidationFailed(
                _("续签年限应为1至%(n)d年") % {"n": terms.MAX_TERM_YEARS},
                fields={"years": [_("续签年限应为1至%(n)d年") % {"n": terms.MAX_TERM_YEARS}]},
            )
        opens, closes = terms.renewal_window(agreement.end_date)
        if not opens <= today <= closes:
            message = _(
                "协议期满前一个月内方可申请续签（R22，附件1 一）：本协议%(end)s期满，可于%(opens)s至%(end)s申请"
            ) % {"end": closes, "opens": opens}
            raise ValidationFailed(message, code="renewal_window", fields={"years": [message]})
        if agreement.renewals.filter(status=RenewalStatus.PENDING).exists():
            raise Conflict(_("已有待审批的续签申请"), code="renewal_pending")
        renewal = Renewal.objects.create(
            agreement=agreement, years=years, applied_on=today, applied_by=actor,
            previous_end_date=agreement.end_date, note=note[:200],
        )  # fmt: skip
        record(
            actor=actor,
            action=events.RENEWAL_APPLIED,
            subject=agreement,
            after={"renewal": renewal.pk, "years": years, "end_date": agreement.end_date},
        )
    return renewal


def employer_agreement_renewal_decide(*, actor: Any, renewal_id: int, approve: bool, note: str = "") -> Renewal:
    """The approver approves (the agreement runs a new term from its old end) or refuses with a reason."""
    with transaction.atomic():
        renewal = Renewal.objects.select_for_update().filter(pk=renewal_id).first()
        if renewal is None:
            raise NotFound(_(NOT_FOUND_RENEWAL))
        agreement = locked_agreement(actor, renewal.agreement_id, approve=True)
        if renewal.applied_by_id == actor.pk:
            raise PermissionDenied(_("续签申请须由申请人以外的审批负责人审批"), code="same_person")
        if not approve and not note.strip():
            raise ValidationFailed(_("不予续签须说明理由"), fields={"note": [_("请填写不予续签的理由")]})
        if approve and agreement.status != AgreementStatus.IN_FORCE:
            raise Conflict(_("协议已终止，不能续签"), code="agreement_not_in_force")
        workflow.move(renewal, workflow.RENEWAL, RenewalStatus.APPROVED if approve else RenewalStatus.REJECTED)
        renewal.decided_by = actor
        renewal.decided_at = timezone.now()
        if note:
            renewal.note = note[:200]
        before = {"end_date": agreement.end_date, "term_years": agreement.term_years}
        if approve:
            renewal.new_end_date = terms.term_end(agreement.end_date + terms.ONE_DAY, renewal.years)
            agreement.end_date = renewal.new_end_date
            agreement.term_years += renewal.years
            agreement.save(update_fields=["end_date", "term_years"])
        renewal.save(update_fields=["status", "decided_by", "decided_at", "note", "new_end_date"])
        record(
            actor=actor,
            action=events.RENEWAL_DECIDED,
            subject=agreement,
            before=before,
            after={"renewal": renewal.pk, "status": renewal.status, "end_date": agreement.end_date},
            reason=note,
        )
    return renewal


def employer_agreement_end_for_breach(
    *, actor: Any, agreement_id: int, on: datetime.date, reason: str, today: datetime.date | None = None
) -> EmployerAgreement:
    """The agency ends the agreement when the employer breaches it (annex 1 §七); the reason is recorded."""
    today = today_or(today)
    with transaction.atomic():
        agreement = locked_agreement(actor, agreement_id, approve=True)
        errors: dict[str, list[str]] = {}
        if not reason.strip():
            errors["reason"] = [_("请写明单位违反协议约定的情况")]
        if on > today:
            errors["on"] = [_("终止日期不能晚于今天")]
        elif on < agreement.start_date:
            errors["on"] = [_("终止日期不能早于协议起始日期")]
        raise_if(errors, _("终止协议填写有误，请按提示修改"))
        end_agreement(agreement, actor=actor, reason=EndReason.BREACH, on=on, note=reason.strip()[:1000])
    return agreement


def employer_agreement_expire(*, actor: Any, agreement_id: int, today: datetime.date) -> bool:
    """Mark an agreement whose term has passed unrenewed as expired (run daily); True if it was."""
    with transaction.atomic():
        agreement = EmployerAgreement.objects.select_for_update().filter(pk=agreement_id).first()
        if agreement is None or agreement.status != AgreementStatus.IN_FORCE or agreement.end_date >= today:
            return False
        if agreement.renewals.filter(status=RenewalStatus.PENDING).exists():
            return False
        _expire(agreement, actor=actor)
    return True


def employer_agreement_release_roster(*, actor: Any, agreement_id: int) -> int:
    """Close the roster entries still open under an agreement that ended or expired before its roster
    was closed with it (run daily; records kept before R25's closing was built). Returns how many."""
    with transaction.atomic():
        agreement = EmployerAgreement.objects.select_for_update().filter(pk=agreement_id).first()
        if agreement is None or agreement.status == AgreementStatus.IN_FORCE:
            return 0
        return release_roster(RosterEntry.objects.filter(agreement=agreement), actor=actor)
