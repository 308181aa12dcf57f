"""How django-allauth fits the portal: who may open an account, and how mail goes out."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.http import HttpRequest

from accounts.invitations import invitation_for_sso


class AccountAdapter(DefaultAccountAdapter):
    """Nobody signs up on their own: accounts come from an invitation or a superuser."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Single sign-on makes an account only where SSO_SIGNUP allows it: for anyone the
    identity provider lets in ("open"), or ("invited") for the address of the invitation
    opened in this session, when the identity provider says that address is verified."""

    def is_open_for_signup(self, request: HttpRequest, sociallogin) -> bool:
        if settings.SSO_SIGNUP == "open":
            return True
        return invitation_for_sso(request, sociallogin) is not None
