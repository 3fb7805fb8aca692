"""Personal agreements (annex 2): signing (R3, R4, R23, R27) and how they end (R26)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dangan.agencies.models import Agency
from dangan.agencies.policies import can_act_for_agency
from dangan.agreements import catalogue, events, jurisdiction, workflow
from dangan.agreements.fields import check_county, clean_personal_form, clean_services
from dangan.agreements.models import AgreementStatus, EndReason, PersonalAgreement, RosterEntry, RosterStatus
from dangan.agreements.policies import SIGN_ROLES
from dangan.agreements.selectors import open_roster_entry, personal_form_prefill
from dangan.agreements.services.agreements import release_roster
from dangan.agreements.services.common import check_scope, dossier_set_entrustment, raise_if, today_or
from dangan.audit.services import record
from dangan.core.codetables import region_name
from dangan.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from dangan.dossiers import workflow as dossier_workflow
from dangan.dossiers.models import Dossier, EntrustmentType
from dangan.dossiers.selectors import dossier_for_action

NOT_FOUND = "协议不存在或无权查看"


@dataclass
class PersonalTerms:
    """What the individual signs: start date, services (R23) and the registration form (R27)."""

    start_date: datetime.date
    services: list[str]
    form: dict[str, Any] | None = None


def clean_places(places: jurisdiction.Places) -> jurisdiction.Places:
    errors: dict[str, list[str]] = {}
    for name, code in places.as_dict().items():
        if problem := check_county(code):
            errors[name] = [problem]
    raise_if(errors, _("地点填写有误，请选择区（县、市）"))
    return places


# The places the person's record holds: a personal agreement takes them from there, never from the caller.
RECORDED_PLACES = {
    "household_region": gettext_lazy("户籍所在地"),
    "pre_enrolment_region": gettext_lazy("入学前户籍所在地"),
}


def recorded_places(dossier: Dossier, places: jurisdiction.Places) -> jurisdiction.Places:
    """R3, R4: the household registration and pre-enrolment household registration that decide where the
    dossier is kept come from the person's record (dossiers.Person). A caller may leave them blank or repeat
    them; a different value is refused: the record is corrected first through the dossiers app's audited
    change of basic information, then the agreement is signed."""
    person = dossier.person
    errors: dict[str, list[str]] = {}
    for name, label in RECORDED_PLACES.items():
        given, recorded = getattr(places, name), getattr(person, name)
        if not given or given == recorded:
            continue
        if recorded:
            shown = f"{region_name(recorded)} {recorded}".strip()
            message = _(
                "与档案记录的%(label)s（%(recorded)s）不一致。如有变化，请先在档案的人员基础信息中更正"
                "（记入审计日志），再签订协议（R3、R4）"
            ) % {"label": label, "recorded": shown}
        else:
            message = _("档案未记录%(label)s。请先在档案的人员基础信息中登记（记入审计日志），再签订协议（R3、R4）") % {
                "label": label
            }
        errors[name] = [message]
    raise_if(errors, _("存档地点须以档案记录的人员信息为准，请先更正档案记录"))
    return replace(places, household_region=person.household_region, pre_enrolment_region=person.pre_enrolment_region)


def sign_locked(
    *,
    actor: Any,
    dossier: Dossier,
    terms: PersonalTerms,
    situation: str,
    places: jurisdiction.Places,
    current_holder: Agency | None = None,
) -> PersonalAgreement:
    """Sign for a dossier the caller holds locked and has checked is not under a collective agreement."""
    agency = dossier.holding_agency
    errors: dict[str, list[str]] = {}
    try:
        services = clean_services(catalogue.PERSONAL, terms.services)
    except ValidationFailed as exc:
        errors.update(exc.fields)
        services = []
    try:
        form = clean_personal_form(
            terms.form if terms.form is not None else personal_form_prefill(dossier),
            person_name=dossier.person.name,
            person_id_number=dossier.person.id_number,
        )
    except ValidationFailed as exc:
        errors.update(exc.fields)
        form = {}
    raise_if(errors, _("个人委托存档协议填写有误，请按提示修改"))
    places = recorded_places(dossier, places)
    options = jurisdiction.for_person(situation=situation, places=places, current_holder=current_holder)
    jurisdiction.require(options, agency, field_name="situation", subject=_("该人员档案"))
    if PersonalAgreement.objects.filter(dossier=dossier, status=AgreementStatus.IN_FORCE).exists():
        raise Conflict(_("该档案已有履行中的个人委托存档协议"), code="personal_in_force")
    try:
        with transaction.atomic():
            agreement = PersonalAgreement.objects.create(
                agency=agency, dossier=dossier, start_date=terms.start_date, services=services, situation=situation,
                places=places.as_dict(), form=form, signed_by=actor, signed_at=timezone.now(),
            )  # fmt: skip
    except IntegrityError:
        raise Conflict(_("该档案已有履行中的个人委托存档协议"), code="personal_in_force") from None
    dossier_set_entrustment(
        actor=actor, dossier=dossier, entrustment_type=EntrustmentType.PERSONAL, reason=_("签订个人委托存档协议")
    )
    record(
        actor=actor,
        action=events.PERSONAL_SIGNED,
        subject=agreement,
        dossier_id=dossier.pk,
        after={"start_date": agreement.start_date, "services": services, "situation": situation, "form": form},
    )
    return agreement


def personal_agreement_sign(
    *,
    actor: Any,
    dossier_id: int,
    start_date: datetime.date,
    services: list[str],
    situation: str,
    places: jurisdiction.Places,
    form: dict[str, Any] | None = None,
) -> PersonalAgreement:
    """An individual entrusts the dossier the agency holds (R5); the agency must be one R3/R4 name."""
    with transaction.atomic():
        dossier = dossier_for_action(actor, dossier_id, *SIGN_ROLES, lock=True)
        if dossier.status not in dossier_workflow.IN_STOCK:
            raise Conflict(
                _("档案当前状态为“%(s)s”，不能签订协议") % {"s": dossier.get_status_display()}, code="not_in_stock"
            )
        release_roster(RosterEntry.objects.filter(dossier=dossier), actor=actor)
        entry = open_roster_entry(dossier)
        if entry is not None:
            raise Conflict(
                _("该档案在%(e)s的委托集体存档名册中，请由单位报告离职并选择转为个人委托存档") % {
                    "e": entry.agreement.employer.name,
                },
                code="in_collective",
            )  # fmt: skip
        if situation not in jurisdiction.Situation.values or situation == jurisdiction.Situation.COLLECTIVE_DEPARTURE:
            raise ValidationFailed(_("请选择存档情形"), fields={"situation": [_("请选择存档情形")]})
        return sign_locked(
            actor=actor,
            dossier=dossier,
            terms=PersonalTerms(start_date=start_date, services=services, form=form),
            situation=situation,
            places=clean_places(places),
        )


def _locked_personal(actor: Any, agreement_id: int) -> PersonalAgreement:
    agreement = (
        PersonalAgreement.objects.select_for_update(of=("self",))
        .select_related("agency", "dossier")
        .filter(pk=agreement_id)
        .first()
    )
    if agreement is None:
        raise NotFound(_(NOT_FOUND))
    check_scope(actor, agreement.agency, _(NOT_FOUND), approve=True)
    return agreement


def end_personal(agreement: PersonalAgreement, *, actor: Any, reason: str, on: datetime.date, note: str = "") -> None:
    workflow.move(agreement, workflow.PERSONAL_AGREEMENT, AgreementStatus.ENDED)
    agreement.end_reason = reason
    agreement.ended_on = on
    agreement.end_note = note
    agreement.ended_by = actor if getattr(actor, "is_authenticated", False) else None
    agreement.save(update_fields=["status", "end_reason", "ended_on", "end_note", "ended_by"])
    record(
        actor=actor,
        action=events.PERSONAL_ENDED,
        subject=agreement,
        dossier_id=agreement.dossier_id,
        agency_id=agreement.agency_id,
        before={"status": AgreementStatus.IN_FORCE},
        after={"status": agreement.status, "ended_on": on, "end_reason": reason},
        reason=note or str(EndReason(reason).label),
    )


def personal_agreement_end_for_breach(
    *, actor: Any, agreement_id: int, on: datetime.date, reason: str, today: datetime.date | None = None
) -> PersonalAgreement:
    """Annex 2 §七: a breach ends the agreement; the dossier stays held (R6) and shows as uncovered."""
    today = today_or(today)
    with transaction.atomic():
        agreement = _locked_personal(actor, agreement_id)
        errors: dict[str, list[str]] = {}
        if not reason.strip():
            errors["reason"] = [_("请写明违反协议约定的情况")]
        if on > today:
            errors["on"] = [_("终止日期不能晚于今天")]
        elif on < agreement.start_date:
            errors["on"] = [_("终止日期不能早于协议起始日期")]
        raise_if(errors, _("终止协议填写有误，请按提示修改"))
        if agreement.status != AgreementStatus.IN_FORCE:
            raise Conflict(_("协议已终止"), code="agreement_not_in_force")
        end_personal(agreement, actor=actor, reason=EndReason.BREACH, on=on, note=reason.strip()[:1000])
    return agreement


def personal_agreement_end_on_transfer(*, actor: Any, dossier: Dossier, on: datetime.date) -> PersonalAgreement | None:
    """R26: the dossier is transferred out, so its personal agreement ends by itself that day, and any
    roster entry still open for it closes. Called by the transfers app inside its own transaction."""
    if not can_act_for_agency(actor, dossier.holding_agency):
        raise PermissionDenied(_("只有存档机构的工作人员可以办理档案转出"))
    with transaction.atomic():
        agreement = (
            PersonalAgreement.objects.select_for_update()
            .filter(dossier=dossier, status=AgreementStatus.IN_FORCE)
            .first()
        )
        if agreement is not None:
            end_personal(agreement, actor=actor, reason=EndReason.TRANSFERRED_OUT, on=on)
        for entry in RosterEntry.objects.select_for_update().filter(
            dossier=dossier, status__in=[RosterStatus.ACTIVE, RosterStatus.AWAITING_TRANSFER]
        ):
            before = entry.status
            workflow.move(entry, workflow.ROSTER, RosterStatus.TRANSFERRED_OUT)
            entry.left_on = entry.left_on or on
            entry.save(update_fields=["status", "left_on"])
            record(
                actor=actor,
                action=events.ROSTER_TRANSFERRED,
                subject=entry,
                dossier_id=dossier.pk,
                before={"status": before},
                after={"status": entry.status, "on": on},
            )
    return agreement
