from django.db import migrations

from dangan.core.dbguards import migration_operation


class Migration(migrations.Migration):
    dependencies = [("storage", "0001_initial")]

    operations = [migration_operation("storage_moves_append_only")]
