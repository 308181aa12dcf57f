"""The trust center's pages: the public ones under ``/trust/``, the provider team's under
``/providers/<slug>/trust/``."""

from django.urls import path  # noqa: F401

app_name = "trust"

public = "trust/<slug:provider>/"
team = "providers/<slug:provider>/trust/"

urlpatterns: list = []
