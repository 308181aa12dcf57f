"""Signing in and out, one's personal API tokens, and accepting an invitation."""

from __future__ import annotations

from datetime import UTC, datetime, time

from allauth.account import views as allauth_views
from allauth.socialaccount.adapter import get_adapter as get_social_adapter
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts.forms import InvitationAcceptForm, InvitationSignUpForm, TokenForm
from accounts.invitations import (
    address_owner,
    has_address,
    invitation_accept,
    invitation_for_token,
    invitation_forget,
    invitation_refusal,
    invitation_remember,
    invitation_sign_up,
)
from accounts.mfa_policy import meets_mfa_policy
from accounts.models import ApiToken, Invitation
from accounts.roles import Role
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


SIGN_IN_BACKEND = "allauth.account.auth_backends.AuthenticationBackend"
UNKNOWN_LINK = (
    "This invitation link is not valid. It may have been mistyped, or replaced by a newer "
    "email: use the link of the latest invitation you received."
)


def _sso_buttons(request: HttpRequest, invitation_url: str) -> list[dict]:
    """The single sign-on providers configured (SOCIALACCOUNT_PROVIDERS), each with the URL
    that starts a sign-in and comes back to the invitation."""
    return [
        {"name": provider.name, "url": provider.get_login_url(request, next=invitation_url)}
        for provider in get_social_adapter(request).list_providers(request)
    ]


def _accepted(request: HttpRequest, invitation: Invitation) -> HttpResponse:
    invitation_forget(request)
    messages.success(
        request,
        f"Welcome: you now hold the {invitation.get_role_display()} role on "
        f"{invitation.provider.name}.",
    )
    # Named, not imported: this app sits below the matrices app.
    return redirect(reverse("matrices:provider", args=[invitation.provider.slug]))


@require_http_methods(["GET", "HEAD", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """The link of an invitation email: a new account, or the signed-in one, takes the role.

    An unknown link answers 404 and says nothing of any invitation; a used, revoked or
    expired one answers 410 and says which. Without an account for the address, the
    visitor chooses a username and a password (or signs in through single sign-on);
    with one, they sign in first. A signed-in user accepts with one click when the
    address is theirs, after confirming when it is not yet (the link proves it is).
    """
    found = invitation_for_token(token)
    if found is None:
        return render(
            request, "accounts/invitation_gone.html", {"message": UNKNOWN_LINK}, status=404
        )
    refusal = invitation_refusal(found)
    if refusal:
        context = {"message": refusal, "invitation": found}
        return render(request, "accounts/invitation_gone.html", context, status=410)
    invitation_remember(request, found)  # for a single sign-on that follows
    owner = address_owner(found.email)
    user = request.user
    context = {
        "invitation": found,
        "role": Role(found.role),
        "owner_exists": owner is not None,
        "sso": _sso_buttons(request, request.path),
    }
    if user.is_authenticated:
        return _accept_signed_in(request, found, owner, context)
    if owner is not None:  # its owner signs in, then comes back here to accept
        context["login_url"] = redirect_to_login(request.path)["Location"]
        return render(request, "accounts/invitation.html", {**context, "mode": "sign-in"})
    form = InvitationSignUpForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            new_user = invitation_sign_up(
                invitation=found,
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            login(request, new_user, backend=SIGN_IN_BACKEND)
            return _accepted(request, found)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "accounts/invitation.html",
        {**context, "mode": "sign-up", "form": form},
        status=status,
    )


def _accept_signed_in(request: HttpRequest, found: Invitation, owner, context: dict):
    user = request.user
    if owner is not None and owner.pk != user.pk:
        context["login_url"] = redirect_to_login(request.path)["Location"]
        return render(
            request, "accounts/invitation.html", {**context, "mode": "other-account"}, status=403
        )
    needs_confirm = not has_address(user, found.email)
    form = InvitationAcceptForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        if needs_confirm and not form.cleaned_data["confirm"]:
            form.add_error("confirm", f"Confirm that {found.email} is yours to accept.")
        else:
            try:
                invitation_accept(invitation=found, user=user)
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, exc)
            else:
                return _accepted(request, found)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "accounts/invitation.html",
        {**context, "mode": "accept", "form": form, "needs_confirm": needs_confirm},
        status=status,
    )
