"""The trust center's pages: the public ones under ``/trust/``, the provider team's under
``/providers/<slug>/trust/``."""

from django.urls import path

app_name = "trust"

public = "trust/<slug:provider>/"
team = "providers/<slug:provider>/trust/"

urlpatterns: list = []

# The NDA: a reader's clickwrap; the provider team's versions and acceptances.
from trust.views import nda  # noqa: E402

urlpatterns += [
    path(f"{public}nda/", nda.nda, name="nda"),
    path(f"{team}nda/", nda.nda_manage, name="nda_manage"),
    path(f"{team}nda/preview/", nda.nda_preview, name="nda_preview"),
    path(f"{team}nda/acceptances.csv", nda.nda_acceptances_csv, name="nda_acceptances_csv"),
]
