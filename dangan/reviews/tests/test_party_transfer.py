import datetime as dt

import pytest

from dangan.audit.models import AuditEvent
from dangan.casework.services import request_advance
from dangan.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from dangan.dossiers.models import PartyMembership
from dangan.reviews import events
from dangan.reviews.services import party_transfer_complete, party_transfer_decide

from .conftest import BRANCH, TODAY

RECEIVER = "中共莱州市某某集团有限公司委员会"


@pytest.mark.rule("R10")
@pytest.mark.parametrize("status", ["13", "03", "05", ""])
def test_refused_for_persons_who_are_not_party_members(member, apply_party, snapshot, status):
    dossier = member(political_status=status)
    before = snapshot()
    with pytest.raises(ValidationFailed) as refused:
        apply_party(dossier)
    assert refused.value.code == "not_party_member"
    assert "不是中共党员或预备党员，不能办理党员组织关系接转" in refused.value.message
    assert snapshot() == before


@pytest.mark.rule("R10")
def test_completion_moves_the_open_membership_to_the_receiving_organisation(staff, member, apply_party):
    dossier = member()
    transfer = apply_party(dossier)
    assert transfer.request.status == "submitted"
    assert transfer.branch_before == BRANCH
    party_transfer_complete(actor=staff.clerk, transfer_id=transfer.pk, reported_on=dt.date(2026, 3, 10), today=TODAY)
    transfer.refresh_from_db()
    membership = PartyMembership.objects.get(person=dossier.person)
    assert membership.branch == RECEIVER
    assert (transfer.branch_before, transfer.branch_after) == (BRANCH, RECEIVER)
    assert transfer.request.status == "completed"
    assert transfer.request.completed_at is not None
    moved = AuditEvent.objects.get(action=events.PARTY_BRANCH_CHANGED)
    assert (moved.before, moved.after) == ({"branch": BRANCH}, {"branch": RECEIVER})
    assert moved.dossier_id == dossier.pk
    assert AuditEvent.objects.filter(action=events.PARTY_TRANSFER_COMPLETED).count() == 1


def test_transfer_in_for_a_probationary_member(staff, member, apply_party):
    dossier = member(political_status="02")
    transfer = apply_party(
        dossier, direction="in", issuing_organisation="中共青岛市某某公司支部委员会", receiving_organisation=BRANCH
    )
    party_transfer_complete(actor=staff.clerk, transfer_id=transfer.pk, reported_on=dt.date(2026, 3, 16), today=TODAY)
    assert PartyMembership.objects.get(person=dossier.person).branch == BRANCH
    assert transfer.get_direction_display() == "转入"


def test_reporting_after_the_letter_expired_is_refused_and_changes_nothing(staff, member, apply_party, snapshot):
    dossier = member()
    transfer = apply_party(dossier, issued_on=dt.date(2026, 1, 5), valid_until=dt.date(2026, 2, 5))
    before = snapshot()
    with pytest.raises(ValidationFailed) as refused:
        party_transfer_complete(
            actor=staff.clerk, transfer_id=transfer.pk, reported_on=dt.date(2026, 3, 1), today=TODAY
        )
    assert "有效期" in refused.value.fields["reported_on"][0]
    with pytest.raises(ValidationFailed):
        party_transfer_complete(
            actor=staff.clerk, transfer_id=transfer.pk, reported_on=dt.date(2026, 1, 1), today=TODAY
        )
    assert snapshot() == before
    assert PartyMembership.objects.get(person=dossier.person).branch == BRANCH


def test_letter_dates_are_checked(member, apply_party, snapshot):
    dossier = member()
    before = snapshot()
    with pytest.raises(ValidationFailed) as refused:
        apply_party(dossier, issued_on=dt.date(2026, 3, 1), valid_until=dt.date(2026, 2, 1))
    assert "valid_until" in refused.value.fields
    with pytest.raises(ValidationFailed) as future:
        apply_party(dossier, issued_on=TODAY + dt.timedelta(days=1), valid_until=TODAY + dt.timedelta(days=30))
    assert "issued_on" in future.value.fields
    assert snapshot() == before


def test_a_member_without_an_open_membership_record_is_refused(member, apply_party, snapshot):
    dossier = member()
    PartyMembership.objects.filter(person=dossier.person).update(left_on=dt.date(2020, 1, 1))
    before = snapshot()
    with pytest.raises(ValidationFailed) as refused:
        apply_party(dossier)
    assert refused.value.code == "no_membership"
    assert snapshot() == before


def test_one_open_transfer_at_a_time(member, apply_party):
    dossier = member()
    apply_party(dossier)
    with pytest.raises(Conflict) as refused:
        apply_party(dossier, letter_number="鲁组介〔2026〕0200号")
    assert refused.value.code == "transfer_open"


def test_only_clerks_of_the_holder_complete(staff, member, apply_party, snapshot):
    transfer = apply_party(member())
    before = snapshot()
    with pytest.raises(PermissionDenied):
        party_transfer_complete(actor=staff.approver, transfer_id=transfer.pk, reported_on=TODAY, today=TODAY)
    with pytest.raises(PermissionDenied):
        party_transfer_complete(actor=staff.bare, transfer_id=transfer.pk, reported_on=TODAY, today=TODAY)
    with pytest.raises(NotFound):
        party_transfer_complete(actor=staff.laizhou, transfer_id=transfer.pk, reported_on=TODAY, today=TODAY)
    assert snapshot() == before


def test_the_generic_step_page_cannot_complete_without_moving_the_branch(staff, member, apply_party):
    transfer = apply_party(member())
    with pytest.raises(Conflict):
        request_advance(actor=staff.clerk, request_id=transfer.request_id, to="completed")


def test_rejection_needs_a_reason(staff, member, apply_party):
    transfer = apply_party(member())
    with pytest.raises(ValidationFailed):
        party_transfer_decide(actor=staff.approver, transfer_id=transfer.pk, to="rejected")
    party_transfer_decide(actor=staff.approver, transfer_id=transfer.pk, to="rejected", note="介绍信编号与原件不符")
    transfer.refresh_from_db()
    assert transfer.request.status == "rejected"
    with pytest.raises(Conflict):
        party_transfer_complete(actor=staff.clerk, transfer_id=transfer.pk, reported_on=TODAY, today=TODAY)
