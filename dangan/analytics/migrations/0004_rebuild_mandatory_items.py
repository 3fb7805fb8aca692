# The facts' completeness now counts the 26 mandatory items of `dossiers.basicinfo` (R35) instead of 10 fields,
# and names the missing ones: every dossier's facts and the counters are computed again by `aggregates.rebuild`,
# the same code `manage.py analytics_rebuild` runs. On PostgreSQL that is one INSERT … SELECT over the base
# tables and counters by GROUP BY over the facts, run by the server (memory flat whatever the stock), in this
# migration's transaction: the dashboard keeps the old figures until it commits, never
# half of each. A database without dossiers (a new one) has nothing to compute.
from django.db import migrations


def rebuild(apps, schema_editor):
    if not apps.get_model("dossiers", "Dossier").objects.exists():
        return
    from dangan.analytics.aggregates import rebuild as rebuild_all

    rebuild_all()


class Migration(migrations.Migration):
    dependencies = [
        ("analytics", "0003_facts_missing_items"),
        ("dossiers", "0009_dossier_received_index"),
        ("storage", "0003_stocktake"),
    ]

    operations = [migrations.RunPython(rebuild, migrations.RunPython.noop)]
