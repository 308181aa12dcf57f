"""Demo accounts, one per role, so a newcomer can try each role at once (development only)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from accounts.roles import Role
from accounts.selectors import principal_roles
from accounts.services import role_set
from matrices.models import Provider

DEMO_PASSWORD = "try-the-portal-2026"  # noqa: S105 - printed by `make run`; development only
DEMO_PROVIDER = "singlestore"
DEMO_SLUGS = ("singlestore", "clickhouse", "astronomer", "template")


def demo_usernames() -> dict[Role, str]:
    return {role: f"demo-{role.value}" for role in Role}


@transaction.atomic
def demo_accounts_create() -> list[tuple[str, str]]:
    """Create (or keep) one user per role on the demo provider; (username, role label) pairs."""
    if settings.PRODUCTION:
        raise ImproperlyConfigured("Demo accounts are never created in production.")
    provider = Provider.objects.filter(slug=DEMO_PROVIDER).first()
    if provider is None:
        return []
    User = get_user_model()
    created = []
    for role, username in demo_usernames().items():
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, first_name="Demo", last_name=role.label)
            validate_password(DEMO_PASSWORD, user)
            user.set_password(DEMO_PASSWORD)
            user.save()
        if principal_roles(provider, user) != {role}:
            role_set(
                actor=None,
                provider=provider,
                principal=user,
                role=role,
                reason="Demo account for development.",
            )
        created.append((username, role.label))
    # The demo approver also reviews the other demo providers, so that each can
    # be published by someone who is not its author.
    approver = User.objects.get(username=demo_usernames()[Role.APPROVER])
    for other in Provider.objects.exclude(pk=provider.pk).filter(slug__in=DEMO_SLUGS):
        if principal_roles(other, approver) != {Role.APPROVER}:
            role_set(
                actor=None,
                provider=other,
                principal=approver,
                role=Role.APPROVER,
                reason="Demo approver for development.",
            )
    return created


def demo_approver():
    """The demo approver account, or None where there are no demo accounts."""
    return get_user_model().objects.filter(username=demo_usernames()[Role.APPROVER]).first()
