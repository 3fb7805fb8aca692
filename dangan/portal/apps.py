from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "dangan.portal"
    label = "portal"
    verbose_name = "网上办事大厅"
