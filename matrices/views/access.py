"""A provider's Access page (its admins): who holds which role, who is invited, and who
may see it."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts.forms import InvitationForm, InvitationRevokeForm, RoleChangeForm, VisibilityForm
from accounts.invitations import (
    invitation_create,
    invitation_resend,
    invitation_revoke,
    invitations_open,
)
from accounts.models import Invitation
from accounts.roles import Action, Role
from accounts.selectors import principal_roles, role_grants
from accounts.services import role_set
from matrices.models import Provider
from matrices.services import StaleVersion, provider_set_visibility
from matrices.views.errors import REFUSALS, invalid_status, refusal_message, refusal_status
from matrices.views.provider_page import provider_page, provider_required


def _access_page(
    request: HttpRequest,
    provider: Provider,
    form: RoleChangeForm,
    *,
    confirming: bool = False,
    status: int = 200,
    refusal: str = "",
    visibility_form: VisibilityForm | None = None,
    invite_form: InvitationForm | None = None,
    revoking: Invitation | None = None,
    revoke_form: InvitationRevokeForm | None = None,
) -> HttpResponse:
    context = provider_page(
        request,
        provider,
        "access",
        form=form,
        confirming=confirming,
        grants=role_grants(provider),
        roles=list(Role),
        current_roles=principal_roles(provider, form.cleaned_data["principal_obj"])
        if confirming
        else set(),
        visibility_form=visibility_form
        or VisibilityForm(initial={"visibility": provider.visibility, "version": provider.version}),
        refusal=refusal,
        invite_form=invite_form or InvitationForm(),
        invitations=invitations_open(provider),
        revoking=revoking,
        revoke_form=revoke_form,
        invitation_days=settings.INVITATION_DAYS,
    )
    return render(request, "accounts/access.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
@provider_required(Action.MANAGE_ACCESS)
def access(request: HttpRequest, provider: Provider) -> HttpResponse:
    """Who holds which role; grant, change and revoke with a reason and a confirmation."""
    form = RoleChangeForm(request.POST or None, initial=request.GET or None)
    if request.method != "POST":
        return _access_page(request, provider, form)
    if not form.is_valid():
        return _access_page(request, provider, form, status=invalid_status(request))
    principal, role = form.cleaned_data["principal_obj"], form.role_obj
    if principal_roles(provider, principal) == ({role} if role else set()):
        form.add_error("role", "That is already their role: nothing to change.")
        return _access_page(request, provider, form, status=invalid_status(request))
    if not form.cleaned_data["confirmed"]:
        return _access_page(request, provider, form, confirming=True)
    try:
        role_set(
            actor=request.user,
            provider=provider,
            principal=principal,
            role=role,
            reason=form.cleaned_data["reason"],
        )
    except REFUSALS as exc:
        form.add_error(None, exc)
        return _access_page(request, provider, form, status=refusal_status(request, exc))
    name = form.cleaned_data["principal"]
    messages.success(
        request,
        f"{name} now holds the {role.label} role."
        if role
        else f"{name} no longer holds a role on {provider.name}.",
    )
    return redirect(reverse("matrices:access", args=[provider.slug]))


@require_POST
@provider_required(Action.MANAGE_ACCESS)
def visibility(request: HttpRequest, provider: Provider) -> HttpResponse:
    """Public, signed-in users only, or private: a provider admin's decision, audited."""
    form = VisibilityForm(request.POST)
    role_form = RoleChangeForm()
    if not form.is_valid():
        return _access_page(
            request,
            provider,
            role_form,
            status=invalid_status(request),
            refusal="Not saved: pick one of the visibility options.",
            visibility_form=form,
        )
    try:
        provider_set_visibility(
            actor=request.user,
            provider=provider,
            visibility=form.cleaned_data["visibility"],
            expected_version=form.cleaned_data["version"],
            reason=form.cleaned_data["reason"],
        )
    except StaleVersion as exc:
        provider.refresh_from_db()
        return _access_page(
            request,
            provider,
            role_form,
            status=refusal_status(request, exc),
            refusal="Someone else changed this provider meanwhile; nothing changed. "
            "Here is the current visibility: check it and try again.",
        )
    except REFUSALS as exc:
        return _access_page(
            request,
            provider,
            role_form,
            status=refusal_status(request, exc),
            refusal=f"Not saved: {refusal_message(exc)}",
            visibility_form=form,
        )
    messages.success(request, "Visibility saved.")
    return redirect(reverse("matrices:access", args=[provider.slug]))


def _back_to_invitations(provider: Provider) -> HttpResponse:
    return redirect(reverse("matrices:access", args=[provider.slug]) + "#invitations")


@require_POST
@provider_required(Action.MANAGE_ACCESS)
def invite(request: HttpRequest, provider: Provider) -> HttpResponse:
    """Invite an email address to a role: the invitee gets a single-use link by email."""
    form = InvitationForm(request.POST)
    page = {"invite_form": form}
    if not form.is_valid():
        return _access_page(
            request, provider, RoleChangeForm(), status=invalid_status(request), **page
        )
    try:
        invitation = invitation_create(
            actor=request.user,
            provider=provider,
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            base_url=request.build_absolute_uri("/"),
            reason=form.cleaned_data["reason"],
        )
    except REFUSALS as exc:
        form.add_error(None, exc)
        status = refusal_status(request, exc)
        return _access_page(request, provider, RoleChangeForm(), status=status, **page)
    messages.success(
        request,
        f"Invitation sent to {invitation.email} ({invitation.get_role_display()}); "
        f"its link works until {invitation.expires_at:%d %b %Y}.",
    )
    return _back_to_invitations(provider)


@require_POST
@provider_required(Action.MANAGE_ACCESS)
def invitation_resend_view(request: HttpRequest, provider: Provider, pk: int) -> HttpResponse:
    """A new link by email, valid for as long again; the previous link stops working."""
    invitation = get_object_or_404(invitations_open(provider), pk=pk)
    try:
        invitation_resend(
            actor=request.user,
            invitation=invitation,
            base_url=request.build_absolute_uri("/"),
            reason=request.POST.get("reason", "")[:500],
        )
    except REFUSALS as exc:
        return _access_page(
            request,
            provider,
            RoleChangeForm(),
            status=refusal_status(request, exc),
            refusal=f"Not resent: {refusal_message(exc)}",
        )
    messages.success(request, f"A new link was sent to {invitation.email}; the old one is dead.")
    return _back_to_invitations(provider)


@require_POST
@provider_required(Action.MANAGE_ACCESS)
def invitation_revoke_view(request: HttpRequest, provider: Provider, pk: int) -> HttpResponse:
    """Withdraw a pending invitation, with a reason, after a confirmation."""
    invitation = get_object_or_404(invitations_open(provider), pk=pk)
    if not request.POST.get("confirmed"):  # the table's button: ask first
        page = {"revoking": invitation, "revoke_form": InvitationRevokeForm()}
        return _access_page(request, provider, RoleChangeForm(), **page)
    form = InvitationRevokeForm(request.POST)
    page = {"revoking": invitation, "revoke_form": form}
    if not form.is_valid():
        return _access_page(
            request, provider, RoleChangeForm(), status=invalid_status(request), **page
        )
    try:
        invitation_revoke(
            actor=request.user, invitation=invitation, reason=form.cleaned_data["reason"]
        )
    except REFUSALS as exc:
        form.add_error(None, exc)
        return _access_page(
            request, provider, RoleChangeForm(), status=refusal_status(request, exc), **page
        )
    messages.success(request, f"The invitation to {invitation.email} was revoked.")
    return _back_to_invitations(provider)
