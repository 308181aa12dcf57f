"""The trust center's pages: the public ones under ``/trust/``, the provider team's under
``/providers/<slug>/trust/``."""

from django.urls import path

from trust.views import webhooks

app_name = "trust"

public = "trust/<slug:provider>/"
team = "providers/<slug:provider>/trust/"

urlpatterns: list = []

urlpatterns += [
    path(f"{team}webhooks/", webhooks.webhooks, name="webhooks"),
    path(f"{team}webhooks/<int:pk>/", webhooks.webhook, name="webhook"),
    path(f"{team}webhooks/<int:pk>/delete/", webhooks.webhook_delete_view, name="webhook_delete"),
    path(f"{team}webhooks/<int:pk>/rotate/", webhooks.webhook_rotate_view, name="webhook_rotate"),
    path(f"{team}webhooks/<int:pk>/ping/", webhooks.webhook_ping_view, name="webhook_ping"),
    path(
        f"{team}webhooks/<int:pk>/deliveries/<int:delivery>/redeliver/",
        webhooks.webhook_redeliver_view,
        name="webhook_redeliver",
    ),
]
