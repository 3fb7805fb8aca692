# Fills the counters for dossiers that existed before them; later changes keep them in step.
from django.db import migrations


def rebuild(apps, schema_editor):
    from dangan.analytics.aggregates import rebuild as rebuild_all

    rebuild_all()


class Migration(migrations.Migration):
    dependencies = [("analytics", "0001_initial")]

    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]
