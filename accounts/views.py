"""Sign-in pages and the provider's Access page (the RBAC editor)."""

from __future__ import annotations

from datetime import UTC, datetime, time

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from accounts.decorators import provider_required
from accounts.forms import RoleChangeForm, TokenForm, VisibilityForm
from accounts.models import ApiToken
from accounts.roles import Action, Role
from accounts.services import principal_roles, role_grants, role_set
from accounts.tokens import token_create, token_revoke
from matrices.models import Provider
from matrices.services import StaleVersion, provider_set_visibility


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class SignOutView(auth_views.LogoutView):
    pass


@require_http_methods(["GET", "POST"])
@provider_required(Action.MANAGE_ACCESS)
def access(request: HttpRequest, provider: Provider) -> HttpResponse:
    """Who holds which role; grant, change and revoke with a reason and a confirmation."""
    form = RoleChangeForm(request.POST or None, initial=request.GET or None)
    confirming = False
    if request.method == "POST" and form.is_valid():
        principal = form.cleaned_data["principal_obj"]
        role = form.role_obj
        held = principal_roles(provider, principal)
        if held == ({role} if role else set()):
            form.add_error("role", "That is already their role: nothing to change.")
        elif not form.cleaned_data["confirmed"]:
            confirming = True
        else:
            try:
                role_set(
                    actor=request.user,
                    provider=provider,
                    principal=principal,
                    role=role,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                name = form.cleaned_data["principal"]
                messages.success(
                    request,
                    f"{name} now holds the {role.label} role."
                    if role
                    else f"{name} no longer holds a role on {provider.name}.",
                )
                return redirect(reverse("accounts:access", args=[provider.slug]))
    status = 200 if request.method == "GET" or confirming or form.is_valid() else 400
    if request.method == "POST" and form.errors:
        status = 400
    context = {
        "provider": provider,
        "form": form,
        "confirming": confirming,
        "grants": role_grants(provider),
        "roles": list(Role),
        "current_roles": principal_roles(provider, form.cleaned_data["principal_obj"])
        if confirming
        else set(),
        "page": "access",
        "visibility_form": VisibilityForm(
            initial={"visibility": provider.visibility, "version": provider.version}
        ),
    }
    return render(request, "accounts/access.html", context, status=status)


@require_http_methods(["POST"])
@provider_required(Action.MANAGE_ACCESS)
def visibility(request: HttpRequest, provider: Provider) -> HttpResponse:
    """Public, signed-in users only, or private: a provider admin's decision, audited."""
    form = VisibilityForm(request.POST)
    if form.is_valid():
        try:
            provider_set_visibility(
                actor=request.user,
                provider=provider,
                visibility=form.cleaned_data["visibility"],
                expected_version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
            )
        except StaleVersion:
            messages.error(
                request,
                "Someone else changed this provider meanwhile; nothing "
                "changed. Check the current visibility and try again.",
            )
        else:
            messages.success(request, "Visibility saved.")
    else:
        messages.error(request, "Not saved: pick one of the visibility options.")
    return redirect(reverse("accounts:access", args=[provider.slug]))


@require_http_methods(["GET", "POST"])
@login_required
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The user's personal API tokens: create (the secret is shown once) and revoke."""
    form = TokenForm(request.POST or None) if request.POST.get("do") == "create" else TokenForm()
    secret = None
    if request.method == "POST" and request.POST.get("do") == "revoke":
        token = get_object_or_404(ApiToken, pk=request.POST.get("token") or 0, user=request.user)
        token_revoke(user=request.user, token=token)
        messages.success(request, f"Revoked {token}.")
        return redirect(reverse("accounts:api_tokens"))
    if request.method == "POST" and form.is_valid():
        expires = form.cleaned_data["expires_at"]
        expires_at = datetime.combine(expires, time.min, tzinfo=UTC) if expires else None
        try:
            _, secret = token_create(
                user=request.user, name=form.cleaned_data["name"], expires_at=expires_at
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            form = TokenForm()
    status = 400 if request.method == "POST" and form.errors else 200
    return render(
        request,
        "accounts/api_tokens.html",
        {
            "form": form,
            "secret": secret,
            "tokens": request.user.api_tokens.all(),
        },
        status=status,
    )
