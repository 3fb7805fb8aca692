"""R6: a dossier never disappears by deletion — not through the ORM, a queryset, nor raw SQL."""

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from dangan.core.errors import PermissionDenied
from dangan.dossiers.models import Dossier, Person


@pytest.mark.rule("R6")
def test_orm_delete_of_a_dossier_is_refused(make_dossier):
    dossier = make_dossier("370602")
    with pytest.raises(PermissionDenied, match="不可删除"):
        dossier.delete()
    with pytest.raises(PermissionDenied):
        Dossier.objects.filter(pk=dossier.pk).delete()
    with pytest.raises(PermissionDenied):
        dossier.person.delete()
    assert Dossier.objects.filter(pk=dossier.pk).exists()


@pytest.mark.rule("R6")
@pytest.mark.parametrize("table", ["dossiers_dossier", "dossiers_person"])
def test_raw_sql_delete_is_refused_by_the_database(make_dossier, table):
    make_dossier("370602")
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608  (fixed table names)
    assert Dossier.objects.count() == 1
    assert Person.objects.count() == 1


@pytest.mark.rule("R1")
def test_one_dossier_per_person_and_one_holder_column(make_dossier, agencies):
    dossier = make_dossier("370602")
    with pytest.raises(IntegrityError), transaction.atomic():
        Dossier.objects.create(
            person=dossier.person,
            number="X1",
            holding_agency=agencies["370683"],
            custodian=agencies["370683"],
            received_on=dossier.received_on,
            barcode="X1",
        )
    field = Dossier._meta.get_field("holding_agency")
    assert field.many_to_one
    assert not field.null


def test_status_moves_only_through_named_processes(make_dossier, make_staff):
    from django.db import transaction

    from dangan.agencies.models import Role
    from dangan.core.errors import Conflict
    from dangan.dossiers.services import dossier_transition

    dossier = make_dossier("370602")
    keeper = make_staff("370602", Role.ARCHIVE_KEEPER)
    with transaction.atomic():
        with pytest.raises(Conflict):
            dossier_transition(actor=keeper, dossier=dossier, to="transferred_out", process="loan")
        dossier_transition(actor=keeper, dossier=dossier, to="on_loan", process="loan")
    dossier.refresh_from_db()
    assert dossier.status == "on_loan"
