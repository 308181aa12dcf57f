"""What follows allauth's sign-up and sign-in steps: single sign-on's group membership and
audit records, and the acceptance of an invitation opened in the same session when the
account has the invited address, verified (the identity provider's word, or an earlier
check). Accounts made by single sign-on are audited where they are made
(SocialAccountAdapter.save_user)."""

from __future__ import annotations

from allauth.account.signals import user_logged_in, user_signed_up
from allauth.socialaccount.signals import social_account_added, social_account_removed
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.dispatch import receiver

from accounts import sso
from accounts.invitations import (
    has_address,
    invitation_accept,
    invitation_forget,
    invitation_from_session,
)


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


@receiver(user_signed_up, dispatch_uid="accounts_accept_on_sign_up")
def _signed_up(sender, request, user, **kwargs) -> None:
    _accept_opened_invitation(request, user)


@receiver(user_logged_in, dispatch_uid="accounts_signed_in")
def _signed_in(sender, request, user, sociallogin=None, **kwargs) -> None:
    if sociallogin is not None:
        sso.sso_groups_sync(user=user, claims=sso.sso_claims(sociallogin.account.extra_data))
    _accept_opened_invitation(request, user)


@receiver(social_account_added, dispatch_uid="sso_identity_connected")
def _sso_connected(sender, request, sociallogin, **kwargs) -> None:
    account = sociallogin.account
    sso.sso_identity_audit(
        user=account.user, provider=account.provider, uid=account.uid, connected=True
    )


@receiver(social_account_removed, dispatch_uid="sso_identity_disconnected")
def _sso_disconnected(sender, request, socialaccount, **kwargs) -> None:
    sso.sso_identity_audit(
        user=socialaccount.user,
        provider=socialaccount.provider,
        uid=socialaccount.uid,
        connected=False,
    )
