"""The trust center's pages: the public ones under ``/trust/``, the provider team's under
``/providers/<slug>/trust/``."""

from django.urls import path
from django.views.decorators.http import require_safe

from trust.views import analytics, feed, nda, subscriptions, webhooks
from trust.views import public as trust_public
from trust.views import team as trust_team

app_name = "trust"

public = "trust/<slug:provider>/"
team = "providers/<slug:provider>/trust/"

urlpatterns = [
    # Access requests: the trust-center page, the request form, the confirmation link; the
    # team's settings, queue and readers.
    path("trust/", trust_public.index, name="index"),
    path("trust/confirm/<str:token>/", trust_public.confirm, name="confirm"),
    path(public, trust_public.page, name="page"),
    path(f"{public}request/", trust_public.request_access, name="request"),
    path(f"{public}request/sent/", trust_public.request_sent, name="request_sent"),
    path(team, trust_team.team, name="team"),
    path(f"{team}requests/", trust_team.queue, name="requests"),
    path(f"{team}requests/<int:pk>/approve/", trust_team.approve, name="request_approve"),
    path(f"{team}requests/<int:pk>/deny/", trust_team.deny, name="request_deny"),
    path(f"{team}readers/", trust_team.readers, name="readers"),
    path(f"{team}readers/<int:pk>/extend/", trust_team.extend, name="reader_extend"),
    path(f"{team}readers/<int:pk>/revoke/", trust_team.revoke, name="reader_revoke"),
    # The NDA: a reader's clickwrap; the provider team's versions and acceptances.
    path(f"{public}nda/", nda.nda, name="nda"),
    path(f"{team}nda/", nda.nda_manage, name="nda_manage"),
    path(f"{team}nda/preview/", nda.nda_preview, name="nda_preview"),
    path(f"{team}nda/acceptances.csv", nda.nda_acceptances_csv, name="nda_acceptances_csv"),
    # Who read what: the provider team's analytics and their CSV.
    path(f"{team}analytics/", analytics.analytics, name="analytics"),
    path(f"{team}analytics.csv", analytics.analytics_csv, name="analytics_csv"),
    # Subscriptions to new versions, and the Atom feed.
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
    # Webhooks (provider admins): endpoints, their secrets, the delivery log.
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
