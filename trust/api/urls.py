"""``/api/v1/``: the trust center's endpoints, beside the matrices app's."""

from django.urls import path

from trust.api import webhooks

app_name = "trust-api"

provider = "providers/<slug:provider_slug>/trust/"

urlpatterns: list = []

urlpatterns += [
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
