from django.db import migrations

from dangan.core.dbguards import migration_operation


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0001_initial")]

    operations = [
        migration_operation("dossier_no_delete"),
        migration_operation("person_no_delete"),
    ]
