"""Employers: registration (R27), change records (R28), deregistration and revocation (R22)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dangan.agencies.models import Agency
from dangan.agreements import events, terms, workflow
from dangan.agreements.fields import (
    EMPLOYER_FORM,
    EMPLOYER_REQUIRED,
    EMPLOYER_STATISTICS,
    REQUIRED,
    check_county,
    check_size_for_nature,
    clean_employer_value,
    employer_display,
)
from dangan.agreements.models import (
    AgreementStatus,
    ChangeField,
    ChangeRecord,
    Employer,
    EmployerSequence,
    EmployerStatus,
    EndReason,
    RegistrationAuthority,
    RegistrationLevel,
)
from dangan.agreements.services.agreements import end_agreement
from dangan.agreements.services.common import check_day, check_scope, own_agency_for_signing, raise_if, today_or
from dangan.audit.services import record
from dangan.core.errors import Conflict, NotFound, ValidationFailed

NOT_FOUND = "单位不存在或无权查看"
FORM_FIELDS = tuple(name for name, _label in EMPLOYER_FORM)
# The annex's fields, then the industry and size asked with them (not printed on the form).
CLEAN_FIELDS = (*FORM_FIELDS, *(name for name, _label in EMPLOYER_STATISTICS))


def _zone(code: str, county: str, errors: dict[str, list[str]]) -> Agency | None:
    if not code:
        return None
    zone = Agency.objects.filter(code=code, is_active=True).exclude(statistical_code="").first()
    if zone is None:
        errors["zone_agency"] = [_("功能区无效：%(c)s") % {"c": code}]
    elif zone.region_code != county:
        errors["zone_agency"] = [_("%(z)s不在所选区市，请核对所在区市") % {"z": zone.name}]
    return zone


def clean_employer(data: dict[str, Any], today: datetime.date) -> tuple[dict[str, Any], Agency | None]:
    """Every field of the registration form, the employer's industry and size, and where it registered and
    sits; all errors at once."""
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}
    for name in EMPLOYER_REQUIRED:
        if data.get(name) in (None, "") or (isinstance(data.get(name), str) and not data[name].strip()):
            errors[name] = [_(REQUIRED)]
    for name in CLEAN_FIELDS:
        if name not in errors:
            clean[name] = clean_employer_value(name, data.get(name), errors, today)
    if not {"nature", "size"} & errors.keys() and (problem := check_size_for_nature(clean["nature"], clean["size"])):
        errors["size"] = [problem]
    level = data.get("registration_level") or ""
    if level and level not in RegistrationLevel.values:
        errors["registration_level"] = [_("请选择注册（登记管理）部门层级")]
    authority = data.get("registration_authority") or ""
    if authority and authority not in RegistrationAuthority.values:
        errors["registration_authority"] = [_("请选择市场监管、民政或司法部门")]
    county = str(data.get("county_code") or "")
    if county and (problem := check_county(county)):
        errors["county_code"] = [problem]
    zone = _zone(str(data.get("zone_agency") or ""), county, errors)
    raise_if(errors, _("单位基本情况登记表填写有误，请按提示修改"))
    clean.update(registration_level=level, registration_authority=authority, county_code=county)
    return clean, zone


def _next_registration_no(agency: Agency, year: int) -> str:
    sequence, _created = EmployerSequence.objects.select_for_update().get_or_create(agency=agency, year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return f"{agency.code}-{year}-{sequence.last:04d}"


def employer_register(*, actor: Any, data: dict[str, Any], today: datetime.date | None = None) -> Employer:
    """Register an employer in the agency's register; the agency gives the registration number (R27)."""
    agency = own_agency_for_signing(actor, _("登记单位"))
    today = today_or(today)
    clean, zone = clean_employer(data, today)
    with transaction.atomic():
        existing = Employer.objects.filter(agency=agency, credit_code=clean["credit_code"]).first()
        if existing is not None:
            message = _("本机构已登记该单位（登记编号 %(n)s）") % {"n": existing.registration_no}
            raise Conflict(message, code="employer_registered", fields={"credit_code": [message]})
        number = _next_registration_no(agency, today.year)
        try:
            with transaction.atomic():
                employer = Employer.objects.create(
                    agency=agency, registration_no=number, registered_on=today, zone_agency=zone, created_by=actor,
                    **clean,
                )  # fmt: skip
        except IntegrityError:
            raise Conflict(_("本机构已登记该单位"), code="employer_registered") from None
        record(
            actor=actor,
            action=events.EMPLOYER_REGISTERED,
            subject=employer,
            after={"registration_no": number, **{k: employer_display(k, v) for k, v in clean.items()}},
        )
    return employer


