# The facts' completeness counts the 26 mandatory items of `dossiers.basicinfo` (R35) instead of 10 fields. The
# facts and counters of an existing database are computed again after `migrate` (`AnalyticsConfig`'s
# post-migrate step, `aggregates.rebuild`), once the whole schema matches today's models: a data migration
# running today's code here would break as soon as a later migration adds a column those models read.
# Kept as a no-op so the migration graph is unchanged.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0003_facts_missing_items"),
        ("dossiers", "0009_dossier_received_index"),
        ("storage", "0003_stocktake"),
    ]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
