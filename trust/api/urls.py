"""``/api/v1/``: the trust center's endpoints, beside the matrices app's."""

from django.urls import path

from trust.api.analytics import AnalyticsView, ReadEventList
from trust.api.nda import NdaAccept, NdaAcceptanceList, NdaList

app_name = "trust-api"

provider = "providers/<slug:provider_slug>/trust/"

urlpatterns = [
    # The NDA: versions (admins publish, trust managers read), acceptances, a reader's acceptance.
    path(f"{provider}nda/", NdaList.as_view(), name="nda"),
    path(f"{provider}nda/acceptances/", NdaAcceptanceList.as_view(), name="nda-acceptances"),
    path(f"{provider}nda/accept/", NdaAccept.as_view(), name="nda-accept"),
    # Who read what.
    path(f"{provider}analytics/", AnalyticsView.as_view(), name="analytics"),
    path(f"{provider}events/", ReadEventList.as_view(), name="events"),
]
