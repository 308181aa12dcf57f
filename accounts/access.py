"""The one place that answers "may this user do this on this provider?".

Every view, export, API endpoint and PDF reads protected providers through
``Provider.objects.restrict(user, action)`` or ``provider_for_user``; nothing
re-derives permissions by hand. The rules read a provider's ``visibility`` and
``published_id`` and the role tables; they take the provider (or a queryset of
them) from the caller, so this app never imports the matrices app above it.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from accounts.models import ProviderGroupRole, ProviderUserRole
from accounts.roles import (
    ROLE_ACTIONS,
    ROLE_BY_CODENAME,
    Action,
    GuardedProvider,
    Role,
    Visibility,
    roles_allowing,
)


def is_site_admin(user) -> bool:
    """Whether ``user`` administers the site (an active superuser): every provider, every
    action, the site-wide audit log."""
    return bool(user and user.is_authenticated and user.is_active and user.is_superuser)


def _role_grants(user, codenames: list[str]) -> Q:
    """Providers on which ``user`` holds one of ``codenames``, directly or through a group."""
    direct = ProviderUserRole.objects.filter(
        content_object=OuterRef("pk"), user=user, permission__codename__in=codenames
    )
    via_group = ProviderGroupRole.objects.filter(
        content_object=OuterRef("pk"),
        group__in=Group.objects.filter(user=user),
        permission__codename__in=codenames,
    )
    return Q(Exists(direct)) | Q(Exists(via_group))


def restrict_providers(queryset: QuerySet, user, action: Action) -> QuerySet:
    """``queryset`` narrowed to the providers ``user`` may perform ``action`` on."""
    user = user or AnonymousUser()
    if is_site_admin(user):
        return queryset
    # Without a role, only published providers can be seen at all.
    if not user.is_authenticated:
        if action == Action.VIEW:
            return queryset.filter(visibility=Visibility.PUBLIC, published__isnull=False)
        return queryset.none()
    grants = _role_grants(user, [role.codename for role in roles_allowing(action)])
    if action == Action.VIEW:
        open_to_all = Q(
            visibility__in=[Visibility.PUBLIC, Visibility.SIGNED_IN], published__isnull=False
        )
        return queryset.filter(open_to_all | grants)
    return queryset.filter(grants)


def roles_of(user, provider: GuardedProvider) -> set[Role]:
    """The roles ``user`` holds on ``provider``, directly or through groups (cached per user)."""
    if not user or not user.is_authenticated:
        return set()
    cache = user.__dict__.setdefault("_provider_roles", {})
    if provider.pk not in cache:
        codenames = set(
            ProviderUserRole.objects.filter(content_object=provider, user=user).values_list(
                "permission__codename", flat=True
            )
        ) | set(
            ProviderGroupRole.objects.filter(
                content_object=provider, group__in=Group.objects.filter(user=user)
            ).values_list("permission__codename", flat=True)
        )
        cache[provider.pk] = {ROLE_BY_CODENAME[c] for c in codenames if c in ROLE_BY_CODENAME}
    return cache[provider.pk]


def can(user, provider: GuardedProvider, action: Action) -> bool:
    user = user or AnonymousUser()
    if user.is_authenticated and not user.is_active:
        return False
    if is_site_admin(user):
        return True
    if action == Action.VIEW and provider.published_id is not None:
        if provider.visibility == Visibility.PUBLIC:
            return True
        if provider.visibility == Visibility.SIGNED_IN and user.is_authenticated:
            return True
    return any(action in ROLE_ACTIONS[role] for role in roles_of(user, provider))


def require(actor, provider: GuardedProvider, action: Action) -> None:
    """Refuse ``actor`` (PermissionDenied) unless they may ``action`` on ``provider``.

    ``actor=None`` is the system itself (management commands, data loading),
    which the views, the API and the admin never pass.
    """
    if actor is not None and not can(actor, provider, action):
        raise PermissionDenied(f"{actor} may not {action.replace('_', ' ')} {provider.name}.")


def forget_roles(user) -> None:
    """Drop the per-user role cache (after a grant or revoke in the same request)."""
    if user is not None:
        user.__dict__.pop("_provider_roles", None)


def provider_for_user(queryset: QuerySet, slug: str, user, action: Action) -> GuardedProvider:
    """The provider, or 404 for those who may not see it, 403 for those who may not act.

    Anonymous visitors asking for more than viewing get PermissionDenied too;
    the view decorator turns that into a redirect to the sign-in page.
    """
    try:
        provider = queryset.restrict(user, Action.VIEW).get(slug=slug)
    except queryset.model.DoesNotExist:
        raise Http404("No such provider.") from None
    if action != Action.VIEW and not can(user, provider, action):
        raise PermissionDenied(f"You may not {action.replace('_', ' ')} {provider.name}.")
    return provider


# Who reads the draft: whoever writes it, publishes it or audits it.
DRAFT_READERS = (Action.EDIT, Action.PUBLISH, Action.AUDIT)


def sees_draft(user, provider: GuardedProvider) -> bool:
    """Whether ``user`` may read the provider's unpublished draft."""
    return any(can(user, provider, action) for action in DRAFT_READERS)


def may_create_providers(user) -> bool:
    """Whether ``user`` may create providers: site administrators only."""
    return is_site_admin(user)


def capabilities(user, provider: GuardedProvider) -> dict[str, bool]:
    """What ``user`` may do on ``provider``, keyed by action (``may.edit``), plus ``may.draft``."""
    may = {action.value: can(user, provider, action) for action in Action}
    may["draft"] = any(may[action.value] for action in DRAFT_READERS)
    return may
