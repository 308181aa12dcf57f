"""The trust center's pages: the public ones under ``/trust/``, the provider team's under
``/providers/<slug>/trust/``."""

from django.urls import path

from trust.views import analytics, nda

app_name = "trust"

public = "trust/<slug:provider>/"
team = "providers/<slug:provider>/trust/"

urlpatterns = [
    # The NDA: a reader's clickwrap; the provider team's versions and acceptances.
    path(f"{public}nda/", nda.nda, name="nda"),
    path(f"{team}nda/", nda.nda_manage, name="nda_manage"),
    path(f"{team}nda/preview/", nda.nda_preview, name="nda_preview"),
    path(f"{team}nda/acceptances.csv", nda.nda_acceptances_csv, name="nda_acceptances_csv"),
    # Who read what: the provider team's analytics and their CSV.
    path(f"{team}analytics/", analytics.analytics, name="analytics"),
    path(f"{team}analytics.csv", analytics.analytics_csv, name="analytics_csv"),
]
