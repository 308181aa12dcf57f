"""Reads of the People pages: the list of accounts and one person's standing."""

from __future__ import annotations

from dataclasses import dataclass

from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from accounts.models import ProviderGroupRole, ProviderUserRole
from accounts.roles import ROLE_BY_CODENAME
from audit.models import AuditRecord, ObjectType

User = get_user_model()
RECENT_RECORDS = 20
# Second factors that count as "MFA set up" (recovery codes alone are a fallback, not one).
SECOND_FACTORS = (Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN)


def _with_mfa(queryset: QuerySet) -> QuerySet:
    return queryset.annotate(
        has_mfa=Exists(Authenticator.objects.filter(user=OuterRef("pk"), type__in=SECOND_FACTORS))
    )


def people(*, q: str = "", active: bool | None = None, superuser: bool | None = None) -> QuerySet:
    """Every account, by username, with ``has_mfa`` and ``roles`` (roles held directly)."""
    queryset = _with_mfa(User.objects.all()).annotate(
        roles=Count("provideruserrole", distinct=True)
    )
    if q:
        queryset = queryset.filter(
            Q(username__icontains=q)
            | Q(email__icontains=q)
            | Q(first_name__icontains=q)
            | Q(last_name__icontains=q)
        )
    if active is not None:
        queryset = queryset.filter(is_active=active)
    if superuser is not None:
        queryset = queryset.filter(is_superuser=superuser)
    return queryset.order_by("username")


def person(pk: int):
    """One account with ``has_mfa``, or None."""
    return _with_mfa(User.objects.filter(pk=pk)).first()


@dataclass(frozen=True)
class Standing:
    """What a site administrator reads about one person before acting on them."""

    roles: list[dict]  # {"provider", "role", "via"}: via None for a direct grant, else a group
    groups: list[str]
    sessions: int
    tokens: list
    records: list[AuditRecord]


def standing(user) -> Standing:
    direct = ProviderUserRole.objects.filter(user=user).select_related(
        "content_object", "permission"
    )
    via_groups = ProviderGroupRole.objects.filter(group__user=user).select_related(
        "content_object", "permission", "group"
    )
    roles = [
        {"provider": row.content_object, "role": ROLE_BY_CODENAME[code], "via": via}
        for row, via in [(r, None) for r in direct] + [(r, r.group.name) for r in via_groups]
        if (code := row.permission.codename) in ROLE_BY_CODENAME
    ]
    roles.sort(key=lambda r: (r["provider"].name.lower(), r["via"] or ""))
    about = (
        Q(object_type=ObjectType.USER, object_id=str(user.pk))
        | Q(object_type=ObjectType.ROLE, object_id=f"user:{user.pk}")
        | Q(actor_id=user.pk)
    )
    return Standing(
        roles=roles,
        groups=sorted(user.groups.values_list("name", flat=True)),
        sessions=UserSession.objects.filter(user=user).count(),
        tokens=list(user.api_tokens.all()),
        records=list(AuditRecord.objects.filter(about).order_by("-seq")[:RECENT_RECORDS]),
    )
