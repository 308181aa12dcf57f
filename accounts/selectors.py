"""Reads of who holds which role on a provider, for the Access page, the API and the rules."""

from __future__ import annotations

from django.contrib.auth.models import Group

from accounts.models import ProviderGroupRole, ProviderUserRole
from accounts.roles import ROLE_BY_CODENAME, GuardedProvider, Role


def principal_roles(provider: GuardedProvider, principal) -> set[Role]:
    """Roles held directly by this user, or by this group (not through a user's groups)."""
    if isinstance(principal, Group):
        rows = ProviderGroupRole.objects.filter(content_object=provider, group=principal)
    else:
        rows = ProviderUserRole.objects.filter(content_object=provider, user=principal)
    codenames = rows.values_list("permission__codename", flat=True)
    return {ROLE_BY_CODENAME[c] for c in codenames if c in ROLE_BY_CODENAME}


def admin_holders(provider: GuardedProvider) -> int:
    """Users and non-empty groups holding the provider admin role."""
    users = ProviderUserRole.objects.filter(
        content_object=provider, permission__codename=Role.ADMIN.codename, user__is_active=True
    ).count()
    groups = (
        ProviderGroupRole.objects.filter(
            content_object=provider, permission__codename=Role.ADMIN.codename
        )
        .filter(group__user__is_active=True)
        .values("group")
        .distinct()
        .count()
    )
    return users + groups


def role_grants(provider: GuardedProvider) -> list[dict]:
    """Every role grant on the provider, by role then users before groups, for the Access table.

    Outside readers' roles for a time (from the trust center) are not listed: they are
    managed, extended and ended on the trust center's Readers page.
    """
    rows = []
    held = ProviderUserRole.objects.filter(content_object=provider, expires_at__isnull=True)
    for grant in held.select_related("user", "permission"):
        rows.append(
            {
                "kind": "user",
                "name": grant.user.get_username(),
                "principal": grant.user,
                "detail": grant.user.get_full_name(),
                "role": ROLE_BY_CODENAME.get(grant.permission.codename),
            }
        )
    for grant in ProviderGroupRole.objects.filter(content_object=provider).select_related(
        "group", "permission"
    ):
        rows.append(
            {
                "kind": "group",
                "name": grant.group.name,
                "principal": grant.group,
                "detail": f"{grant.group.user_set.count()} members",
                "role": ROLE_BY_CODENAME.get(grant.permission.codename),
            }
        )
    rows = [row for row in rows if row["role"] is not None]
    order = list(Role)
    return sorted(rows, key=lambda r: (order.index(r["role"]), r["kind"], r["name"].lower()))
