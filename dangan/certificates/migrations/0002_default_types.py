from django.db import migrations

from dangan.certificates.defaults import load_default_types


def forwards(apps, schema_editor):
    load_default_types(apps.get_model("certificates", "CertificateType"))


class Migration(migrations.Migration):
    dependencies = [("certificates", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
