"""When a collective agreement ends or expires its roster closes (R22, R25, R5): the employees are no longer
covered, are listed among the dossiers under no agreement, and a personal agreement or a new collective
agreement may take them."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from dangan.agreements import services, workflow
from dangan.agreements.jurisdiction import Places
from dangan.agreements.models import AgreementStatus, EndReason, RosterEntry, RosterStatus
from dangan.agreements.selectors import (
    dossiers_without_agreement,
    employers_dissolved_with_dossiers,
    open_roster_entry,
)
from dangan.audit.models import AuditEvent
from dangan.core.errors import Conflict

from .conftest import PERSONAL_SERVICES, TODAY

RELEASED = "agreements.roster_released"


@pytest.fixture
def employee(make_dossier):
    return make_dossier("370602", household_region="370602")


def _join(clerk, agreement, dossier, today=TODAY):
    return services.roster_join(actor=clerk, agreement_id=agreement.pk, dossier_id=dossier.pk, today=today)


def _sign_personal(clerk, dossier):
    return services.personal_agreement_sign(
        actor=clerk, dossier_id=dossier.pk, start_date=TODAY, services=PERSONAL_SERVICES, situation="flexible",
        places=Places(),
    )  # fmt: skip


def _assert_released(entry, agreement):
    entry.refresh_from_db()
    assert entry.status == RosterStatus.AGREEMENT_ENDED
    assert open_roster_entry(entry.dossier) is None
    assert entry.dossier in dossiers_without_agreement(agreement.agency, TODAY)
    event = AuditEvent.objects.get(action=RELEASED, dossier_id=entry.dossier_id)
    assert event.before == {"status": "active"}
    assert event.after["status"] == "agreement_ended"
    assert event.agency_id == agreement.agency_id


@pytest.mark.rule("R22")
@pytest.mark.rule("R25")
def test_r22_r25_ending_for_breach_closes_the_roster_and_a_personal_agreement_takes_the_employee(
    clerk, approver, make_employer, sign, employee
):
    agreement = sign(make_employer(), start=datetime.date(2025, 1, 1))
    entry = _join(clerk, agreement, employee)
    services.employer_agreement_end_for_breach(
        actor=approver, agreement_id=agreement.pk, on=TODAY, reason="多次提供虚假信息", today=TODAY
    )
    _assert_released(entry, agreement)
    assert "违反协议约定" in AuditEvent.objects.get(action=RELEASED).reason
    personal = _sign_personal(clerk, employee)
    assert personal.status == AgreementStatus.IN_FORCE
    assert employee not in dossiers_without_agreement(agreement.agency, TODAY)


@pytest.mark.rule("R22")
@pytest.mark.rule("R25")
@pytest.mark.parametrize("kind", ["deregistered", "revoked"])
def test_r22_r25_deregistration_or_revocation_closes_the_roster_and_the_reminder_stays_until_settled(
    clerk, make_employer, sign, employee, kind
):
    employer = make_employer()
    agreement = sign(employer, start=datetime.date(2025, 1, 1))
    entry = _join(clerk, agreement, employee)
    services.employer_dissolve(
        actor=clerk, employer_id=employer.pk, kind=kind, on=datetime.date(2026, 6, 30), today=TODAY
    )
    _assert_released(entry, agreement)
    # annex 1 §三7(2): the employee's dossier is not settled yet, so the employer stays on the reminder list
    (listed,) = employers_dissolved_with_dossiers(clerk)
    assert (listed, listed.open_dossiers) == (employer, 1)
    _sign_personal(clerk, employee)
    assert list(employers_dissolved_with_dossiers(clerk)) == []


@pytest.mark.rule("R22")
@pytest.mark.rule("R25")
def test_r22_r25_moving_the_entrustment_closes_the_old_roster(clerk, make_employer, sign, employer_data, employee):
    data = employer_data()
    old = sign(make_employer("370602", credit_code=data["credit_code"]), start=datetime.date(2025, 1, 1))
    entry = _join(clerk, old, employee)
    sign(make_employer("370600", credit_code=data["credit_code"]), start=TODAY, moving=True, moving_note="单位申请")
    old.refresh_from_db()
    assert old.end_reason == EndReason.MOVED
    _assert_released(entry, old)
    assert "变更委托存档机构" in AuditEvent.objects.get(action=RELEASED).reason


@pytest.mark.rule("R22")
@pytest.mark.rule("R25")
def test_r22_r25_expiry_closes_the_roster_and_a_new_agreement_with_the_same_employer_takes_the_employee(
    clerk, make_employer, sign, employee
):
    employer = make_employer()
    agreement = sign(employer, start=datetime.date(2023, 1, 1), years=3)  # ends 2025-12-31
    entry = _join(clerk, agreement, employee, today=datetime.date(2025, 6, 1))
    assert services.employer_agreement_expire(actor=None, agreement_id=agreement.pk, today=TODAY)
    _assert_released(entry, agreement)
    assert AuditEvent.objects.get(action=RELEASED).actor_id is None  # the daily run
    again = sign(employer, start=TODAY)
    joined = _join(clerk, again, employee)  # neither the service nor the database constraint refuses now
    assert joined.status == RosterStatus.ACTIVE
    assert employee not in dossiers_without_agreement(again.agency, TODAY)


@pytest.mark.rule("R22")
@pytest.mark.rule("R25")
def test_r22_r25_signing_again_after_a_lapse_expires_the_old_agreement_and_closes_its_roster(
    clerk, make_employer, sign, employee
):
    employer = make_employer()
    agreement = sign(employer, start=datetime.date(2023, 1, 1), years=3)
    entry = _join(clerk, agreement, employee, today=datetime.date(2025, 6, 1))
    again = sign(employer, start=TODAY)  # the lapsed agreement is marked expired on the way
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.EXPIRED
    _assert_released(entry, agreement)
    assert _join(clerk, again, employee).agreement == again


@pytest.mark.rule("R25")
def test_r25_an_employee_awaiting_transfer_is_released_too_and_keeps_the_destination(
    clerk, approver, make_employer, sign, employee
):
    agreement = sign(make_employer(), start=datetime.date(2025, 1, 1))
    entry = _join(clerk, agreement, employee)
    services.roster_departure_report(
        actor=clerk, entry_id=entry.pk, left_on=TODAY, choice="transfer", transfer_to="青岛市人才服务中心", today=TODAY
    )
    services.employer_agreement_end_for_breach(
        actor=approver, agreement_id=agreement.pk, on=TODAY, reason="违约", today=TODAY
    )
    entry.refresh_from_db()
    assert (entry.status, entry.transfer_to) == (RosterStatus.AGREEMENT_ENDED, "青岛市人才服务中心")
    assert _sign_personal(clerk, employee).status == AgreementStatus.IN_FORCE


@pytest.mark.rule("R25")
def test_r25_after_the_end_the_employer_reports_no_departure_and_the_entry_moves_no_further(
    clerk, approver, make_employer, sign, employee
):
    agreement = sign(make_employer(), start=datetime.date(2025, 1, 1))
    entry = _join(clerk, agreement, employee)
    services.employer_agreement_end_for_breach(
        actor=approver, agreement_id=agreement.pk, on=TODAY, reason="违约", today=TODAY
    )
    with pytest.raises(Conflict) as refused:
        services.roster_departure_report(actor=clerk, entry_id=entry.pk, left_on=TODAY, choice="transfer", today=TODAY)
    assert refused.value.code == "agreement_not_in_force"
    entry.refresh_from_db()
    for target in RosterStatus.values:
        assert not workflow.ROSTER.can(entry.status, target)


@pytest.mark.rule("R25")
def test_r25_entries_left_open_by_an_earlier_end_are_closed_by_the_daily_run_and_on_use(
    clerk, approver, make_employer, sign, employee, make_dossier
):
    """Agreements ended before the roster closed with them: the daily command closes what is left
    (audited), and signing for such an employee closes the entry first."""
    agreement = sign(make_employer(), start=datetime.date(2025, 1, 1))
    entry = _join(clerk, agreement, employee)
    other = make_dossier("370602", household_region="370602")
    other_entry = _join(clerk, agreement, other)
    services.employer_agreement_end_for_breach(
        actor=approver, agreement_id=agreement.pk, on=TODAY, reason="违约", today=TODAY
    )
    # as the records were before this fix: the roster still open under an ended agreement
    RosterEntry.objects.filter(pk__in=[entry.pk, other_entry.pk]).update(status=RosterStatus.ACTIVE)
    before = AuditEvent.objects.filter(action=RELEASED).count()
    assert open_roster_entry(employee) is None  # the agreement's status counts, not only the entry's
    _sign_personal(clerk, employee)
    entry.refresh_from_db()
    assert entry.status == RosterStatus.AGREEMENT_ENDED
    out = StringIO()
    call_command("agreements_remind", "--today", TODAY.isoformat(), "--agency", "370602", stdout=out)
    assert "已终止协议的名册人员 1 人转为未纳入协议" in out.getvalue()
    other_entry.refresh_from_db()
    assert other_entry.status == RosterStatus.AGREEMENT_ENDED
    assert AuditEvent.objects.filter(action=RELEASED).count() == before + 2
    assert services.employer_agreement_release_roster(actor=None, agreement_id=agreement.pk) == 0
