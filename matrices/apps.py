from django.apps import AppConfig


class MatricesConfig(AppConfig):
    name = "matrices"
    verbose_name = "Responsibility matrices"
