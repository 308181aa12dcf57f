"""Single sign-on through an OpenID Connect identity provider: what its claims mean here.

The identity provider vouches for a person (``sub``, ``email``, ``email_verified``,
``preferred_username`` and, optionally, a list of groups). The rules, one place each:

- linking: a first sign-in joins an existing account only through a verified address on
  both sides (``sso_linkable_user``);
- naming: a new account's username (``sso_username``);
- groups: the mapped portal groups follow the groups claim (``sso_groups_sync``);
- the audit records of what SSO does to accounts.
"""

from __future__ import annotations

import logging
import re

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction

from accounts.access import forget_roles
from accounts.user_log import audited_by_caller
from audit.models import AuditAction, ObjectType
from audit.services import audit_append

log = logging.getLogger(__name__)

# Django's username validator allows letters, digits and @.+-_ (150 characters at most).
_NOT_IN_USERNAME = re.compile(r"[^\w.@+-]")


def sso_claims(extra_data: dict) -> dict:
    """The identity provider's claims about the person, from what allauth keeps of a
    sign-in (the ID token's, overridden by the userinfo endpoint's, which is fresher)."""
    if "userinfo" in extra_data or "id_token" in extra_data:
        return {**(extra_data.get("id_token") or {}), **(extra_data.get("userinfo") or {})}
    return dict(extra_data)  # allauth before 65.11 kept the claims flat


def sso_email_verified(claims: dict) -> bool:
    """True only when the provider says the address is verified (a bool or "true")."""
    verified = claims.get("email_verified")
    return verified is True or str(verified).lower() == "true"


def sso_linkable_user(email: str):
    """The active account whose *verified* address is ``email``, or None.

    A first SSO sign-in is joined to an existing account only through such an address
    (and only when the provider verified it too): an unverified address on either side
    could belong to someone else.
    """
    if not email:
        return None
    address = (
        EmailAddress.objects.filter(email__iexact=email, verified=True, user__is_active=True)
        .select_related("user")
        .first()
    )
    return address.user if address else None


def sso_email_taken(email: str) -> bool:
    """True when an account already uses ``email`` (verified or not)."""
    if not email:
        return False
    User = get_user_model()
    return (
        EmailAddress.objects.filter(email__iexact=email).exists()
        or User.objects.filter(email__iexact=email).exists()
    )


def sso_username(claims: dict) -> str:
    """A free username for a new account: ``preferred_username``, else the email's local
    part, else "user"; made valid and unique with a number ("alice", "alice2", ...)."""
    User = get_user_model()
    wanted = claims.get("preferred_username") or (claims.get("email") or "").partition("@")[0]
    base = _NOT_IN_USERNAME.sub("", str(wanted or "")).lower()[:140] or "user"
    taken = set(
        User.objects.filter(username__iregex=rf"^{re.escape(base)}[0-9]*$").values_list(
            "username", flat=True
        )
    )
    taken = {name.lower() for name in taken}
    if base not in taken:
        return base
    number = 2
    while f"{base}{number}" in taken:
        number += 1
    return f"{base}{number}"


def _identities(user) -> list[str]:
    return sorted(f"{account.provider}:{account.uid}" for account in user.socialaccount_set.all())


def sso_signup_audit(*, user, provider: str, claims: dict) -> None:
    """Record an account made by a first SSO sign-in (in the transaction that made it)."""
    audit_append(
        action=AuditAction.CREATE,
        object_type=ObjectType.USER,
        object_id=user.pk,
        object_label=user.get_username(),
        after={
            "username": user.get_username(),
            "email": user.email,
            "email_verified": sso_email_verified(claims),
            "sso": provider,
            "sso_identities": _identities(user),
        },
        reason=f"Signed up through single sign-on ({provider}).",
        actor=user,
    )


@transaction.atomic
def sso_identity_audit(*, user, provider: str, uid: str, connected: bool) -> None:
    """Record an identity-provider account joined to ``user`` (by a verified address at the
    first sign-in, or from the SSO connections page) or taken off it, with the identities
    before and after."""
    after = _identities(user)
    changed = f"{provider}:{uid}"
    before = (
        [identity for identity in after if identity != changed]
        if connected
        else sorted([*after, changed])
    )
    audit_append(
        action=AuditAction.UPDATE,
        object_type=ObjectType.USER,
        object_id=user.pk,
        object_label=user.get_username(),
        before={"sso_identities": before},
        after={"sso_identities": after},
        reason=f"{'Connected' if connected else 'Disconnected'} a single sign-on account "
        f"({provider}).",
    )


def sso_mapped_groups(claims: dict) -> tuple[set[str], set[str]]:
    """(every portal group OIDC_GROUP_MAP names, those the claim puts the person in)."""
    mapping: dict[str, list[str]] = settings.OIDC_GROUP_MAP
    claim = claims.get(settings.OIDC_GROUPS_CLAIM) if settings.OIDC_GROUPS_CLAIM else None
    if isinstance(claim, str):
        held = {claim}
    elif isinstance(claim, list | tuple):
        held = {str(name) for name in claim}
    else:
        held = set()
    mapped = {portal for portals in mapping.values() for portal in portals}
    wanted = {portal for idp, portals in mapping.items() if idp in held for portal in portals}
    return mapped, wanted


@transaction.atomic
def sso_groups_sync(*, user, claims: dict) -> None:
    """Make ``user``'s membership of the mapped portal groups match the groups claim.

    Only the groups OIDC_GROUP_MAP names are added or removed; a mapped group that does
    not exist in the portal is skipped (and logged): groups are made, and given roles, on
    the admin and Access pages. The change is audited with the mapped groups before and after.
    """
    mapped, wanted = sso_mapped_groups(claims)
    if not mapped:
        return
    existing = {group.name: group for group in Group.objects.filter(name__in=mapped)}
    for name in sorted(mapped - existing.keys()):
        log.warning("OIDC_GROUP_MAP names the portal group %r, which does not exist.", name)
    held = set(user.groups.filter(name__in=mapped).values_list("name", flat=True))
    target = wanted & existing.keys()
    if held == target:
        return
    with audited_by_caller(user):  # one record below for both the additions and removals
        user.groups.add(*(existing[name] for name in target - held))
        user.groups.remove(*(existing[name] for name in held - target))
    forget_roles(user)
    audit_append(
        action=AuditAction.UPDATE,
        object_type=ObjectType.USER,
        object_id=user.pk,
        object_label=user.get_username(),
        before={"groups": sorted(held)},
        after={"groups": sorted(target)},
        reason=(
            f"Groups from the identity provider's {settings.OIDC_GROUPS_CLAIM!r} claim "
            "(OIDC_GROUP_MAP)."
        ),
        actor=user,
    )
