"""Response headers that Django 5.2 does not set by itself, and the second-factor policy's
refusal of writes."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from accounts.access import request_writes
from accounts.mfa_policy import API_REFUSAL, WHY, meets_mfa_policy
from matrices.api.errors import error_json


class SecurityHeadersMiddleware:
    """Adds the Content-Security-Policy and Permissions-Policy of ``settings``.

    The pages load scripts and styles from our own origin only (htmx is
    vendored), so the policy forbids inline scripts and every third party.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.CONTENT_SECURITY_POLICY:
            response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


# Writes that stay open to someone the second-factor policy refuses: setting a factor up
# (allauth's pages, re-authentication included), signing out, revoking a token.
MFA_OPEN_VIEWS = {"accounts:logout", "accounts:api_tokens", "admin:logout"}


class MfaPolicyMiddleware:
    """Refuses writes (unsafe methods) to signed-in users who do not meet the
    second-factor policy (``accounts.mfa_policy``), on every page and in the API.

    Pages are sent to set up a factor, saying why (htmx through ``HX-Redirect``); the API
    answers 403 in its error body. Requests with an API token are judged by the token's
    authentication, which applies the same rule to the token's user.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view, args, kwargs) -> HttpResponse | None:
        view_class = getattr(view, "cls", None) or getattr(view, "view_class", None)
        if not request_writes(request.method, view_class) or self._open(request, view):
            return None
        api = request.path_info.startswith("/api/")
        if api and request.headers.get("Authorization", "").startswith("Bearer "):
            return None
        if meets_mfa_policy(request.user):
            return None
        if api:
            return error_json(403, *API_REFUSAL)
        messages.warning(request, WHY)
        setup = reverse("mfa_index")
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(setup)
        return redirect(setup)

    @staticmethod
    def _open(request: HttpRequest, view) -> bool:
        match = request.resolver_match
        if match is not None and match.view_name in MFA_OPEN_VIEWS:
            return True
        return getattr(getattr(view, "view_class", view), "__module__", "").startswith("allauth.")
