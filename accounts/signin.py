"""Signing in: who django-axes counts failures against, with allauth's sign-in form."""

from __future__ import annotations

from django.http import HttpRequest


def axes_username(request: HttpRequest | None, credentials: dict | None) -> str | None:
    """The identifier a sign-in attempt named: a username or an email address.

    allauth authenticates with ``username=`` or ``email=``; its form field is
    ``login``. django-axes locks that identifier from one IP after repeated failures.
    """
    credentials = credentials or {}
    for key in ("username", "email", "login"):
        if credentials.get(key):
            return str(credentials[key]).strip().lower()
    if request is not None and request.method == "POST":
        return (request.POST.get("login") or request.POST.get("username") or "").strip().lower()
    return None
