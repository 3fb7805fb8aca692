"""The roster of a collective agreement: employees join; leavers go personal or await transfer (R25)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from dangan.agreements import events, jurisdiction, workflow
from dangan.agreements.models import (
    AgreementStatus,
    EndReason,
    ExitChoice,
    PersonalAgreement,
    RosterEntry,
    RosterStatus,
)
from dangan.agreements.policies import SIGN_ROLES
from dangan.agreements.selectors import open_roster_entry
from dangan.agreements.services.agreements import release_roster
from dangan.agreements.services.common import check_scope, dossier_set_entrustment, locked_agreement, raise_if, today_or
from dangan.agreements.services.personal import PersonalTerms, end_personal, sign_locked
from dangan.audit.services import record
from dangan.core.errors import Conflict, NotFound, ValidationFailed
from dangan.dossiers import workflow as dossier_workflow
from dangan.dossiers.models import EntrustmentType
from dangan.dossiers.selectors import dossier_for_action

NOT_FOUND_ENTRY = "名册记录不存在或无权查看"


def roster_join(
    *, actor: Any, agreement_id: int, dossier_id: int, joined_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> RosterEntry:  # fmt: skip
    """An employee's dossier comes under the employer's agreement; it becomes a collective dossier."""
    today = today_or(today)
    joined_on = joined_on or today
    with transaction.atomic():
        agreement = locked_agreement(actor, agreement_id)
        if agreement.status != AgreementStatus.IN_FORCE or agreement.end_date < today:
            raise Conflict(_("协议不在履行期内，不能增加委托存档人员"), code="agreement_not_in_force")
        if agreement.employer.is_dissolved:
            raise Conflict(_("单位已注销或被吊销，不能增加委托存档人员"), code="employer_dissolved")
        dossier = dossier_for_action(actor, dossier_id, *SIGN_ROLES, lock=True)
        if dossier.holding_agency_id != agreement.agency_id:
            raise NotFound(_("档案不存在或无权查看"))
        if dossier.status not in dossier_workflow.IN_STOCK:
            raise Conflict(_("档案当前状态为“%(s)s”") % {"s": dossier.get_status_display()}, code="not_in_stock")
        if joined_on > today or joined_on < agreement.start_date:
            message = _("纳入日期应在协议起始日期至今天之间")
            raise ValidationFailed(message, fields={"joined_on": [message]})
        release_roster(RosterEntry.objects.filter(dossier=dossier), actor=actor)
        entry = open_roster_entry(dossier)
        if entry is not None:
            message = _("该档案已在%(e)s的委托存档名册中") % {"e": entry.agreement.employer.name}
            raise Conflict(message, code="already_on_roster", fields={"dossier": [message]})
        personal = (
            PersonalAgreement.objects.select_for_update()
            .filter(dossier=dossier, status=AgreementStatus.IN_FORCE)
            .first()
        )
        if personal is not None:
            end_personal(
                personal, actor=actor, reason=EndReason.COLLECTIVE, on=joined_on,
                note=_("纳入%(e)s委托集体存档") % {"e": agreement.employer.name},
            )  # fmt: skip
        try:
            with transaction.atomic():
                entry = RosterEntry.objects.create(
                    agreement=agreement, dossier=dossier, joined_on=joined_on, recorded_by=actor
                )
        except IntegrityError:
            raise Conflict(_("该档案已在其他单位的委托存档名册中"), code="already_on_roster") from None
        dossier_set_entrustment(
            actor=actor, dossier=dossier, entrustment_type=EntrustmentType.COLLECTIVE,
            reason=_("纳入%(e)s委托集体存档") % {"e": agreement.employer.name},
        )  # fmt: skip
        record(
            actor=actor,
            action=events.ROSTER_JOINED,
            subject=agreement,
            dossier_id=dossier.pk,
            after={"entry": entry.pk, "joined_on": joined_on},
        )
    return entry


def roster_departure_report(
    *,
    actor: Any,
    entry_id: int,
    left_on: datetime.date,
    choice: str,
    personal: PersonalTerms | None = None,
    transfer_to: str = "",
    note: str = "",
    today: datetime.date | None = None,
) -> RosterEntry:
    """The employer reports that an employee left and, as the employee wishes, either a personal
    agreement at the same agency or a transfer out (annex 1 §三6). The choice is required: a dossier
    never drops out of every agreement without a decision."""
    today = today_or(today)
    with transaction.atomic():
        entry = (
            RosterEntry.objects.select_for_update(of=("self",))
            .select_related("agreement__agency", "agreement__employer")
            .filter(pk=entry_id)
            .first()
        )
        if entry is None:
            raise NotFound(_(NOT_FOUND_ENTRY))
        check_scope(actor, entry.agreement.agency, _(NOT_FOUND_ENTRY))
        if entry.status == RosterStatus.AGREEMENT_ENDED or entry.agreement.status != AgreementStatus.IN_FORCE:
            raise Conflict(
                _(
                    "%(e)s的委托集体存档协议已终止，该人员不再纳入协议名册；请按本人意愿签订个人委托存档协议或办理档案转出"
                )
                % {"e": entry.agreement.employer.name},
                code="agreement_not_in_force",
            )
        if entry.status != RosterStatus.ACTIVE:
            raise Conflict(_("该人员已办理离职（%(s)s）") % {"s": entry.get_status_display()}, code="already_left")
        errors: dict[str, list[str]] = {}
        if choice not in ExitChoice.values:
            errors["choice"] = [_("请按离职人员意愿选择：签订个人委托存档协议，或办理档案转出（附件1 三6）")]
        if left_on > today:
            errors["left_on"] = [_("离职日期不能晚于今天")]
        elif left_on < entry.joined_on:
            errors["left_on"] = [_("离职日期不能早于纳入名册日期")]
        if choice == ExitChoice.PERSONAL and personal is None:
            errors["services"] = [_("请填写个人委托存档协议的服务事项")]
        if choice == ExitChoice.TRANSFER and len(transfer_to) > 100:
            errors["transfer_to"] = [_("不能超过%(n)d个字") % {"n": 100}]
        raise_if(errors, _("离职报告填写有误，请按提示修改"))
        dossier = dossier_for_action(actor, entry.dossier_id, *SIGN_ROLES, lock=True)
        before = entry.status
        target = RosterStatus.LEFT_PERSONAL if choice == ExitChoice.PERSONAL else RosterStatus.AWAITING_TRANSFER
        workflow.move(entry, workflow.ROSTER, target)
        entry.left_on = left_on
        entry.exit_choice = choice
        entry.transfer_to = transfer_to.strip() if choice == ExitChoice.TRANSFER else ""
        entry.note = note[:200]
        entry.save(update_fields=["status", "left_on", "exit_choice", "transfer_to", "note"])
        if choice == ExitChoice.PERSONAL:
            assert personal is not None
            employer = entry.agreement.employer
            places = jurisdiction.Places(
                household_region=dossier.person.household_region, former_employer_region=employer.county_code
            )
            entry.personal_agreement = sign_locked(
                actor=actor, dossier=dossier, terms=personal, situation=jurisdiction.Situation.COLLECTIVE_DEPARTURE,
                places=places, current_holder=dossier.holding_agency,
            )  # fmt: skip
            entry.save(update_fields=["personal_agreement"])
        record(
            actor=actor,
            action=events.ROSTER_LEFT,
            subject=entry.agreement,
            dossier_id=dossier.pk,
            before={"entry": entry.pk, "status": before},
            after={"status": entry.status, "left_on": left_on, "choice": choice, "transfer_to": entry.transfer_to},
            reason=note,
        )
    return entry
