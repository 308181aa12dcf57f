"""The one rule on second factors: who must have one before writing, and who has one.

With ``MFA_REQUIRED_FOR_WRITERS`` on (the default in production), superusers and the
holders of the editor, approver or provider-admin role on any provider must have
set up a TOTP authenticator or a passkey before they write anything (recovery codes
alone are no factor: they only stand in for a lost one). The pages, the API and
the token page all ask the functions here (``portal.middleware.MfaPolicyMiddleware``
for signed-in sessions, ``accounts.tokens.TokenAuthentication`` for tokens).
"""

from __future__ import annotations

from allauth.mfa.models import Authenticator
from django.conf import settings

from accounts.access import holds_writer_role

# What counts as a second factor: the ones a sign-in asks for.
FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)

# Said to whoever is refused a write, on every path (page, htmx, API, token page).
WHY = "Your role lets you change matrices; set up a second factor first."
# The API's refusal: the error body's code and message.
API_REFUSAL = ("mfa_required", f"{WHY} Set one up on /accounts/2fa/.")


def needs_second_factor(user) -> bool:
    """Whether the policy asks ``user`` for a second factor (whatever the setting says)."""
    if not user or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or holds_writer_role(user)


def has_second_factor(user) -> bool:
    """Whether ``user`` has set up a TOTP authenticator or a passkey."""
    return Authenticator.objects.filter(user_id=user.pk, type__in=FACTORS).exists()


def meets_mfa_policy(user) -> bool:
    """Whether ``user`` may write: the policy is off, does not concern them, or they have a
    second factor. Read afresh on each request, so a factor set up in a session signed in
    before counts at once."""
    if not settings.MFA_REQUIRED_FOR_WRITERS or not needs_second_factor(user):
        return True
    return has_second_factor(user)
