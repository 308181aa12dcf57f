"""Personal API tokens: creation (shown once), revocation, and DRF authentication.

A token acts as its user within its limits: its scope (a read-only token is
refused every unsafe method) and its providers (``accounts.access`` hides the
others). A token whose user does not meet the second-factor policy writes nothing.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from accounts.access import TokenLimits, act_through_token, can, request_writes
from accounts.mfa_policy import API_REFUSAL, meets_mfa_policy
from accounts.models import ApiToken, TokenScope
from accounts.roles import Action, GuardedProvider
from accounts.throttling import FailedTokenRate
from audit.models import AuditAction, ObjectType
from audit.services import audit_append

LAST_USED_PRECISION = timedelta(minutes=1)
TOKEN_START = "srm_"  # noqa: S105 - the public prefix of every token, not a secret


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


# Why a token is refused a write (the API's error code, then its message).
READ_ONLY = (
    "read_only_token",
    "This token is read only; create a read-and-write token on /accounts/tokens/ to write.",
)
NO_FACTOR = (
    "Your role lets you change matrices, so your API tokens need a second factor too: "
    "set one up first."
)


def _limits_snapshot(token: ApiToken) -> dict:
    """Its scope and providers, as the audit log keeps them."""
    return {"scope": token.scope, "providers": sorted(p.slug for p in token.providers.all())}


@transaction.atomic
def token_create(
    *,
    user,
    name: str,
    expires_at: datetime | None = None,
    scope: TokenScope = TokenScope.READ,
    providers: Iterable[GuardedProvider] = (),
) -> tuple[ApiToken, str]:
    """A new token for ``user``; returns it with the full secret, which is never stored.

    Read only unless ``scope`` says otherwise; limited to ``providers`` when some are
    given (each one the user may see). Refused (PermissionDenied) to users who do not
    meet the second-factor policy.
    """
    if not meets_mfa_policy(user):
        raise PermissionDenied(NO_FACTOR)
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Name the token after what will use it."})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": "The expiry must be in the future."})
    if scope not in TokenScope.values:
        raise ValidationError({"scope": f"Choose one of {', '.join(TokenScope.values)}."})
    providers = list(providers)
    unseen = [p.name for p in providers if not can(user, p, Action.VIEW)]
    if unseen:
        raise ValidationError({"providers": f"You cannot see {', '.join(unseen)}."})
    prefix = secrets.token_hex(4)
    secret = f"{TOKEN_START}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=prefix,
        digest=_digest(secret),
        expires_at=expires_at,
        scope=scope,
    )
    token.providers.set(providers)
    audit_append(
        action=AuditAction.CREATE,
        object_type=ObjectType.API_TOKEN,
        object_id=token.pk,
        object_label=str(token),
        actor=user,
        after={
            "name": name,
            "prefix": prefix,
            "expires_at": expires_at.isoformat() if expires_at else None,
            **_limits_snapshot(token),
        },
    )
    return token, secret


@transaction.atomic
def token_revoke(*, user, token: ApiToken, actor=None, reason: str = "") -> ApiToken:
    """Revoke ``user``'s ``token``: by the user, or by ``actor`` (a site administrator
    deactivating them), whom the audit record then names, with the ``reason``."""
    if token.user_id != user.pk:
        raise ValidationError("Not your token.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_append(
            action=AuditAction.DELETE,
            object_type=ObjectType.API_TOKEN,
            object_id=token.pk,
            object_label=str(token),
            actor=actor or user,
            before={"prefix": token.prefix, **_limits_snapshot(token)},
            reason=reason,
        )
    return token


class TokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Bearer srm_…``: the token's user, unless revoked, expired or inactive."""

    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header.startswith(f"{self.keyword} {TOKEN_START}"):
            return None
        failures = FailedTokenRate()
        wait = failures.blocked_for(request)
        if wait is not None:
            raise exceptions.Throttled(
                wait, "Too many failed token authentications from this address."
            )
        secret = header[len(self.keyword) + 1 :].strip()
        token = ApiToken.objects.select_related("user").filter(digest=_digest(secret)).first()
        if token is None or not token.is_active or not token.user.is_active:
            failures.record(request)
            raise exceptions.AuthenticationFailed("Invalid, expired or revoked token.")
        now = timezone.now()
        # Said to the minute: a busy client does not write its token's row on every call.
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        view = (getattr(request, "parser_context", None) or {}).get("view")
        if request_writes(request.method, type(view) if view is not None else None):
            # Here, not in a permission class: every view authenticates, whatever its
            # permissions (the PDFs allow anyone).
            for refused, (code, message) in (
                (token.read_only, READ_ONLY),
                (not meets_mfa_policy(token.user), API_REFUSAL),
            ):
                if refused:
                    raise exceptions.PermissionDenied(message, code=code)
        provider_ids = frozenset(token.providers.values_list("pk", flat=True))
        act_through_token(
            token.user, TokenLimits(token.read_only, provider_ids=provider_ids or None)
        )
        return token.user, token

    def authenticate_header(self, request) -> str:
        return self.keyword


class TokenScheme(OpenApiAuthenticationExtension):
    """Documents the bearer tokens in the OpenAPI schema."""

    target_class = "accounts.tokens.TokenAuthentication"
    name = "personalToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token (srm_…), created on /accounts/tokens/.",
        }
