from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "dangan.certificates"
    label = "certificates"
    verbose_name = "出具证明"

    def ready(self) -> None:
        from dangan.certificates import service_types  # noqa: F401  (registers the request type)
