"""Two people acting on the same dossier at the same moment end with one loan (R14): the dossier row is locked
and a partial unique index (one open loan per dossier) holds even if the lock were forgotten."""

import threading

import pytest
from django.db import IntegrityError, connection, transaction

from dangan.audit.models import AuditEvent
from dangan.audit.services import verify
from dangan.core.errors import Conflict
from dangan.dossiers.models import Dossier
from dangan.lending.models import Loan
from dangan.lending.services import loan_apply, loan_approve, loan_lend
from dangan.lending.tests.helpers import loan_values

pytestmark = pytest.mark.django_db(transaction=True)


def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("threads racing on row locks need PostgreSQL; SQLite checks the constraint only")


def _race(*calls):
    """Run the calls in threads released together; each thread uses and then closes its own connection."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as exc:  # noqa: BLE001  (the outcome is what the test inspects)
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.mark.rule("R14")
def test_two_approvers_at_the_same_moment_end_with_one_loan(staff, dossier, people, org_code):
    _postgres_only()
    first = loan_apply(actor=staff["clerk"], **loan_values(dossier, people, org_code, letter_number="A1"))
    second = loan_apply(actor=staff["clerk"], **loan_values(dossier, people, org_code, letter_number="B2"))
    results = _race(
        lambda: loan_approve(actor=staff["approver"], loan_id=first.pk),
        lambda: loan_approve(actor=staff["approver2"], loan_id=second.pk),
    )
    assert sorted(type(r).__name__ for r in results) == ["Conflict", "Loan"]
    assert Loan.objects.filter(dossier=dossier, state__in=["approved", "on_loan"]).count() == 1
    assert AuditEvent.objects.filter(action="loan.approved").count() == 1
    assert verify().ok


@pytest.mark.rule("R14")
def test_two_keepers_lending_the_same_dossier_at_once_lend_it_once(staff, dossier, people, org_code):
    _postgres_only()
    loan = loan_apply(actor=staff["clerk"], **loan_values(dossier, people, org_code))
    loan_approve(actor=staff["approver"], loan_id=loan.pk)
    results = _race(
        lambda: loan_lend(actor=staff["keeper"], loan_id=loan.pk, seal_number="FQ1"),
        lambda: loan_lend(actor=staff["keeper2"], loan_id=loan.pk, seal_number="FQ2"),
    )
    assert sorted(type(r).__name__ for r in results) == ["Conflict", "Loan"]
    assert Dossier.objects.get(pk=dossier.pk).status == "on_loan"
    assert AuditEvent.objects.filter(action="dossier.status_changed", dossier_id=dossier.pk).count() == 1
    assert AuditEvent.objects.filter(action="loan.lent").count() == 1


@pytest.mark.rule("R14")
def test_the_index_holds_when_two_transactions_race_without_the_lock(staff, dossier, people, org_code):
    _postgres_only()
    first = loan_apply(actor=staff["clerk"], **loan_values(dossier, people, org_code, letter_number="A1"))
    second = loan_apply(actor=staff["clerk"], **loan_values(dossier, people, org_code, letter_number="B2"))

    def open_loan(pk):
        with transaction.atomic():
            Loan.objects.filter(pk=pk).update(state="approved")
        return pk

    results = _race(lambda: open_loan(first.pk), lambda: open_loan(second.pk))
    assert sorted(type(r).__name__ for r in results) == ["IntegrityError", "int"]
    assert Loan.objects.filter(dossier=dossier, state="approved").count() == 1


@pytest.mark.rule("R14")
def test_the_index_holds_on_every_database(staff, dossier, people, org_code):
    first = loan_apply(actor=staff["clerk"], **loan_values(dossier, people, org_code, letter_number="A1"))
    second = loan_apply(actor=staff["clerk"], **loan_values(dossier, people, org_code, letter_number="B2"))
    Loan.objects.filter(pk=first.pk).update(state="on_loan")
    with pytest.raises(IntegrityError), transaction.atomic():
        Loan.objects.filter(pk=second.pk).update(state="approved")
    with pytest.raises(Conflict):
        loan_approve(actor=staff["approver"], loan_id=second.pk)
