# The missing mandatory items of each dossier, named on the dashboard and in its download (R35).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('analytics', '0002_rebuild'),
    ]

    operations = [
        migrations.AddField(
            model_name='dossierfacts',
            name='missing',
            field=models.CharField(blank=True, default='', max_length=100),
        ),
    ]
