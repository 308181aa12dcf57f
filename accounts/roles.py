"""Roles on a provider, the actions each role allows, and who sees a provider without one.

A role is stored as one django-guardian object permission on the provider
(``matrices.role_<role>``), granted to a user or to a group. What a role may
do is decided here, in one table, not spread across views.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol

from django.db import models


class Role(models.TextChoices):
    VIEWER = "viewer", "Viewer"
    EDITOR = "editor", "Editor"
    APPROVER = "approver", "Approver"
    AUDITOR = "auditor", "Auditor"
    ADMIN = "admin", "Provider admin"
    TRUST_MANAGER = "trust_manager", "Trust manager"

    @property
    def codename(self) -> str:
        return f"role_{self.value}"

    @property
    def description(self) -> str:
        return ROLE_DESCRIPTIONS[self]


class Visibility(models.TextChoices):
    """Who may see a provider's published matrix without holding a role on it."""

    PUBLIC = "public", "Public: anyone, signed in or not"
    SIGNED_IN = "signed-in", "Signed-in users only"
    PRIVATE = "private", "Private: people with a role on this provider"


class Action(StrEnum):
    VIEW = "view"  # see the provider, including non-public content
    EDIT = "edit"  # change the matrix: cells, duties, domains, offerings, parties
    PUBLISH = "publish"  # approve and publish a version (never one's own changes)
    AUDIT = "audit"  # read the provider's audit log and export it
    MANAGE_ACCESS = "manage_access"  # grant and revoke roles
    # the trust center: outside readers' requests and grants, their reading, subscribers
    MANAGE_TRUST = "manage_trust"


ROLE_ACTIONS: dict[Role, frozenset[Action]] = {
    Role.VIEWER: frozenset({Action.VIEW}),
    Role.EDITOR: frozenset({Action.VIEW, Action.EDIT, Action.AUDIT}),
    Role.APPROVER: frozenset({Action.VIEW, Action.PUBLISH, Action.AUDIT}),
    Role.AUDITOR: frozenset({Action.VIEW, Action.AUDIT}),
    Role.ADMIN: frozenset(Action),
    Role.TRUST_MANAGER: frozenset({Action.VIEW, Action.MANAGE_TRUST}),
}

ROLE_DESCRIPTIONS = {
    Role.VIEWER: "Sees the provider's non-public content.",
    Role.EDITOR: "Changes the matrix (a compliance officer); reads its history.",
    Role.APPROVER: "Approves and publishes versions, never their own changes.",
    Role.AUDITOR: "Reads everything, including the audit log and its exports; changes nothing.",
    Role.ADMIN: "Everything above, plus deciding who holds which role.",
    Role.TRUST_MANAGER: (
        "Answers outside readers' access requests, extends and ends their access, and sees "
        "who read what; changes nothing in the matrix."
    ),
}

ROLE_BY_CODENAME = {role.codename: role for role in Role}


def roles_allowing(action: Action) -> list[Role]:
    return [role for role, actions in ROLE_ACTIONS.items() if action in actions]


# The model permissions behind the roles, declared on matrices.Provider.
ROLE_PERMISSIONS = [(role.codename, f"Holds the {role.label.lower()} role") for role in Role]


class GuardedProvider(Protocol):
    """What the access rules read of a provider (a ``matrices.models.Provider``): this app
    sits below the matrices app and never imports it."""

    pk: int
    name: str
    visibility: str
    published_id: int | None
