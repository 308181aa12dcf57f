"""What single sign-on does after allauth's steps: group membership and audit records."""

from __future__ import annotations

from allauth.account.signals import user_logged_in
from allauth.socialaccount.signals import social_account_added, social_account_removed
from django.dispatch import receiver

from accounts import sso


@receiver(user_logged_in, dispatch_uid="sso_groups_sync")
def _sso_signed_in(sender, request, user, sociallogin=None, **kwargs) -> None:
    if sociallogin is not None:
        sso.sso_groups_sync(user=user, claims=sso.sso_claims(sociallogin.account.extra_data))


@receiver(social_account_added, dispatch_uid="sso_identity_connected")
def _sso_connected(sender, request, sociallogin, **kwargs) -> None:
    account = sociallogin.account
    sso.sso_identity_connected_audit(user=account.user, provider=account.provider, uid=account.uid)


@receiver(social_account_removed, dispatch_uid="sso_identity_disconnected")
def _sso_disconnected(sender, request, socialaccount, **kwargs) -> None:
    sso.sso_identity_disconnected_audit(
        user=socialaccount.user, provider=socialaccount.provider, uid=socialaccount.uid
    )
