from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "dangan.agencies"
    label = "agencies"
    verbose_name = "机构与人员"
