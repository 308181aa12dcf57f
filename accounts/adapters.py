"""How django-allauth fits the portal: who may open an account, and how mail goes out."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.providers.base import AuthProcess
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts import sso
from accounts.invitations import invitation_for_sso
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
    """Single sign-on makes an account only where SSO_SIGNUP allows it: for anyone the
    identity provider lets in ("open"), or ("invited") for the address of the invitation
    opened in this session, when the identity provider says that address is verified."""

    def is_open_for_signup(self, request: HttpRequest, sociallogin) -> bool:
        if settings.SSO_SIGNUP == "open":
            return True
        return invitation_for_sso(request, sociallogin) is not None

    # --- Single sign-on: linking, naming and auditing (accounts.sso holds the rules) ---

    def authenticate_by_email(self, sociallogin):
        """Join a first SSO sign-in to an existing account only when the provider verified
        the address and it is that account's verified address (allauth alone would also
        take an unverified one)."""
        for address in sociallogin.email_addresses:
            if address.verified and self.can_authenticate_by_email(sociallogin, address.email):
                user = sso.sso_linkable_user(address.email)
                if user is not None:
                    return user, address.email
        return None

    def pre_social_login(self, request: HttpRequest, sociallogin) -> None:
        """Refuse a first sign-in that would need an account it may not have, with a page
        that says why: its address is an account's already but may not be linked to it
        (never a second account for one address), or the portal makes no account for it."""
        if sociallogin.is_existing or sociallogin.state.get("process") == AuthProcess.CONNECT:
            return
        emails = [address.email for address in sociallogin.email_addresses]
        if any(sso.sso_email_taken(email) for email in emails):
            raise ImmediateHttpResponse(_sso_refused(request, sociallogin, "not-linked"))
        if not self.is_open_for_signup(request, sociallogin):
            raise ImmediateHttpResponse(_sso_refused(request, sociallogin, "no-account"))

    def populate_user(self, request: HttpRequest, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        user.username = sso.sso_username(sso.sso_claims(sociallogin.account.extra_data))
        return user

    def save_user(self, request: HttpRequest, sociallogin, form=None):
        # One record for the new account (below), not another from the safety net.
        with transaction.atomic(), audited_by_caller(sociallogin.user):
            user = super().save_user(request, sociallogin, form)
            sso.sso_signup_audit(
                user=user,
                provider=sociallogin.account.provider,
                claims=sso.sso_claims(sociallogin.account.extra_data),
            )
        return user


def _sso_refused(request: HttpRequest, sociallogin, reason: str) -> HttpResponse:
    email = next((address.email for address in sociallogin.email_addresses), "")
    context = {"reason": reason, "provider_name": sociallogin.provider.name, "email": email}
    return render(request, "socialaccount/sso_refused.html", context, status=403)
