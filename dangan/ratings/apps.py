from django.apps import AppConfig


class RatingsConfig(AppConfig):
    name = "dangan.ratings"
    label = "ratings"
    verbose_name = "好差评"

    def ready(self) -> None:
        from dangan.ratings import services  # noqa: F401  (registers the due-date recomputer)
