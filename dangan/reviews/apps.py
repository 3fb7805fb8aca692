from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "dangan.reviews"
    label = "reviews"
    verbose_name = "政审与党员组织关系"

    def ready(self) -> None:
        from dangan.reviews import service_types  # noqa: F401  (registers the request types)
