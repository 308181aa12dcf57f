"""Signing in and out, and one's personal API tokens."""

from __future__ import annotations

from datetime import UTC, datetime, time

from allauth.account import views as allauth_views
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts.forms import TokenForm
from accounts.mfa_policy import meets_mfa_policy
from accounts.models import ApiToken
from accounts.tokens import token_create, token_revoke


class SignInView(allauth_views.LoginView):
    """allauth's sign-in (a username or an email address, then a second factor if set up)."""


class SignOutView(allauth_views.LogoutView):
    pass


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The user's personal API tokens: create (the secret is shown once) and revoke.

    Those the second-factor policy stops may revoke their tokens, not create one.
    """
    user = request.user
    creating = request.POST.get("do") == "create"
    form = TokenForm(request.POST if creating else None, user=user)
    secret = None
    status = 200
    if request.method == "POST" and request.POST.get("do") == "revoke":
        token = get_object_or_404(ApiToken, pk=request.POST.get("token") or 0, user=request.user)
        token_revoke(user=request.user, token=token)
        messages.success(request, f"Revoked {token}.")
        return redirect(reverse("accounts:api_tokens"))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        expires = data["expires_at"]
        expires_at = datetime.combine(expires, time.min, tzinfo=UTC) if expires else None
        try:
            _, secret = token_create(
                user=user,
                name=data["name"],
                expires_at=expires_at,
                scope=data["scope"],
                providers=data["providers"],
            )
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
            status = 403
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            form = TokenForm(user=user)
    if status == 200 and request.method == "POST" and form.errors:
        status = 400
    return render(
        request,
        "accounts/api_tokens.html",
        {
            "form": form,
            "secret": secret,
            "tokens": user.api_tokens.prefetch_related("providers"),
            "may_create": meets_mfa_policy(user),
        },
        status=status,
    )
