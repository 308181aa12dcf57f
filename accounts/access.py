"""The one place that answers "may this user do this on this provider?".

Every view, export, API endpoint and PDF reads protected providers through
``Provider.objects.restrict(user, action)`` or ``provider_for_user``; nothing
re-derives permissions by hand. The rules read a provider's ``visibility`` and
``published_id`` and the role tables; they take the provider (or a queryset of
them) from the caller, so this app never imports the matrices app above it.

A request made with an API token is narrowed here too: the token authentication
hands its limits to ``act_through_token``, and every rule below reads them, so
a read-only token may do nothing but read, and a token limited to some providers
sees no other (404, as an outsider).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, Group
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

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

# What a read-only token may still do: read, including the audit log it may read.
READ_ACTIONS = frozenset({Action.VIEW, Action.AUDIT})


@dataclass(frozen=True)
class TokenLimits:
    """What the API token a request came with allows of its user's rights."""

    read_only: bool
    provider_ids: frozenset[int] | None  # None: every provider the user reaches

    def allows(self, provider_pk: int, action: Action) -> bool:
        if self.read_only and action not in READ_ACTIONS:
            return False
        return self.provider_ids is None or provider_pk in self.provider_ids


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def request_writes(method: str, view_class: type | None) -> bool:
    """Whether a request writes: an unsafe method, unless its view says that it only reads
    (``reads_only = True``: a POST that asks for a PDF of what one may read)."""
    return method not in SAFE_METHODS and not getattr(view_class, "reads_only", False)


def act_through_token(user, limits: TokenLimits) -> None:
    """Narrow what ``user`` (this request's instance) may do to what its token allows."""
    user.__dict__["_token_limits"] = limits


def token_limits(user) -> TokenLimits | None:
    """The limits of the token ``user`` came with in this request, or None (a session)."""
    return getattr(user, "__dict__", {}).get("_token_limits")


def _superuser(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_superuser)


def is_site_admin(user) -> bool:
    """Whether ``user`` administers the site (an active superuser): every provider, every
    action, the site-wide audit log. Not through a token limited to some providers."""
    limits = token_limits(user)
    return _superuser(user) and (limits is None or limits.provider_ids is None)


def held_roles():
    """The user roles that count now: not expired, and with any NDA they wait for accepted.

    The one filter of every rule below that reads a user's own roles (groups' roles
    neither expire nor wait).
    """
    return _unexpired_roles().filter(needs_agreement=False)


def _unexpired_roles():
    return ProviderUserRole.objects.filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())
    )


def _role_grants(user, codenames: list[str]) -> Q:
    """Providers on which ``user`` holds one of ``codenames``, directly or through a group."""
    direct = held_roles().filter(
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
    limits = token_limits(user)
    if limits is not None:
        if limits.read_only and action not in READ_ACTIONS:
            return queryset.none()
        if limits.provider_ids is not None:
            queryset = queryset.filter(pk__in=limits.provider_ids)
    if _superuser(user):
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
            held_roles()
            .filter(content_object=provider, user=user)
            .values_list("permission__codename", flat=True)
        ) | set(
            ProviderGroupRole.objects.filter(
                content_object=provider, group__in=Group.objects.filter(user=user)
            ).values_list("permission__codename", flat=True)
        )
        cache[provider.pk] = {ROLE_BY_CODENAME[c] for c in codenames if c in ROLE_BY_CODENAME}
    return cache[provider.pk]


def offerings_limit(user, provider: GuardedProvider) -> frozenset[int] | None:
    """The ids of the only offerings ``user`` may read of ``provider``, or None: all of them.

    Only an outside reader's grant limits offerings; any role held in its own right (or
    through a group), site administration, or a visibility that opens the provider to
    them lifts the limit. Cached per user, like ``roles_of``.
    """
    if not user or not user.is_authenticated or _superuser(user):
        return None
    if provider.published_id is not None and (
        provider.visibility == Visibility.PUBLIC or provider.visibility == Visibility.SIGNED_IN
    ):
        return None
    cache = user.__dict__.setdefault("_offering_limits", {})
    if provider.pk not in cache:
        limits = list(
            held_roles()
            .filter(content_object=provider, user=user)
            .values_list("offerings", flat=True)
        )
        via_group = ProviderGroupRole.objects.filter(
            content_object=provider, group__in=Group.objects.filter(user=user)
        ).exists()
        if not limits or via_group or any(not limit for limit in limits):
            cache[provider.pk] = None
        else:
            cache[provider.pk] = frozenset(pk for limit in limits for pk in limit)
    return cache[provider.pk]


def can(user, provider: GuardedProvider, action: Action) -> bool:
    user = user or AnonymousUser()
    if user.is_authenticated and not user.is_active:
        return False
    limits = token_limits(user)
    if limits is not None and not limits.allows(provider.pk, action):
        return False
    if _superuser(user):
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
    """Drop the per-user role caches (after a grant or revoke in the same request)."""
    if user is not None:
        user.__dict__.pop("_provider_roles", None)
        user.__dict__.pop("_offering_limits", None)
        user.__dict__.pop("_writer_roles", None)


# The roles that change what a provider publishes, or who may: their holders need a second
# factor when MFA_REQUIRED_FOR_WRITERS is on (accounts.mfa_policy).
WRITER_ROLES = (Role.EDITOR, Role.APPROVER, Role.ADMIN)


def holds_writer_role(user) -> bool:
    """Whether ``user`` holds the editor, approver or provider-admin role on any provider,
    directly or through a group (cached per user, like ``roles_of``)."""
    if not user or not user.is_authenticated:
        return False
    if "_writer_roles" not in user.__dict__:
        codenames = [role.codename for role in WRITER_ROLES]
        user.__dict__["_writer_roles"] = (
            held_roles().filter(user=user, permission__codename__in=codenames).exists()
            or ProviderGroupRole.objects.filter(
                group__in=Group.objects.filter(user=user), permission__codename__in=codenames
            ).exists()
        )
    return user.__dict__["_writer_roles"]


def roles_awaiting_agreement(user) -> QuerySet[ProviderUserRole]:
    """``user``'s own roles that wait only for them to accept a provider's NDA (not
    expired); none for a visitor. The one filter of every question about them."""
    if not user or not user.is_authenticated:
        return ProviderUserRole.objects.none()
    return _unexpired_roles().filter(user=user, needs_agreement=True)


def awaiting_agreement(user, provider_slug: str) -> bool:
    """Whether ``user`` holds a role on the provider (by slug) that waits only for them to
    accept its NDA: the pages that refuse them send them to the NDA instead of a 404."""
    if not user or not user.is_authenticated or not user.is_active:
        return False
    waiting = roles_awaiting_agreement(user).filter(content_object__slug=provider_slug)
    limits = token_limits(user)
    if limits is not None and limits.provider_ids is not None:
        waiting = waiting.filter(content_object_id__in=limits.provider_ids)
    return waiting.exists()


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
    """Whether ``user`` may create providers: site administrators only (not read-only)."""
    limits = token_limits(user)
    return is_site_admin(user) and not (limits is not None and limits.read_only)


def capabilities(user, provider: GuardedProvider) -> dict[str, bool]:
    """What ``user`` may do on ``provider``, keyed by action (``may.edit``), plus ``may.draft``."""
    may = {action.value: can(user, provider, action) for action in Action}
    may["draft"] = any(may[action.value] for action in DRAFT_READERS)
    return may
