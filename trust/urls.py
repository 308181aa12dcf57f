"""The trust center's pages: the public ones under ``/trust/``, the provider team's under
``/providers/<slug>/trust/``."""

from django.urls import path
from django.views.decorators.http import require_safe

from trust.views import feed, subscriptions

app_name = "trust"

public = "trust/<slug:provider>/"
team = "providers/<slug:provider>/trust/"

urlpatterns: list = []

# Subscriptions to new versions, and the Atom feed.
urlpatterns += [
    path(f"{public}subscribe/", subscriptions.subscribe, name="subscribe"),
    path(f"{public}subscribe/sent/", subscriptions.subscribe_sent, name="subscribe_sent"),
    path(f"{public}feed.atom", require_safe(feed.versions_feed), name="feed"),
    path(
        "trust/subscriptions/<str:token>/confirm/",
        subscriptions.confirm,
        name="subscription_confirm",
    ),
    path(
        "trust/subscriptions/<str:token>/unsubscribe/",
        subscriptions.unsubscribe,
        name="unsubscribe",
    ),
    path(f"{team}subscribers/", subscriptions.subscribers, name="subscribers"),
]
