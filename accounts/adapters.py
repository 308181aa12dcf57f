"""How django-allauth fits the portal: who may open an account, and how mail goes out."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.http import HttpRequest

from accounts.user_log import audited_by_caller


class AccountAdapter(DefaultAccountAdapter):
    """Nobody signs up on their own: accounts come from an invitation or a superuser."""

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return False

    def set_password(self, user, password: str) -> None:
        # allauth's password change, set and reset flows: each sends its signal next, which
        # accounts.allauth_log records by name, so the safety net stays quiet here.
        with audited_by_caller(user):
            super().set_password(user, password)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """Single sign-on makes an account only where SSO_SIGNUP allows it."""

    def is_open_for_signup(self, request: HttpRequest, sociallogin) -> bool:
        return settings.SSO_SIGNUP == "open"
