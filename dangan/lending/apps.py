from django.apps import AppConfig


class LendingConfig(AppConfig):
    name = "dangan.lending"
    label = "lending"
    verbose_name = "查阅与借阅"

    def ready(self) -> None:
        from dangan.dossiers.policies import register_read_guard
        from dangan.lending import service_types  # noqa: F401  (registers the request types)
        from dangan.lending.recusal import recusal_conflict

        # R13: staff opening their own or a relative's dossier in the console are refused with the reason.
        register_read_guard(recusal_conflict)