def _locked_employer(actor: Any, employer_id: int) -> Employer:
    employer = Employer.objects.select_for_update(of=("self",)).select_related("agency").filter(pk=employer_id).first()
    if employer is None:
        raise NotFound(_(NOT_FOUND))
    check_scope(actor, employer.agency, _(NOT_FOUND))
    return employer


def employer_change_record(
    *,
    actor: Any,
    employer_id: int,
    field: str,
    after: Any,
    effective_on: datetime.date,
    reported_on: datetime.date | None = None,
    note: str = "",
    today: datetime.date | None = None,
) -> ChangeRecord:
    """One line of the change form (R28): before and after, dates; applied to the employer at once.
    A change reported more than a month after it took effect is flagged overdue (annex 1 §三7)."""
    today = today_or(today)
    reported_on = reported_on or today
    with transaction.atomic():
        employer = _locked_employer(actor, employer_id)
        if employer.is_dissolved:
            raise Conflict(_("单位已注销或被吊销，不能办理信息变更"), code="employer_dissolved")
        errors: dict[str, list[str]] = {}
        if field not in ChangeField.values:
            raise ValidationFailed(_("请选择变更内容"), fields={"field": [_("请选择变更内容")]})
        optional = field in {ChangeField.REMARKS, ChangeField.REGISTERED_CAPITAL}
        if not optional and (after is None or not str(after).strip()):
            errors["after"] = [_("请填写变更后信息")]
        value = clean_employer_value(field, after, errors, today) if "after" not in errors else None
        if field == ChangeField.SIZE and not errors and (problem := check_size_for_nature(employer.nature, str(value))):
            errors["after"] = [problem]
        errors = {("after" if k == field else k): v for k, v in errors.items()}
        check_day("effective_on", effective_on, today=today, label=_("变更日期"), errors=errors)
        check_day("reported_on", reported_on, today=today, label=_("报告日期"), errors=errors)
        if reported_on < effective_on:
            errors.setdefault("reported_on", []).append(_("报告日期不能早于变更日期"))
        before_text = employer_display(field, getattr(employer, field))
        after_text = employer_display(field, value)
        if not errors and before_text == after_text:
            errors["after"] = [_("变更后信息与变更前相同")]
        raise_if(errors, _("变更登记填写有误，请按提示修改"))
        setattr(employer, field, value)
        employer.save(update_fields=[field])
        overdue = terms.change_overdue(effective_on, reported_on)
        change = ChangeRecord.objects.create(
            employer=employer, field=field, before=before_text, after=after_text, effective_on=effective_on,
            reported_on=reported_on, overdue=overdue, note=note[:200], recorded_by=actor, recorded_at=timezone.now(),
        )  # fmt: skip
        record(
            actor=actor,
            action=events.EMPLOYER_CHANGED,
            subject=employer,
            before={field: before_text},
            after={field: after_text, "effective_on": effective_on, "reported_on": reported_on, "overdue": overdue},
            reason=_("变更后超过一个月才报告（附件1 三7）") if overdue else note,
        )
    return change


def employer_dissolve(
    *,
    actor: Any,
    employer_id: int,
    kind: str,
    on: datetime.date,
    note: str = "",
    today: datetime.date | None = None,
) -> Employer:
    """Record deregistration or licence revocation; the agreement in force ends that day (R22, annex 1 §七)."""
    today = today_or(today)
    if kind not in (EmployerStatus.DEREGISTERED, EmployerStatus.REVOKED):
        raise ValidationFailed(_("请选择注销或吊销"), fields={"kind": [_("请选择注销或吊销")]})
    with transaction.atomic():
        employer = _locked_employer(actor, employer_id)
        errors: dict[str, list[str]] = {}
        check_day("on", on, today=today, label=_("注销（吊销）日期"), errors=errors)
        current = list(employer.agreements.select_for_update().filter(status=AgreementStatus.IN_FORCE))
        for agreement in current:
            if on < agreement.start_date:
                errors.setdefault("on", []).append(_("注销（吊销）日期早于协议起始日期，请核对"))
        raise_if(errors, _("注销（吊销）登记有误，请按提示修改"))
        workflow.move(employer, workflow.EMPLOYER, kind)
        employer.dissolved_on = on
        employer.dissolution_note = note[:200]
        employer.save(update_fields=["status", "dissolved_on", "dissolution_note"])
        record(
            actor=actor,
            action=events.EMPLOYER_DISSOLVED,
            subject=employer,
            before={"status": EmployerStatus.ACTIVE},
            after={"status": kind, "on": on},
            reason=note,
        )
        reason = EndReason.DEREGISTERED if kind == EmployerStatus.DEREGISTERED else EndReason.REVOKED
        for agreement in current:
            end_agreement(agreement, actor=actor, reason=reason, on=on, note=note)
    return employer
