from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "dangan.casework"
    label = "casework"
    verbose_name = "服务事项办理"
