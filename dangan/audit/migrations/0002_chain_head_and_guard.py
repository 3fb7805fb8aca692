from typing import Any

from django.db import migrations

from dangan.audit.chain import GENESIS
from dangan.core.dbguards import migration_operation


def create_head(apps: Any, schema_editor: Any) -> None:
    head_model = apps.get_model("audit", "AuditChainHead")
    head_model.objects.get_or_create(pk=1, defaults={"seq": 0, "hash": GENESIS})


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [
        migrations.RunPython(create_head, migrations.RunPython.noop),
        migration_operation("audit_append_only"),
        migration_operation("audit_head_kept"),
    ]
