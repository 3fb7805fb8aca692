from django.apps import AppConfig


class MigrationConfig(AppConfig):
    name = "dangan.migration"
    label = "migration"
    verbose_name = "历史数据迁移"
