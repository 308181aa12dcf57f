from django.apps import AppConfig


class MatricesConfig(AppConfig):
    name = "matrices"
    verbose_name = "Responsibility matrices"

    def ready(self) -> None:
        from matrices import checks  # noqa: F401 - registers the system checks
