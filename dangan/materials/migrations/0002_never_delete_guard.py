from django.db import migrations

from dangan.core.dbguards import migration_operation


class Migration(migrations.Migration):
    dependencies = [("materials", "0001_initial")]

    operations = [migration_operation("material_no_delete")]
