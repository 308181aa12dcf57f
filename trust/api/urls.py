"""``/api/v1/``: the trust center's endpoints, beside the matrices app's."""

from django.urls import path

from trust.api.subscriptions import SubscriberList, SubscriptionRequest

app_name = "trust-api"

provider = "providers/<slug:provider_slug>/trust/"

urlpatterns: list = []

# Subscriptions to new versions.
urlpatterns += [
    path("trust/<slug:slug>/subscriptions/", SubscriptionRequest.as_view(), name="subscriptions"),
    path(f"{provider}subscribers/", SubscriberList.as_view(), name="subscribers"),
]
