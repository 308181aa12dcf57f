"""What the matrix services raise besides ValidationError and PermissionDenied."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models

from matrices.exchange.problems import ImportProblems


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


# What the services raise when they refuse a write: nothing was written.
REFUSALS = (StaleVersion, StaleDraft, ValidationError, PermissionDenied, ImportProblems)


def refusal_message(exc: Exception) -> str:
    """What to tell the user of a refusal, in one sentence or a few."""
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    if isinstance(exc, ImportProblems):
        return " ".join(str(problem) for problem in exc.problems)
    return str(exc)
