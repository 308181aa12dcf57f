"""The trust center's pages: the public ones under ``/trust/``, the provider team's under
``/providers/<slug>/trust/``."""

from django.urls import path

from trust.views import analytics

app_name = "trust"

public = "trust/<slug:provider>/"
team = "providers/<slug:provider>/trust/"

urlpatterns: list = []

urlpatterns += [
    path(f"{team}analytics/", analytics.analytics, name="analytics"),
    path(
        "providers/<slug:provider>/trust/analytics.csv",
        analytics.analytics_csv,
        name="analytics_csv",
    ),
]
