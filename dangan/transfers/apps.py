from django.apps import AppConfig


class TransfersConfig(AppConfig):
    name = "dangan.transfers"
    label = "transfers"
    verbose_name = "档案转递"

    def ready(self) -> None:
        from dangan.transfers import service_types  # noqa: F401  (registers the request types)
