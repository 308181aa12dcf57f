"""How far a background import has got, told through the cache.

The worker applies an import in one database transaction, so nothing it does
there is visible before the end; it reports its progress and that it is alive
here instead. The cache is Redis in production (shared by the worker and every
web process) and the process's own memory in development, where tasks run in
the request that queued them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.utils import timezone

TIMEOUT = 24 * 3600


def _key(job_id: int) -> str:
    return f"srm:import:{job_id}:progress"


@dataclass(frozen=True)
class Progress:
    fraction: float  # 0 to 1
    stage: str  # what it is doing, for people
    at: datetime  # when the worker last said so


def progress_reporter(job_id: int) -> Callable[[float, str], None]:
    """A callback for the worker: ``report(fraction, stage)``."""

    def report(fraction: float, stage: str) -> None:
        value = {"fraction": round(fraction, 3), "stage": stage, "at": timezone.now().isoformat()}
        cache.set(_key(job_id), value, TIMEOUT)

    return report


def progress_of(job_id: int) -> Progress | None:
    """What the worker last reported, or None if it has said nothing (yet)."""
    value = cache.get(_key(job_id))
    if value is None:
        return None
    return Progress(value["fraction"], value["stage"], datetime.fromisoformat(value["at"]))
