"""``/api/v1/``: the trust center's endpoints, beside the matrices app's."""

from django.urls import path

app_name = "trust-api"

provider = "providers/<slug:provider_slug>/trust/"

urlpatterns: list = []

# The NDA: versions (admins publish, trust managers read), acceptances, a reader's acceptance.
from trust.api.nda import NdaAccept, NdaAcceptanceList, NdaList  # noqa: E402

urlpatterns += [
    path(f"{provider}nda/", NdaList.as_view(), name="nda"),
    path(f"{provider}nda/acceptances/", NdaAcceptanceList.as_view(), name="nda-acceptances"),
    path(f"{provider}nda/accept/", NdaAccept.as_view(), name="nda-accept"),
]
