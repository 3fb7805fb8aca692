from django.apps import AppConfig


class StorageConfig(AppConfig):
    name = "dangan.storage"
    label = "storage"
    verbose_name = "库房"

    def ready(self) -> None:
        # Imported here: selectors load models, which need the app registry ready.
        from dangan.dossiers.basicinfo import register_provider
        from dangan.storage.selectors import location_label

        register_provider("location", location_label)  # basic-information item 25 存放位置
