"""``/api/v1/``: the trust center's endpoints, beside the matrices app's."""

from django.urls import path

from trust.api.analytics import AnalyticsView, ReadEventList

app_name = "trust-api"

provider = "providers/<slug:provider_slug>/trust/"

urlpatterns: list = []

urlpatterns += [
    path(f"{provider}analytics/", AnalyticsView.as_view(), name="analytics"),
    path(f"{provider}events/", ReadEventList.as_view(), name="events"),
]
