"""The trust center's pages: the public ones under ``/trust/``, the provider team's under
``/providers/<slug>/trust/``."""

from django.urls import path

from trust.views import public as trust_public
from trust.views import team as trust_team

app_name = "trust"

public = "trust/<slug:provider>/"
team = "providers/<slug:provider>/trust/"

urlpatterns: list = []

# Access requests: the trust-center page, the request form, the confirmation link; the
# team's settings, queue and readers.
urlpatterns += [
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
]
