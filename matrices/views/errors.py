"""The status a page answers when a write is refused, in one place for every page.

It mirrors the API's exception handler (``matrices.api.errors``): a stale
version or a draft changed since a dry run is 409 (the page shows the current
value beside what was refused), invalid input is 400 (422 to htmx, so it swaps
the form back in with its errors), a missing role is 403. Nothing is written
in any of these cases; the page re-renders with the message.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest

from matrices.exchange.problems import ImportProblems
from matrices.services.errors import REFUSALS, StaleDraft, StaleVersion, refusal_message

__all__ = ["REFUSALS", "invalid_status", "refusal_message", "refusal_status"]

CONFLICT = 409
FORBIDDEN = 403


def invalid_status(request: HttpRequest) -> int:
    """Invalid input: 422 for htmx (it swaps the form with its errors back in), else 400."""
    return 422 if getattr(request, "htmx", False) else 400


def refusal_status(request: HttpRequest, exc: Exception) -> int:
    """The status of a page that shows ``exc``, one of ``REFUSALS``."""
    if isinstance(exc, StaleVersion | StaleDraft):
        return CONFLICT
    if isinstance(exc, PermissionDenied):
        return FORBIDDEN
    if isinstance(exc, ValidationError | ImportProblems):
        return invalid_status(request)
    raise TypeError(f"Not a refusal of a write: {exc!r}")
