"""Recusal (回避, R13): own dossier, declared relatives, family rows — for staff, readers, and the console read."""

import pytest

from dangan.agencies.models import Role
from dangan.audit.models import AuditEvent
from dangan.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from dangan.dossiers.services import dossier_read
from dangan.lending.models import Relative
from dangan.lending.recusal import reader_conflict, recusal_conflict
from dangan.lending.services import relative_declare, relative_withdraw
from dangan.lending.tests.helpers import family


def _with_id(user, id_number):
    user.staff.id_number = id_number
    user.staff.save(update_fields=["id_number"])
    return user


@pytest.mark.rule("R13")
def test_staff_recuse_from_their_own_dossier(make_staff, make_dossier):
    dossier = make_dossier("370602")
    clerk = _with_id(make_staff("370602", Role.COUNTER_CLERK), dossier.person.id_number)
    assert "本人" in recusal_conflict(clerk, dossier)


@pytest.mark.rule("R13")
def test_a_declared_relative_is_refused_with_the_reason(make_staff, make_dossier):
    dossier = make_dossier("370602")
    clerk = make_staff("370602", Role.COUNTER_CLERK)
    assert recusal_conflict(clerk, dossier) is None
    relative_declare(actor=clerk, name=dossier.person.name, id_number=dossier.person.id_number, relation="spouse")
    reason = recusal_conflict(clerk, dossier)
    assert "夫妻关系" in reason
    assert dossier.person.name in reason


@pytest.mark.rule("R13")
def test_family_rows_of_either_dossier_count(make_staff, make_dossier):
    dossier = make_dossier("370602")
    own = make_dossier("370683")
    clerk = _with_id(make_staff("370602", Role.COUNTER_CLERK), own.person.id_number)
    family(own.person, "母亲", dossier.person.id_number)
    assert "母亲" in recusal_conflict(clerk, dossier)
    stranger = make_dossier("370602")
    family(stranger.person, "儿子", own.person.id_number)
    assert "儿子" in recusal_conflict(clerk, stranger)


@pytest.mark.rule("R13")
def test_reader_checked_by_id_number(make_dossier, people):
    dossier = make_dossier("370602")
    assert "本人" in reader_conflict(dossier.person.id_number.lower(), dossier)
    family(dossier.person, "配偶", people[0].id_number)
    assert "配偶" in reader_conflict(people[0].id_number, dossier)
    assert reader_conflict(people[1].id_number, dossier) is None


@pytest.mark.rule("R13")
@pytest.mark.rule("R43")
def test_console_read_of_a_relatives_dossier_is_refused(make_staff, make_dossier):
    dossier = make_dossier("370602")
    clerk = make_staff("370602", Role.COUNTER_CLERK)
    assert dossier_read(actor=clerk, dossier_id=dossier.pk).pk == dossier.pk
    relative_declare(actor=clerk, name="王某", id_number=dossier.person.id_number, relation="lineal")
    with pytest.raises(PermissionDenied, match="回避") as refused:
        dossier_read(actor=clerk, dossier_id=dossier.pk)
    assert refused.value.code == "recusal"
    assert AuditEvent.objects.filter(action="dossier.read_refused", dossier_id=dossier.pk).exists()


def test_declaration_is_validated_and_not_duplicated(make_staff, people):
    clerk = make_staff("370602", Role.COUNTER_CLERK)
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationFailed) as bad:
        relative_declare(actor=clerk, name="", id_number="123", relation="cousin")
    assert set(bad.value.fields) == {"name", "id_number", "relation"}
    assert AuditEvent.objects.count() == before
    relative_declare(actor=clerk, name="李某", id_number=people[0].id_number, relation="collateral")
    with pytest.raises(Conflict):
        relative_declare(actor=clerk, name="李某", id_number=people[0].id_number, relation="collateral")


def test_withdrawn_declaration_no_longer_refuses_and_only_the_owner_may_withdraw(make_staff, make_dossier):
    dossier = make_dossier("370602")
    clerk = make_staff("370602", Role.COUNTER_CLERK)
    relative = relative_declare(actor=clerk, name="王某", id_number=dossier.person.id_number, relation="in_law")
    with pytest.raises(NotFound):
        relative_withdraw(actor=make_staff("370602", Role.COUNTER_CLERK), relative_id=relative.pk, reason="误报")
    relative_withdraw(actor=clerk, relative_id=relative.pk, reason="误报")
    assert recusal_conflict(clerk, dossier) is None
    assert Relative.objects.get(pk=relative.pk).withdrawn_reason == "误报"
