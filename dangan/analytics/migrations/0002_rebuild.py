# Filled the counters for dossiers that existed before them. The facts have since gained columns (0003), and
# this ran today's `aggregates.rebuild`, which writes them: the one rebuild is now 0004, after the schema it
# writes. Kept as a no-op so the migration graph is unchanged.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("analytics", "0001_initial")]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
