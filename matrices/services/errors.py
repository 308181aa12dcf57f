"""What the matrix services raise besides ValidationError and PermissionDenied."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models


class StaleVersion(Exception):
    """The caller edited an older version of ``current``; nothing was written.

    ``current`` is the object as it is now (None if it was deleted meanwhile),
    so the caller can show it beside the text that was refused.
    """

    def __init__(self, current: models.Model | None, expected: int | None) -> None:
        self.current = current
        self.expected = expected
        now = "deleted" if current is None else f"at version {current.version}"
        super().__init__(f"Edited version {expected}, but it is {now}: someone else saved first.")


class StaleDraft(ValidationError):
    """The draft changed since the caller looked at it (a dry run); nothing was written."""
