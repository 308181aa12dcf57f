"""What an anonymous visitor may see of a provider, remembered: the key of its public pages.

The answer is the access rule itself (``Provider.objects.restrict`` for a visitor:
public and published), asked once and kept in the cache until something that
changes it happens: a publication, a change of visibility, a deletion (the
services forget it when their transaction commits). The cache is shared by
every web process where it is Redis.
"""

from __future__ import annotations

from django.core.cache import cache

from accounts.roles import Action
from matrices.models import Provider

TIMEOUT = 24 * 3600
NOT_PUBLIC = "-"  # a remembered "no": not public, or nothing published


def _key(slug: str) -> str:
    return f"srm:public:{slug}"


def public_version_hash(slug: str) -> str | None:
    """The snapshot hash of the version a visitor reads of ``slug``, or None if they read
    nothing of it (not public, not published, or no such provider)."""
    remembered = cache.get(_key(slug))
    if remembered is None:
        remembered = (
            Provider.objects.restrict(None, Action.VIEW)
            .filter(slug=slug)
            .values_list("published__snapshot_hash", flat=True)
            .first()
        ) or NOT_PUBLIC
        cache.set(_key(slug), remembered, TIMEOUT)
    return None if remembered == NOT_PUBLIC else remembered


def public_version_forget(slug: str) -> None:
    """Ask the rule again next time (after a publication, a visibility change, a deletion)."""
    cache.delete(_key(slug))
