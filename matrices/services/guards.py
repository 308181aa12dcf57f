"""Checks every matrix service makes before it writes."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import models

from accounts.access import can
from accounts.roles import Action
from matrices.models import Provider
from matrices.services.errors import StaleVersion


def require(actor, provider: Provider, action: Action) -> None:
    """Refuse ``actor`` unless they may ``action`` on ``provider``.

    ``actor=None`` is the system itself (management commands, data loading),
    which the views, the API and the admin never pass.
    """
    if actor is not None and not can(actor, provider, action):
        raise PermissionDenied(f"{actor} may not {action.replace('_', ' ')} {provider.name}.")


def lock(model: type[models.Model], pk: int, expected_version: int | None) -> models.Model:
    """The row, locked for this transaction, if it is still at ``expected_version``.

    ``expected_version=None`` skips the check (system writes only).
    """
    current = model.objects.select_for_update().filter(pk=pk).first()
    if current is None or (expected_version is not None and current.version != expected_version):
        raise StaleVersion(current, expected_version)
    return current
