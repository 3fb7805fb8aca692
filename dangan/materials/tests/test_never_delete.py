"""Materials are never deleted — not through the ORM, a queryset, nor raw SQL (R6)."""

import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction

from dangan.core.errors import PermissionDenied
from dangan.materials.models import Material


@pytest.mark.rule("R6")
def test_r6_orm_delete_of_a_material_is_refused(receive):
    material = receive()
    with pytest.raises(PermissionDenied, match="不可删除"):
        material.delete()
    with pytest.raises(PermissionDenied):
        Material.objects.filter(pk=material.pk).delete()
    with pytest.raises(PermissionDenied):
        Material.objects.all().delete()
    assert Material.objects.filter(pk=material.pk).exists()


@pytest.mark.rule("R6")
def test_r6_raw_sql_delete_of_materials_is_refused_by_the_database(receive, filed):
    receive()
    filed(title="已归档的材料")
    with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM materials_material")
    assert Material.objects.count() == 2
