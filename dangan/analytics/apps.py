from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "dangan.analytics"
    label = "analytics"
    verbose_name = "统计分析"

    def ready(self) -> None:
        from dangan.analytics import aggregates

        aggregates.connect()
