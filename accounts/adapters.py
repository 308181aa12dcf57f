"""How django-allauth fits the portal: who may open an account, and how mail goes out."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    """Nobody signs up on their own: accounts come from an invitation or a superuser."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Single sign-on makes an account only where SSO_SIGNUP allows it."""

    def is_open_for_signup(self, request: HttpRequest, sociallogin) -> bool:
        return settings.SSO_SIGNUP == "open"
