from django.apps import AppConfig


class AgreementsConfig(AppConfig):
    name = "dangan.agreements"
    label = "agreements"
    verbose_name = "委托存档协议"
