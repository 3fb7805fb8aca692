"""Loans: R14 (approval, separation of duties, due date, overdue, return check), R15 (letter, seal)."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from dangan.audit.models import AuditEvent
from dangan.casework.models import ServiceRequest
from dangan.core.errors import Conflict, PermissionDenied, ValidationFailed
from dangan.dossiers.models import Dossier
from dangan.lending.models import Loan
from dangan.lending.selectors import loans_escalated, loans_overdue
from dangan.lending.services import (
    loan_apply,
    loan_approve,
    loan_lend,
    loan_return,
    loan_withdraw,
    loans_flag_overdue,
)
from dangan.lending.tests.helpers import family, loan_values
from dangan.transfers.services import transfer_apply


def _all_present(loan, changes=None):
    changes = changes or {}
    return [
        {"n": row["n"], "present": True, "pages": row["pages"], **changes.get(row["n"], {})} for row in loan.catalogue
    ]


def _lent(staff, loan, **kw):
    loan_approve(actor=staff["approver"], loan_id=loan.pk)
    return loan_lend(actor=staff["keeper"], loan_id=loan.pk, seal_number="FQ0001", **kw)


@pytest.mark.rule("R15")
def test_the_borrowers_letter_is_required(staff, dossier, people, org_code):
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as refused:
        loan_apply(actor=staff["clerk"], **loan_values(dossier, people, org_code, letter_number="", documents=[]))
    assert "借档函" in refused.value.fields["letter_number"][0]
    assert "借档函" in refused.value.fields["documents"][0]
    assert AuditEvent.objects.count() == before
    assert ServiceRequest.objects.count() == 0


@pytest.mark.rule("R14")
def test_the_no_lending_on_undertaking_is_required_and_recorded(staff, dossier, people, org_code):
    with pytest.raises(ValidationFailed) as refused:
        loan_apply(actor=staff["clerk"], **loan_values(dossier, people, org_code, no_lending_on=False))
    assert "不转借" in refused.value.fields["no_lending_on"][0]
    loan = loan_apply(actor=staff["clerk"], **loan_values(dossier, people, org_code))
    assert "不转借" in loan.undertaking


@pytest.mark.rule("R13")
def test_the_collector_may_not_be_a_relative(staff, dossier, people, org_code):
    family(dossier.person, "女儿", people[3].id_number)
    with pytest.raises(ValidationFailed) as refused:
        loan_apply(actor=staff["clerk"], **loan_values(dossier, people, org_code))
    assert "亲属" in refused.value.fields["handler_id_number"][0]


@pytest.mark.rule("R14")
def test_lending_needs_approval(staff, loan):
    before = AuditEvent.objects.count()
    with pytest.raises(Conflict):
        loan_lend(actor=staff["keeper"], loan_id=loan.pk, seal_number="FQ0001")
    assert Dossier.objects.get(pk=loan.dossier_id).status == "in_custody"
    assert AuditEvent.objects.count() == before


@pytest.mark.rule("R14")
def test_the_approver_is_not_the_requester(make_staff, dossier, people, org_code):
    both = make_staff("370602", "counter_clerk", "approver")
    loan = loan_apply(actor=both, **loan_values(dossier, people, org_code))
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied) as refused:
        loan_approve(actor=both, loan_id=loan.pk)
    assert refused.value.code == "separation_of_duties"
    loan.refresh_from_db()
    assert loan.state == "requested"
    assert AuditEvent.objects.count() == before


@pytest.mark.rule("R14")
def test_a_clerk_cannot_approve(staff, loan):
    with pytest.raises(PermissionDenied):
        loan_approve(actor=staff["keeper"], loan_id=loan.pk)


@pytest.mark.rule("R14")
@pytest.mark.parametrize("days", [7, 10])
def test_due_date_comes_from_the_setting(settings, staff, loan, days):
    settings.DANGAN_LOAN_DAYS = days
    lent = _lent(staff, loan, today=dt.date(2026, 3, 2))
    assert lent.due_on == dt.date(2026, 3, 2) + dt.timedelta(days=days)
    assert Dossier.objects.get(pk=loan.dossier_id).status == "on_loan"
    assert lent.material_count == 2
    assert lent.page_count == 8
    assert [row["title"] for row in lent.catalogue] == ["履历表1", "履历表2"]


@pytest.mark.rule("R14")
def test_a_dossier_without_a_catalogue_is_not_lent(staff, make_dossier, people, org_code):
    bare = make_dossier("370602")
    loan = loan_apply(actor=staff["clerk"], **loan_values(bare, people, org_code))
    loan_approve(actor=staff["approver"], loan_id=loan.pk)
    with pytest.raises(ValidationFailed, match="目录"):
        loan_lend(actor=staff["keeper"], loan_id=loan.pk, seal_number="FQ1")
    assert Dossier.objects.get(pk=bare.pk).status == "in_custody"


@pytest.mark.rule("R14")
def test_overdue_loans_are_flagged_daily(staff, loan):
    lent = _lent(staff, loan, today=dt.date.today() - dt.timedelta(days=10))
    today = dt.date.today()
    assert list(loans_overdue(staff["approver"], today=today)) == [lent]
    assert loans_flag_overdue(today=today) == 1
    assert loans_flag_overdue(today=today) == 0  # once a day
    call_command("loans_flag_overdue", "--date", (today + dt.timedelta(days=1)).isoformat())
    lent.refresh_from_db()
    assert lent.overdue_flagged_on == today + dt.timedelta(days=1)
    assert lent.overdue_since == lent.due_on + dt.timedelta(days=1)
    assert AuditEvent.objects.filter(action="loan.overdue").count() == 2
    assert list(loans_overdue(staff["other_clerk"], today=today)) == []


@pytest.mark.rule("R14")
def test_a_complete_return_is_not_a_discrepancy(staff, loan):
    lent = _lent(staff, loan)
    returned = loan_return(actor=staff["keeper2"], loan_id=lent.pk, seal_intact=True, items=_all_present(lent))
    assert returned.state == "returned"
    assert not returned.discrepancy
    assert returned.escalated_at is None
    assert Dossier.objects.get(pk=loan.dossier_id).status == "in_custody"
    assert returned.request.status == "returned"


@pytest.mark.rule("R14")
def test_a_missing_page_is_recorded_as_a_discrepancy_and_escalated(staff, loan):
    lent = _lent(staff, loan)
    returned = loan_return(
        actor=staff["keeper"], loan_id=lent.pk, seal_intact=True, items=_all_present(lent, {2: {"pages": 4}}),
        note="借档单位称一页遗失",
    )  # fmt: skip
    assert "页数不符" in returned.discrepancy
    assert returned.escalated_at is not None
    assert Dossier.objects.get(pk=loan.dossier_id).status == "in_custody"
    event = AuditEvent.objects.get(action="loan.discrepancy")
    assert "履历表2" in event.reason
    assert list(loans_escalated(staff["approver"])) == [returned]


@pytest.mark.rule("R15")
def test_the_seal_is_checked_on_return(staff, loan):
    lent = _lent(staff, loan)
    returned = loan_return(actor=staff["keeper"], loan_id=lent.pk, seal_intact=False, items=_all_present(lent))
    assert "密封" in returned.discrepancy
    assert AuditEvent.objects.filter(action="loan.discrepancy").count() == 1


@pytest.mark.rule("R14")
def test_every_catalogue_item_is_checked_on_return(staff, loan):
    lent = _lent(staff, loan)
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed, match="核对"):
        loan_return(actor=staff["keeper"], loan_id=lent.pk, seal_intact=True, items=_all_present(lent)[:1])
    assert Dossier.objects.get(pk=loan.dossier_id).status == "on_loan"
    assert AuditEvent.objects.count() == before


@pytest.mark.rule("R14")
def test_a_dossier_on_loan_cannot_be_lent_twice(staff, dossier, people, org_code, loan):
    _lent(staff, loan)
    with pytest.raises(Conflict, match="借出"):
        loan_apply(actor=staff["clerk"], **loan_values(dossier, people, org_code))


@pytest.mark.rule("R14")
def test_an_approved_loan_reserves_the_dossier_until_withdrawn(staff, dossier, people, org_code, loan):
    second = loan_apply(actor=staff["clerk"], **loan_values(dossier, people, org_code, letter_number="B2"))
    loan_approve(actor=staff["approver"], loan_id=loan.pk)
    with pytest.raises(Conflict, match="不能重复借阅"):
        loan_approve(actor=staff["approver2"], loan_id=second.pk)
    loan_withdraw(actor=staff["clerk"], loan_id=loan.pk, note="借档单位撤回")
    assert loan_approve(actor=staff["approver2"], loan_id=second.pk).state == "approved"


@pytest.mark.rule("R14")
def test_a_dossier_on_loan_cannot_be_transferred(staff, loan, agencies):
    lent = _lent(staff, loan)
    with pytest.raises(Conflict, match="借出"):
        transfer_apply(
            actor=staff["clerk"], person_id_number=lent.dossier.person.id_number, requester_kind="person",
            applicant_name="某", to_agency=agencies["370683"], reason="调动", documents=["id_card", "request_letter"],
        )  # fmt: skip


@pytest.mark.rule("R14")
def test_the_database_allows_one_open_loan_per_dossier(staff, dossier, people, org_code, loan):
    second = loan_apply(actor=staff["clerk"], **loan_values(dossier, people, org_code, letter_number="B2"))
    Loan.objects.filter(pk=loan.pk).update(state="on_loan")
    with pytest.raises(IntegrityError), transaction.atomic():
        Loan.objects.filter(pk=second.pk).update(state="approved")
