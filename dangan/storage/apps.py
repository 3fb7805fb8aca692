from django.apps import AppConfig


class StorageConfig(AppConfig):
    name = "dangan.storage"
    label = "storage"
    verbose_name = "库房"
