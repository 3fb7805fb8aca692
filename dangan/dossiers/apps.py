from django.apps import AppConfig


class DossiersConfig(AppConfig):
    name = "dangan.dossiers"
    label = "dossiers"
    verbose_name = "档案"
