"""What follows a sign-up or sign-in through allauth: the account made by single sign-on
is audited, and an invitation opened in the same session is accepted when the account
has the invited address, verified (the identity provider's word, or an earlier check)."""

from __future__ import annotations

from allauth.account.signals import user_logged_in, user_signed_up
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.dispatch import receiver

from accounts.invitations import (
    has_address,
    invitation_accept,
    invitation_forget,
    invitation_from_session,
)
from audit.models import AuditAction, ObjectType
from audit.services import audit_append


def _accept_opened_invitation(request, user) -> None:
    invitation = invitation_from_session(request) if request is not None else None
    if invitation is None or not has_address(user, invitation.email, verified=True):
        return
    try:
        invitation_accept(invitation=invitation, user=user)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(
            request,
            f"You now hold the {invitation.get_role_display()} role on {invitation.provider.name}.",
        )
    invitation_forget(request)


@receiver(user_signed_up, dispatch_uid="accounts_sso_sign_up")
def _signed_up(sender, request, user, sociallogin=None, **kwargs) -> None:
    if sociallogin is not None:
        with transaction.atomic():
            audit_append(
                action=AuditAction.CREATE,
                object_type=ObjectType.USER,
                object_id=user.pk,
                object_label=user.get_username(),
                after={
                    "username": user.get_username(),
                    "email": user.email,
                    "via": "single sign-on",
                },
                actor=user,
            )
    _accept_opened_invitation(request, user)


@receiver(user_logged_in, dispatch_uid="accounts_accept_on_sign_in")
def _signed_in(sender, request, user, **kwargs) -> None:
    _accept_opened_invitation(request, user)
