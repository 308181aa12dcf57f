"""The version check every matrix service makes before it changes a row."""

from __future__ import annotations

from django.db import models

from matrices.services.errors import StaleVersion


def lock(model: type[models.Model], pk: int, expected_version: int | None) -> models.Model:
    """The row, locked for this transaction, if it is still at ``expected_version``.

    ``expected_version=None`` skips the check (system writes only).
    """
    current = model.objects.select_for_update().filter(pk=pk).first()
    if current is None or (expected_version is not None and current.version != expected_version):
        raise StaleVersion(current, expected_version)
    return current
