"""``/api/v1/``: the trust center's endpoints, beside the matrices app's."""

from django.urls import path

from trust.api import requests as trust_requests
from trust.api import webhooks
from trust.api.analytics import AnalyticsView, ReadEventList
from trust.api.nda import NdaAccept, NdaAcceptanceList, NdaList
from trust.api.subscriptions import SubscriberList, SubscriptionRequest

app_name = "trust-api"

provider = "providers/<slug:provider_slug>/trust/"

urlpatterns = [
    # Access requests: settings, the queue and its decisions, readers' grants; the public page.
    path(provider, trust_requests.TrustSettings.as_view(), name="settings"),
    path(f"{provider}requests/", trust_requests.AccessRequestList.as_view(), name="requests"),
    path(
        f"{provider}requests/<int:pk>/approve/",
        trust_requests.AccessRequestApprove.as_view(),
        name="request-approve",
    ),
    path(
        f"{provider}requests/<int:pk>/deny/",
        trust_requests.AccessRequestDeny.as_view(),
        name="request-deny",
    ),
    path(f"{provider}grants/", trust_requests.GrantList.as_view(), name="grants"),
    path(f"{provider}grants/<int:pk>/", trust_requests.GrantDetail.as_view(), name="grant-detail"),
    path(
        f"{provider}grants/<int:pk>/revoke/",
        trust_requests.GrantRevoke.as_view(),
        name="grant-revoke",
    ),
    path("trust/<slug:slug>/", trust_requests.TrustPublic.as_view(), name="page"),
    # The NDA: versions (admins publish, trust managers read), acceptances, a reader's acceptance.
    path(f"{provider}nda/", NdaList.as_view(), name="nda"),
    path(f"{provider}nda/acceptances/", NdaAcceptanceList.as_view(), name="nda-acceptances"),
    path(f"{provider}nda/accept/", NdaAccept.as_view(), name="nda-accept"),
    # Who read what.
    path(f"{provider}analytics/", AnalyticsView.as_view(), name="analytics"),
    path(f"{provider}events/", ReadEventList.as_view(), name="events"),
    # Subscriptions to new versions.
    path("trust/<slug:slug>/subscriptions/", SubscriptionRequest.as_view(), name="subscriptions"),
    path(f"{provider}subscribers/", SubscriberList.as_view(), name="subscribers"),
    # Webhooks (provider admins).
    path(f"{provider}webhooks/", webhooks.WebhookList.as_view(), name="webhooks"),
    path(f"{provider}webhooks/<int:pk>/", webhooks.WebhookDetail.as_view(), name="webhook-detail"),
    path(
        f"{provider}webhooks/<int:pk>/rotate-secret/",
        webhooks.WebhookRotateSecret.as_view(),
        name="webhook-rotate-secret",
    ),
    path(f"{provider}webhooks/<int:pk>/ping/", webhooks.WebhookPing.as_view(), name="webhook-ping"),
    path(
        f"{provider}webhooks/<int:pk>/deliveries/",
        webhooks.WebhookDeliveries.as_view(),
        name="webhook-deliveries",
    ),
    path(
        f"{provider}webhooks/<int:pk>/deliveries/<int:delivery_pk>/redeliver/",
        webhooks.WebhookRedeliver.as_view(),
        name="webhook-redeliver",
    ),
]
